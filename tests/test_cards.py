"""Cards: each listing gets back exactly the card that was rendered, however the build keeps it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup
from timeline.cards import NEW_TAB, NEW_TAB_TARGET, Cards
from timeline.markup import render_markdown

CARD = '<article id="2021-03-22-eu-sanctions" class="event">Sanctions · ü — "quoted" & <b>bold</b></article>'


@pytest.mark.parametrize("compressed", [True, False])
def test_a_card_comes_back_as_the_same_safe_html(compressed: bool) -> None:
    cards = Cards(compressed=compressed)
    cards.add("2021-03-22-eu-sanctions", CARD)
    card = cards["2021-03-22-eu-sanctions"]
    assert card == CARD
    assert isinstance(card, Markup)  # not escaped again by the template


def test_compressed_cards_take_less_memory_than_the_html() -> None:
    cards = Cards(compressed=True)
    html = CARD * 10
    cards.add("one", html)
    assert len(cards._cards["one"]) < len(html) / 2


@pytest.mark.parametrize("compressed", [True, False])
def test_cards_are_listed_in_the_order_they_were_added_and_an_unknown_id_is_an_error(compressed: bool) -> None:
    cards = Cards(compressed=compressed)
    for event_id in ("b", "a", "c"):
        cards.add(event_id, f"<article>{event_id}</article>")
    assert list(cards) == ["b", "a", "c"]
    assert len(cards) == 3
    with pytest.raises(KeyError):
        cards["missing"]


def test_the_site_listings_drop_the_link_markers_and_the_embed_listing_fills_them_in() -> None:
    cards = Cards(compressed=True)
    cards.add(
        "one",
        f'<a href="/events/one/"{NEW_TAB}>One</a> <a href="https://example.org/" rel="noopener noreferrer"'
        f"{NEW_TAB_TARGET}>Source</a>",
    )
    assert cards["one"] == (
        '<a href="/events/one/">One</a> <a href="https://example.org/" rel="noopener noreferrer">Source</a>'
    )
    assert cards.for_embed()["one"] == (
        '<a href="/events/one/" target="_blank" rel="noopener noreferrer">One</a> '
        '<a href="https://example.org/" rel="noopener noreferrer" target="_blank">Source</a>'
    )


def test_contributor_text_cannot_carry_a_link_marker() -> None:
    assert NEW_TAB not in render_markdown(f"A summary {NEW_TAB} with a marker.")
    assert NEW_TAB_TARGET not in render_markdown(f"{NEW_TAB_TARGET}\n\nAnother paragraph.")


def test_built_listings_keep_no_marker_and_only_the_embed_opens_new_tabs(bundled_site: Path) -> None:
    for path in bundled_site.rglob("*.html"):
        assert "<!--new-tab" not in path.read_text(encoding="utf-8"), path
    home = (bundled_site / "index.html").read_text(encoding="utf-8")
    embed = (bundled_site / "embed" / "index.html").read_text(encoding="utf-8")
    assert 'class="event-title"' in home and 'target="_blank"' not in home.split("<main", 1)[1]
    titles = re.findall(r'class="event-title"><a [^>]*>', embed)
    assert titles and all('target="_blank" rel="noopener noreferrer"' in title for title in titles)
