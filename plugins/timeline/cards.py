"""Every event's card, rendered once for all the listings that show it: the home, year, type and actor pages, and
the embed listing.

The embed's links open in a new tab and the site's do not, so a card is rendered with markers where the embed's
link attributes go (``LINK_MARKERS``, HTML comments: contributor text cannot hold one, since titles are escaped and
summaries sanitized without comments); the site's listings drop them and the embed's fill them in. Rendering each
card twice was a tenth of a small build.

The cards of a large dataset are the biggest thing a full build holds (10,000 cards are some 16 MB of HTML), so it
keeps them compressed: a card shrinks to less than half, and decompressing it for a listing takes microseconds. A
small dataset's are kept as they are, and so are a rebuild's: the cache it loaded holds them already, and compressing
them all again would take a tenth of its time.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping

from markupsafe import Markup

COMPRESSION_LEVEL = 1  # the fastest: higher levels save little more on text this short
COMPRESS_FROM = 2000  # cards: below this many, compressing them saves less memory than it costs time

NEW_TAB = "<!--new-tab-->"  # a link to the site: in an embed it opens in a new tab, without a referrer
NEW_TAB_TARGET = "<!--new-tab-target-->"  # a link that has its rel already: in an embed, a new tab
LINK_MARKERS = {"new_tab": Markup(NEW_TAB), "target": Markup(NEW_TAB_TARGET)}  # for the card template
EMBED_ATTRIBUTES = {NEW_TAB: ' target="_blank" rel="noopener noreferrer"', NEW_TAB_TARGET: ' target="_blank"'}


def site_card(card: str) -> str:
    return card.replace(NEW_TAB, "").replace(NEW_TAB_TARGET, "")


def embed_card(card: str) -> str:
    for marker, attributes in EMBED_ATTRIBUTES.items():
        card = card.replace(marker, attributes)
    return card


class Cards(Mapping[str, Markup]):
    """The cards by event id, as safe HTML for the templates (``cards[event.id]``): as the site's listings show
    them, or with ``for_embed()`` as the embed listing does."""

    def __init__(self, *, compressed: bool) -> None:
        self.compressed = compressed
        self._cards: dict[str, bytes | str] = {}
        self._finish = site_card

    def add(self, event_id: str, html: str) -> None:
        """Keep a card as rendered, with its link markers."""
        self._cards[event_id] = zlib.compress(html.encode("utf-8"), COMPRESSION_LEVEL) if self.compressed else html

    def for_embed(self) -> Cards:
        """The same cards, with the embed's link attributes."""
        view = Cards(compressed=self.compressed)
        view._cards, view._finish = self._cards, embed_card
        return view

    def __getitem__(self, event_id: str) -> Markup:
        card = self._cards[event_id]
        return Markup(self._finish(zlib.decompress(card).decode("utf-8") if isinstance(card, bytes) else card))

    def __iter__(self) -> Iterator[str]:
        return iter(self._cards)

    def __len__(self) -> int:
        return len(self._cards)
