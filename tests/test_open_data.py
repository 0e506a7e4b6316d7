"""The data is as useful as the site: downloads, feeds, sharing metadata and TimelineJS, read back with real parsers."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import jsonschema
import pytest
from conftest import PROJECT, SITE_EVENTS
from timeline import cli
from timeline.export import _cell
from timeline.schema import load_schema

EVENT_FILES = sorted(path for path in (PROJECT / "events").glob("[0-9]*/*.yaml"))


def load_json(site: Path, name: str) -> dict:
    return json.loads((site / name).read_text(encoding="utf-8"))


def read_csv(site: Path, name: str) -> list[dict]:
    raw = (site / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_events_json_validates_against_its_published_schema(bundled_site: Path) -> None:
    data = load_json(bundled_site, "data/events.json")
    published = load_json(bundled_site, "schema/events-export.schema.json")
    jsonschema.Draft202012Validator(published).validate(data)
    assert sorted(event["id"] for event in data["events"]) == sorted(path.stem for path in EVENT_FILES)
    assert data["count"] == len(EVENT_FILES)
    assert data["license"]["name"] == "CC BY 4.0"
    assert data["build_date"] in data["citation"]


def test_events_csv_has_one_row_per_event_matching_the_json(bundled_site: Path) -> None:
    events = {event["id"]: event for event in load_json(bundled_site, "data/events.json")["events"]}
    rows = read_csv(bundled_site, "data/events.csv")
    assert [row["id"] for row in rows] == list(events)
    for row in rows:
        event = events[row["id"]]
        assert row["title"] == event["title"] or row["title"] == "'" + event["title"]
        assert row["date"] == event["date"]["value"] and row["date_precision"] == event["date"]["precision"]
        assert row["actors"].split("; ") == [actor["key"] for actor in event["actors"]]
        assert int(row["source_count"]) == len(event["sources"])
        assert row["votes_for"] == (
            "" if not event["vote"] or event["vote"]["for"] is None else str(event["vote"]["for"])
        )


def test_sources_csv_has_one_row_per_source_matching_the_json(bundled_site: Path) -> None:
    events = load_json(bundled_site, "data/events.json")["events"]
    rows = read_csv(bundled_site, "data/sources.csv")
    expected = [(event["id"], source["url"], source["primary"]) for event in events for source in event["sources"]]
    assert [(row["event_id"], row["url"], row["primary"] == "true") for row in rows] == expected


@pytest.mark.parametrize("text", ['=HYPERLINK("https://example.org")', "+1", "-2", "@SUM(A1)", "\tx"])
def test_csv_cells_that_would_run_as_formulas_are_made_text(text: str) -> None:
    assert _cell(text) == "'" + text


def test_registries_are_published_with_event_counts(bundled_site: Path) -> None:
    events = load_json(bundled_site, "data/events.json")["events"]
    actors = {actor["key"]: actor for actor in load_json(bundled_site, "data/actors.json")["actors"]}
    types = {kind["key"]: kind for kind in load_json(bundled_site, "data/types.json")["types"]}
    assert actors["canada"]["events"] == sum(any(a["key"] == "canada" for a in e["actors"]) for e in events)
    assert sum(kind["events"] for kind in types.values()) == len(events)
    assert all(kind["definition"] for kind in types.values())


def test_the_main_feed_lists_the_latest_additions_first_with_working_links(bundled_site: Path) -> None:
    feed = feedparser.parse((bundled_site / "feeds" / "all.atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    events = load_json(bundled_site, "data/events.json")["events"]
    assert len(feed.entries) == min(50, len(events))
    changed = [entry.updated_parsed for entry in feed.entries]
    assert changed == sorted(changed, reverse=True)
    for entry in feed.entries:
        path = re.fullmatch(r"/events/([0-9a-z-]+)/", entry.link)
        assert path and (bundled_site / "events" / path.group(1) / "index.html").exists()


def test_a_newly_added_old_event_tops_the_feed(tmp_path: Path) -> None:
    events = tmp_path / "events"
    shutil.copytree(SITE_EVENTS, events)
    oldest = events / "2021" / "2021-03-22-eu-sanctions-xinjiang.yaml"
    oldest.write_text(
        oldest.read_text(encoding="utf-8").replace("added: 2026-11-29", "added: 2026-11-29\nupdated: 2026-11-29"),
        encoding="utf-8",
    )
    for path in events.glob("20*/*.yaml"):
        if path != oldest:
            path.write_text(
                path.read_text(encoding="utf-8").replace("added: 2026-11-29", "added: 2025-01-01"), encoding="utf-8"
            )
    output = tmp_path / "output"
    assert cli.build("pelicanconf.py", str(events), str(output)) == 0
    feed = feedparser.parse((output / "feeds" / "all.atom.xml").read_bytes())
    assert feed.entries[0].link == "/events/2021-03-22-eu-sanctions-xinjiang/"


def test_actor_and_type_feeds_hold_their_slice_and_are_advertised(bundled_site: Path) -> None:
    events = load_json(bundled_site, "data/events.json")["events"]
    for kind, key, keep in (
        ("actors", "canada", lambda e: any(a["key"] == "canada" for a in e["actors"])),
        ("types", "sanction", lambda e: e["type"]["key"] == "sanction"),
    ):
        feed = feedparser.parse((bundled_site / "feeds" / kind / f"{key}.atom.xml").read_bytes())
        assert not feed.bozo
        assert {entry.link for entry in feed.entries} == {e["url"] for e in events if keep(e)}
        page = (bundled_site / kind / key / "index.html").read_text(encoding="utf-8")
        assert f'type="application/atom+xml" href="/feeds/{kind}/{key}.atom.xml"' in page


def test_each_feed_holds_the_newest_additions_and_corrections_of_its_slice_up_to_the_limit(tmp_path: Path) -> None:
    output = tmp_path / "output"
    assert cli.build("pelicanconf.py", None, str(output), {"TIMELINE_FEED_LIMIT": 3}) == 0
    events = load_json(output, "data/events.json")["events"]
    newest = sorted(events, key=lambda e: (e["updated"] or e["added"], e["id"]), reverse=True)
    for feed_path, keep in (
        ("feeds/all.atom.xml", lambda e: True),
        ("feeds/types/sanction.atom.xml", lambda e: e["type"]["key"] == "sanction"),
        ("feeds/actors/united-states.atom.xml", lambda e: any(a["key"] == "united-states" for a in e["actors"])),
    ):
        feed = feedparser.parse((output / feed_path).read_bytes())
        assert [entry.link for entry in feed.entries] == [e["url"] for e in newest if keep(e)][:3], feed_path


def json_ld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_event_pages_describe_the_event_and_its_sources_in_json_ld(bundled_site: Path) -> None:
    events = load_json(bundled_site, "data/events.json")["events"]
    for event in events[:40]:
        document = json_ld((bundled_site / "events" / event["id"] / "index.html").read_text(encoding="utf-8"))
        assert document["@context"] == "https://schema.org" and document["@type"] == "WebPage"
        assert document["mainEntity"]["@type"] == "Event"
        assert document["mainEntity"]["startDate"] == event["date"]["value"]
        assert [citation["url"] for citation in document["citation"]] == [s["url"] for s in event["sources"]]


def test_data_page_describes_a_dataset_with_every_download(bundled_site: Path) -> None:
    page = (bundled_site / "data" / "index.html").read_text(encoding="utf-8")
    document = json_ld(page)
    assert document["@type"] == "Dataset" and document["license"].startswith("https://creativecommons.org/")
    for download in document["distribution"]:
        assert (bundled_site / download["contentUrl"].lstrip("/")).exists()
    for field in load_schema("events-export.schema.json")["$defs"]["event"]["properties"]:
        assert f"<dt><code>{field}</code></dt>" in page


def test_every_page_has_title_description_social_metadata_and_canonical_url(bundled_site: Path) -> None:
    for path in bundled_site.rglob("*.html"):
        if "embed" in path.parts:
            continue
        page = path.read_text(encoding="utf-8")
        for marker in (
            "<title>",
            '<meta name="description" content="',
            '<link rel="canonical"',
            'property="og:title"',
            'property="og:description"',
            'name="twitter:card"',
        ):
            assert marker in page, (path, marker)


def test_sitemap_lists_every_page_and_robots_points_to_it(bundled_site: Path) -> None:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ElementTree.parse(bundled_site / "sitemap.xml")
    locations = {element.text for element in tree.findall(".//s:loc", namespace)}
    assert {f"/events/{path.stem}/" for path in EVENT_FILES} <= locations
    assert {"/", "/actors/", "/data/", "/about/", "/methodology/"} <= locations
    assert not any(location.startswith("/embed/") for location in locations)
    assert "User-agent: *" in (bundled_site / "robots.txt").read_text()


def test_counts_agree_everywhere(bundled_site: Path) -> None:
    count = len(EVENT_FILES)
    assert load_json(bundled_site, "data/events.json")["count"] == count
    assert len(read_csv(bundled_site, "data/events.csv")) == count
    assert f"{count} events from" in (bundled_site / "index.html").read_text(encoding="utf-8")
    assert f"{count} events, built on" in (bundled_site / "data" / "index.html").read_text(encoding="utf-8")
    assert len(load_json(bundled_site, "data/timelinejs/timeline.json")["events"]) == count


@pytest.mark.parametrize("sample", ["sample.json", "sample.csv"])
def test_timelinejs_import_writes_drafts_that_validate(tmp_path: Path, sample: str, capsys) -> None:
    events = tmp_path / "events"
    shutil.copytree(PROJECT / "events" / "registry", events / "registry")
    arguments = [
        "import-timelinejs",
        str(PROJECT / "tests" / "fixtures" / "timelinejs" / sample),
        "--type",
        "sanction",
        "--stance",
        "critical",
        "--actors",
        "canada",
        "--events",
        str(events),
    ]
    assert cli.main(arguments) == 0
    written = sorted(events.glob("20*/*.yaml"))
    assert written, capsys.readouterr()
    assert cli.main(["validate", "--events", str(events)]) == 0, capsys.readouterr()
    if sample == "sample.json":
        assert [path.name for path in written] == [
            "2021-03-22-canada-announces-sanctions.yaml",
            "2022-08-a-month-long-review-no-vote.yaml",
        ]
        assert '"No link here" (2023): no https link to use as a source.' in capsys.readouterr().err
        assert cli.main(arguments) == 0
        assert "a record with this id already exists." in capsys.readouterr().err


def test_timelinejs_import_refuses_unknown_keys(tmp_path: Path, capsys) -> None:
    shutil.copytree(PROJECT / "events" / "registry", tmp_path / "registry")
    arguments = [
        "import-timelinejs",
        str(PROJECT / "tests" / "fixtures" / "timelinejs" / "sample.json"),
        "--type",
        "sanctions",
        "--stance",
        "critical",
        "--actors",
        "canadaa",
        "--events",
        str(tmp_path),
    ]
    assert cli.main(arguments) == 2
    assert capsys.readouterr().err.splitlines() == [
        'unknown type "sanctions". Did you mean "sanction"?',
        'unknown actor "canadaa". Did you mean "canada"?',
    ]
