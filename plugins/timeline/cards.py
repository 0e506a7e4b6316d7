"""Every event's card, rendered once for all the listings that show it (home, year, type and actor pages).

The cards of a large dataset are the biggest thing a full build holds (10,000 cards are some 16 MB of HTML), so it
keeps them compressed: a card shrinks to less than half, and decompressing it for a listing takes microseconds. A
rebuild keeps them as they are: the cache it loaded holds them already, and compressing them all again would take
a tenth of its time.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping

from markupsafe import Markup

COMPRESSION_LEVEL = 1  # the fastest: higher levels save little more on text this short


class Cards(Mapping[str, Markup]):
    """The cards by event id, as safe HTML for the templates (``cards[event.id]``)."""

    def __init__(self, *, compressed: bool) -> None:
        self.compressed = compressed
        self._cards: dict[str, bytes | str] = {}

    def add(self, event_id: str, html: str) -> None:
        self._cards[event_id] = zlib.compress(html.encode("utf-8"), COMPRESSION_LEVEL) if self.compressed else html

    def __getitem__(self, event_id: str) -> Markup:
        card = self._cards[event_id]
        return Markup(zlib.decompress(card).decode("utf-8") if isinstance(card, bytes) else card)

    def __iter__(self) -> Iterator[str]:
        return iter(self._cards)

    def __len__(self) -> int:
        return len(self._cards)
