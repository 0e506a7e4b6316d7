"""Cards: each listing gets back exactly the card that was rendered, however the build keeps it."""

from __future__ import annotations

import pytest
from markupsafe import Markup
from timeline.cards import Cards

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
