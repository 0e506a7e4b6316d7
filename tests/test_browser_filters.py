"""Readers filter, search and share the timeline in a real browser (headless Chromium)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import PAGE_SIZE_OF_PAGED_SITE
from playwright.sync_api import expect

VISIBLE_IDS = "cards => cards.filter(card => card.offsetParent !== null).map(card => card.id)"


@pytest.fixture(scope="module")
def events(bundled_site: Path) -> list[dict]:
    return json.loads((bundled_site / "data" / "events.json").read_text(encoding="utf-8"))["events"]


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all("main article[data-type]", VISIBLE_IDS)


def ids_where(events: list[dict], keep) -> list[str]:
    return [event["id"] for event in events if keep(event)]


def year(event: dict) -> int:
    return int(event["date"]["value"][:4])


FILTERS = {
    "type=sanction": lambda e: e["type"]["key"] == "sanction",
    "actor=canada": lambda e: any(a["key"] == "canada" for a in e["actors"]),
    "region=east-asia": lambda e: any(a["region"] == "east-asia" for a in e["actors"]),
    "bloc=oic": lambda e: any("oic" in a["memberships"] for a in e["actors"]),
    "actor=eu": lambda e: any("eu" in a["memberships"] for a in e["actors"]),
    "stance=supportive": lambda e: e["stance"]["key"] == "supportive",
    "from=2024": lambda e: year(e) >= 2024,
    "to=2019": lambda e: year(e) <= 2019,
    "type=joint-statement&stance=supportive&from=2020&to=2022": lambda e: (
        e["type"]["key"] == "joint-statement" and e["stance"]["key"] == "supportive" and 2020 <= year(e) <= 2022
    ),
}


@pytest.mark.parametrize("query", sorted(FILTERS))
def test_each_filter_shows_exactly_the_matching_events(page, site_url: str, events: list[dict], query: str) -> None:
    page.goto(f"{site_url}/?{query}")
    expected = ids_where(events, FILTERS[query])
    assert expected, "the bundled data should have events for this filter"
    assert visible_ids(page) == expected
    assert page.locator("[data-match-count]").inner_text() == f"{len(expected)} of {len(events)} events"


def test_controls_show_the_state_from_the_url(page, site_url: str) -> None:
    page.goto(f"{site_url}/?type=sanction&actor=eu&from=2021&order=desc")
    assert page.locator("#filter-type").input_value() == "sanction"
    assert page.locator("#filter-bloc").input_value() == "eu"
    assert page.locator("#filter-actor").input_value() == ""
    assert page.locator("#filter-from").input_value() == "2021"
    assert page.locator("#filter-order").input_value() == "desc"


def test_changing_a_control_updates_the_url_and_back_restores_the_view(page, site_url: str, events) -> None:
    page.goto(f"{site_url}/?type=sanction")
    sanctions = visible_ids(page)
    page.select_option("#filter-stance", "critical")
    expect(page).to_have_url(re.compile(r"stance=critical"))
    assert parse_qs(urlsplit(page.url).query) == {"type": ["sanction"], "stance": ["critical"]}
    page.select_option("#filter-type", "counter-sanction")
    expect(page).to_have_url(re.compile(r"type=counter-sanction"))
    assert visible_ids(page) == []
    page.go_back()
    assert page.locator("#filter-type").input_value() == "sanction"
    page.go_back()
    assert page.locator("#filter-stance").input_value() == ""
    assert visible_ids(page) == sanctions
    page.reload()
    assert visible_ids(page) == sanctions


def searchable_text(event: dict) -> str:
    parts = [event["title"], event["summary"], *event["targets"]]
    parts += [actor["name"] for actor in event["actors"]] + [source["publisher"] for source in event["sources"]]
    text = unicodedata.normalize("NFD", " ".join(parts)).casefold()
    return "".join(character for character in text if not unicodedata.combining(character))


@pytest.mark.parametrize("words", ["Glucksmann", "withhold release", "Kagome", "Türk"])
def test_search_as_you_type_shows_events_containing_every_word(page, site_url: str, events, words: str) -> None:
    page.goto(site_url + "/")
    page.locator("#filter-q").press_sequentially(words, delay=5)
    expected = ids_where(
        events,
        lambda e: all(
            w in searchable_text(e)
            for w in searchable_text(
                {"title": words, "summary": "", "targets": [], "actors": [], "sources": []}
            ).split()
        ),
    )
    assert expected
    expect(page.locator("[data-match-count]")).to_have_text(f"{len(expected)} of {len(events)} events")
    assert visible_ids(page) == expected
    expect(page).to_have_url(re.compile(r"[?&]q="))
    assert parse_qs(urlsplit(page.url).query)["q"] == [words]


def test_search_matches_are_highlighted(page, site_url: str) -> None:
    page.goto(f"{site_url}/?q=Glucksmann")
    assert page.evaluate("CSS.highlights.get('timeline-search').size") >= 1


def test_newest_first_reverses_the_order(page, site_url: str, events) -> None:
    page.goto(f"{site_url}/?stance=counter-measure&order=desc")
    expected = ids_where(events, lambda e: e["stance"]["key"] == "counter-measure")
    assert visible_ids(page) == list(reversed(expected))


def test_clear_all_filters_shows_every_event(page, site_url: str, events) -> None:
    page.goto(f"{site_url}/?type=sanction&q=EU")
    page.get_by_role("button", name="Clear all filters").click()
    assert len(visible_ids(page)) == len(events)
    expect(page).to_have_url(re.compile(r"/$"))
    assert urlsplit(page.url).query == ""


def test_filters_work_with_the_keyboard_alone(page, site_url: str, events) -> None:
    page.goto(site_url + "/")
    page.locator("#filter-q").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filter-type"
    page.keyboard.press("ArrowDown")
    chosen = page.locator("#filter-type").input_value()
    assert chosen and visible_ids(page) == ids_where(events, lambda e: e["type"]["key"] == chosen)
    for _ in range(len(page.locator("form.filters select").all())):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Clear all filters"
    page.keyboard.press("Enter")
    assert len(visible_ids(page)) == len(events)


def test_the_match_count_is_announced_politely(page, site_url: str) -> None:
    page.goto(site_url + "/")
    status = page.get_by_role("status")
    assert status.get_attribute("aria-live") == "polite"
    page.select_option("#filter-stance", "supportive")
    assert " of " in status.inner_text()


def test_actor_pages_accept_the_same_parameters(page, site_url: str, events) -> None:
    page.goto(f"{site_url}/actors/united-states/?type=sanction")
    expected = ids_where(
        events, lambda e: e["type"]["key"] == "sanction" and any(a["key"] == "united-states" for a in e["actors"])
    )
    assert expected and visible_ids(page) == expected


def test_without_javascript_every_event_is_listed_and_the_form_stays_hidden(browser, site_url: str, events) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/?type=sanction")
    assert len(visible_ids(page)) == len(events)
    assert not page.locator("form.filters").is_visible()
    context.close()


def test_page_fits_a_320_pixel_screen_without_sideways_scrolling(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/", "/events/2021-03-22-eu-sanctions-xinjiang/", "/actors/", "/types/"):
        page.goto(site_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


def test_print_shows_the_filtered_list_with_source_addresses(page, site_url: str) -> None:
    page.goto(f"{site_url}/?type=sanction")
    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible()
    printed = page.evaluate(
        "getComputedStyle(document.querySelector('main article:not([hidden]) .event-sources a'), '::after').content"
    )
    assert "https://" in printed


def test_on_a_phone_the_filter_panel_opens_from_the_keyboard(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 700})
    page = context.new_page()
    page.goto(site_url + "/")
    assert not page.locator("#filter-type").is_visible()
    page.locator("#filter-q").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator("#filter-type").is_visible()
    context.close()


@pytest.fixture(scope="module")
def long_timeline_url(tmp_path_factory: pytest.TempPathFactory):
    """The bundled events with a small home limit, as a site of tens of thousands of events would be built."""
    from conftest import PROJECT
    from site_server import serve
    from timeline import cli

    output = tmp_path_factory.mktemp("long") / "output"
    assert cli.build("pelicanconf.py", str(PROJECT / "events"), str(output), {"TIMELINE_HOME_LIMIT": 20}) == 0
    with serve(output) as url:
        yield url


def test_a_long_timeline_shows_recent_years_and_links_older_ones(page, long_timeline_url: str, events) -> None:
    page.goto(long_timeline_url + "/")
    shown = visible_ids(page)
    assert 0 < len(shown) <= 60 and shown == [e["id"] for e in events if e["id"] in shown]
    assert all(int(e["date"]["value"][:4]) >= 2024 for e in events if e["id"] in shown)
    assert page.locator("[data-deferred] a").first.get_attribute("href") == "/years/2018/"
    assert page.locator("[data-match-count]").inner_text() == f"{len(events)} of {len(events)} events"


def test_filtering_a_long_timeline_loads_the_older_years(page, long_timeline_url: str, events) -> None:
    page.goto(f"{long_timeline_url}/?type=sanction")
    expected = ids_where(events, FILTERS["type=sanction"])
    expect(page.locator("[data-match-count]")).to_have_text(f"{len(expected)} of {len(events)} events")
    assert visible_ids(page) == expected
    page.get_by_role("button", name="Clear all filters").click()
    recent = [e["id"] for e in events if e["date"]["value"] >= "2025"]
    assert visible_ids(page) == recent  # back to the light first view
    assert page.locator("[data-deferred]").first.is_visible()


def test_an_actor_page_of_a_long_timeline_loads_only_its_own_older_events(page, long_timeline_url: str, events) -> None:
    page.goto(f"{long_timeline_url}/actors/united-states/")
    assert page.locator("[data-deferred] a").first.get_attribute("href").endswith("?actor=united-states")
    page.goto(f"{long_timeline_url}/actors/united-states/?stance=critical")
    expected = ids_where(
        events, lambda e: e["stance"]["key"] == "critical" and any(a["key"] == "united-states" for a in e["actors"])
    )
    expect(page.locator("[data-match-count]")).to_have_text(re.compile(rf"^{len(expected)} of "))
    assert visible_ids(page) == expected


def test_switching_back_to_oldest_first_restores_the_order(page, site_url: str, events) -> None:
    page.goto(f"{site_url}/?stance=counter-measure&order=desc")
    page.select_option("#filter-order", "asc")
    assert visible_ids(page) == ids_where(events, lambda e: e["stance"]["key"] == "counter-measure")
    years = page.eval_on_selector_all("[data-year-section]", "sections => sections.map(s => s.dataset.yearSection)")
    assert years == sorted(years)


def test_filtering_a_long_timeline_loads_every_page_of_an_older_year(page, paged_site_url: str, events) -> None:
    assert sum(year(e) == 2018 for e in events) > PAGE_SIZE_OF_PAGED_SITE, "2018 should have a second page"
    page.goto(f"{paged_site_url}/?to=2019")
    expected = ids_where(events, lambda e: year(e) <= 2019)
    expect(page.locator("[data-match-count]")).to_have_text(f"{len(expected)} of {len(events)} events")
    assert visible_ids(page) == expected


def test_pages_of_an_older_year_load_in_order_when_newest_comes_first(page, paged_site_url: str, events) -> None:
    page.goto(f"{paged_site_url}/?order=desc")
    page.select_option("#filter-to", "2019")
    expected = ids_where(events, lambda e: year(e) <= 2019)
    expect(page.locator("[data-match-count]")).to_have_text(f"{len(expected)} of {len(events)} events")
    assert visible_ids(page) == list(reversed(expected))


def test_searching_a_page_of_a_long_year_finds_events_on_its_other_pages(page, paged_site_url: str, events) -> None:
    page.goto(f"{paged_site_url}/years/2021/")
    first_page = visible_ids(page)
    page.goto(f"{paged_site_url}/years/2021/2/")
    assert first_page and not set(first_page) & set(visible_ids(page))
    title = next(e["title"] for e in events if e["id"] == first_page[0])
    words = searchable_text({"title": title, "summary": "", "targets": [], "actors": [], "sources": []}).split()
    page.locator("#filter-q").fill(title)
    expected = ids_where(events, lambda e: year(e) == 2021 and all(w in searchable_text(e) for w in words))
    assert first_page[0] in expected
    in_2021 = sum(year(e) == 2021 for e in events)
    expect(page.locator("[data-match-count]")).to_have_text(f"{len(expected)} of {in_2021} events")
    assert visible_ids(page) == expected


def test_clearing_the_filters_on_a_page_of_a_long_year_shows_its_own_events_again(page, paged_site_url: str) -> None:
    page.goto(f"{paged_site_url}/years/2021/2/")
    own = visible_ids(page)
    page.goto(f"{paged_site_url}/years/2021/2/?stance=critical")
    expect(page.locator("[data-match-count]")).not_to_have_text(re.compile("Loading"))
    page.get_by_role("button", name="Clear all filters").click()
    assert visible_ids(page) == own
    assert page.get_by_role("navigation", name="Pages of 2021").is_visible()


def test_newest_first_on_a_page_of_a_long_year_orders_the_whole_year(page, paged_site_url: str, events) -> None:
    page.goto(f"{paged_site_url}/years/2021/2/?order=desc")
    page.select_option("#filter-stance", "critical")
    expected = ids_where(events, lambda e: year(e) == 2021 and e["stance"]["key"] == "critical")
    expect(page.locator("[data-match-count]")).to_have_text(re.compile(rf"^{len(expected)} of "))
    assert visible_ids(page) == list(reversed(expected))
