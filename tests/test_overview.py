"""The overview's charts and map say what the data says: numbers read back from the SVG equal counts from events.json."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest
from timeline.overview import in_sentence

STATE_BODIES = {"state", "parliament", "court", "government-agency"}


@pytest.fixture(scope="module")
def events(bundled_site: Path) -> list[dict]:
    return json.loads((bundled_site / "data" / "events.json").read_text(encoding="utf-8"))["events"]


@pytest.fixture(scope="module")
def overview(bundled_site: Path) -> str:
    return (bundled_site / "overview" / "index.html").read_text(encoding="utf-8")


def chart(html: str, name: str) -> ElementTree.Element:
    svg = re.search(rf'<svg [^>]*data-chart="{name}".*?</svg>', html, re.DOTALL).group(0)
    return ElementTree.fromstring(svg)


def links(root: ElementTree.Element) -> list[tuple[str, ElementTree.Element]]:
    return [(anchor.get("href"), shape) for anchor in root.iter("a") for shape in anchor if shape.get("data-count")]


def test_year_bars_count_each_years_events_by_stance(overview: str, events: list[dict]) -> None:
    expected = Counter((int(e["date"]["value"][:4]), e["stance"]["key"]) for e in events)
    drawn = {
        (int(rect.get("data-year")), rect.get("data-stance")): int(rect.get("data-count"))
        for rect in chart(overview, "years").iter("rect")
    }
    assert drawn == dict(expected)


def test_each_year_bar_links_to_its_filtered_timeline(overview: str) -> None:
    for href, rect in links(chart(overview, "years")):
        year, stance = rect.get("data-year"), rect.get("data-stance")
        assert href == f"/?from={year}&to={year}&stance={stance}"


def test_bar_heights_are_proportional_to_counts(overview: str) -> None:
    rects = list(chart(overview, "years").iter("rect"))
    per_event = [float(rect.get("height")) / int(rect.get("data-count")) for rect in rects]
    assert max(per_event) - min(per_event) < 0.1


def test_type_bars_count_each_types_events(overview: str, events: list[dict]) -> None:
    expected = Counter(e["type"]["key"] for e in events)
    drawn = {rect.get("data-type"): int(rect.get("data-count")) for rect in chart(overview, "types").iter("rect")}
    assert drawn == dict(expected)
    assert all(href == f"/?type={rect.get('data-type')}" for href, rect in links(chart(overview, "types")))


def test_map_counts_each_states_acts_and_links_to_an_existing_actor_page(
    overview: str, events, bundled_site: Path
) -> None:
    expected: Counter = Counter()
    for event in events:
        codes = {a["iso3166"] or a["country"] for a in event["actors"] if a["kind"] in STATE_BODIES} - {None}
        expected.update(codes)
    drawn = {}
    for href, path in links(chart(overview, "map")):
        drawn[path.get("data-code")] = int(path.get("data-count"))
        assert re.fullmatch(r"/actors/[a-z0-9-]+/", href) and (bundled_site / href.strip("/") / "index.html").exists()
    mapped = {code: count for code, count in expected.items() if code in drawn}
    assert drawn == mapped
    assert len(drawn) >= 30
    map_svg = chart(overview, "map")
    counted = [path.get("data-code") for path in map_svg.iter("path") if path.get("data-count")]
    assert counted == [shape.get("data-code") for _, shape in links(map_svg)]  # every counted country is a link


def test_states_are_coloured_by_the_stances_of_their_acts(overview: str) -> None:
    classes = {path.get("data-code"): path.get("class") for _, path in links(chart(overview, "map"))}
    assert classes["CN"] == "map-beijing"
    assert classes["CA"] == "map-critical"
    assert classes["PK"] == "map-supportive"
    assert classes["TR"] == "map-both"


def test_joint_statement_bars_give_the_number_of_states(overview: str, events: list[dict]) -> None:
    statements = {e["id"]: e for e in events if e["type"]["key"] == "joint-statement"}
    drawn = {rect.get("data-event"): int(rect.get("data-count")) for rect in chart(overview, "statements").iter("rect")}
    assert set(drawn) == set(statements)
    for event_id, count in drawn.items():
        event = statements[event_id]
        named = sum(1 for actor in event["actors"] if actor["kind"] == "state")
        assert count == (event["signatories"]["count"] if event["signatories"] else named)


def test_every_chart_has_a_title_a_summary_and_a_table(overview: str) -> None:
    for name, title in (
        ("years", "years-title"),
        ("types", "types-title"),
        ("map", "map-title"),
        ("statements", "blocs-title"),
    ):
        svg = re.search(rf'<svg [^>]*data-chart="{name}"[^>]*>', overview).group(0)
        assert f'aria-labelledby="{title}"' in svg and "aria-describedby=" in svg
    assert overview.count("<summary>The numbers as a table</summary>") == 3


def test_actor_pages_chart_their_events_per_year(bundled_site: Path, events: list[dict]) -> None:
    html = (bundled_site / "actors" / "united-states" / "index.html").read_text(encoding="utf-8")
    svg = ElementTree.fromstring(re.search(r'<figure class="actor-chart">\s*(<svg.*?</svg>)', html, re.DOTALL).group(1))
    drawn = {int(rect.get("data-year")): int(rect.get("data-count")) for rect in svg.iter("rect")}
    expected = Counter(
        int(e["date"]["value"][:4]) for e in events if any(a["key"] == "united-states" for a in e["actors"])
    )
    assert {year: count for year, count in drawn.items() if count} == dict(expected)


def test_the_overview_is_linked_from_the_home_page_and_the_navigation(bundled_site: Path) -> None:
    home = (bundled_site / "index.html").read_text(encoding="utf-8")
    assert home.count('href="/overview/"') >= 2


def test_the_stored_country_outlines_are_the_projection_of_the_vendored_atlas() -> None:
    from timeline.worldmap import country_shapes, project_countries

    assert country_shapes() == project_countries()  # else run `make world-atlas` after changing the projection


def test_labels_in_the_overview_text_keep_their_names_and_acronyms(overview: str) -> None:
    lead = re.search(r'<p class="lead">(.*?)</p>', overview, re.DOTALL).group(1)
    assert "Supportive of Beijing" in lead and "beijing" not in lead
    text = re.sub(r"<[^>]*>", " ", overview)  # what a reader sees and hears: the tooltips and summaries too
    assert "Supportive of Beijing" in text and "beijing" not in text
    assert in_sentence("UN report") == "UN report"
    assert in_sentence("Government statement") == "government statement"
