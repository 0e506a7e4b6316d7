"""Every event's card, rendered once for all the listings that show it (home, year, type and actor pages).

The cards of a large dataset are the biggest thing a build holds (10,000 cards are some 16 MB of HTML), so they are
kept compressed: a card shrinks to less than half, and decompressing it for a listing takes microseconds.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping

from markupsafe import Markup

COMPRESSION_LEVEL = 1  # the fastest: higher levels save little more on text this short


class Cards(Mapping[str, Markup]):
    """The cards by event id, as safe HTML for the templates (``cards[event.id]``)."""

    def __init__(self) -> None:
        self._compressed: dict[str, bytes] = {}

    def add(self, event_id: str, html: str) -> None:
        self._compressed[event_id] = zlib.compress(html.encode("utf-8"), COMPRESSION_LEVEL)

    def __getitem__(self, event_id: str) -> Markup:
        return Markup(zlib.decompress(self._compressed[event_id]).decode("utf-8"))

    def __iter__(self) -> Iterator[str]:
        return iter(self._compressed)

    def __len__(self) -> int:
        return len(self._compressed)
