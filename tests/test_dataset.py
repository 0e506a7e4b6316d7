"""Checks of the bundled data that keep it honest as it grows. They fail when the data breaks a rule."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import PROJECT
from html_page import read_page
from timeline import cli, query
from timeline.dataset import Dataset, load_dataset
from timeline.settings import read_settings
from timeline.validate import url_problem

EVENTS = PROJECT / "events"
FIRST_YEAR, LAST_YEAR = 2018, 2025


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    loaded, problems = load_dataset(read_settings({"TIMELINE_EVENTS_PATH": str(EVENTS)}))
    assert [problem.format() for problem in problems] == []
    assert loaded is not None
    return loaded


def test_bundled_dataset_has_at_least_200_events(dataset: Dataset) -> None:
    assert len(dataset.events) >= 200


def test_every_event_has_a_source_and_every_source_url_follows_the_https_rule(dataset: Dataset) -> None:
    for event in dataset.events:
        assert event.sources, event.id
        for source in event.sources:
            assert url_problem(source.url, allow_http=True) == "", (event.id, source.url)
            if source.url.startswith("http://"):
                record = (EVENTS / str(event.year) / f"{event.id}.yaml").read_text(encoding="utf-8")
                assert "no_https: true" in record, event.id


def test_no_two_events_share_date_actors_and_type_unless_marked_distinct(dataset: Dataset) -> None:
    assert [[event.id for event in group] for group in query.likely_duplicates(dataset.events)] == []


def test_likely_duplicates_are_found_until_marked_distinct(dataset: Dataset) -> None:
    first = dataset.events[0]
    twin = dataclasses.replace(first, id=f"{first.id}-copy")
    assert query.likely_duplicates([first, twin]) == [(first, twin)]
    marked = dataclasses.replace(twin, distinct_ids=(first.id,))
    assert query.likely_duplicates([first, marked]) == []


def test_every_registry_entry_is_used_or_reserved(dataset: Dataset) -> None:
    used_actors = {actor.key for event in dataset.events for actor in event.actors}
    used_types = {event.type.key for event in dataset.events}
    assert [
        key for key, actor in dataset.registry.actors.items() if key not in used_actors and not actor.is_reserved
    ] == []
    assert [key for key, kind in dataset.registry.types.items() if key not in used_types and not kind.is_reserved] == []


def test_every_year_has_events(dataset: Dataset) -> None:
    years = {event.year for event in dataset.events}
    assert [year for year in range(FIRST_YEAR, LAST_YEAR + 1) if year not in years] == []


def test_every_stance_has_events(dataset: Dataset) -> None:
    assert {event.stance.key for event in dataset.events} == set(dataset.registry.stances)


def test_coverage_spans_thirty_actors_and_five_regions(dataset: Dataset) -> None:
    actors = {actor for event in dataset.events for actor in event.actors}
    assert len(actors) >= 30
    assert len({actor.region.key for actor in actors}) >= 5


def test_every_state_actor_has_an_iso_code_and_every_actor_a_region(dataset: Dataset) -> None:
    for actor in dataset.registry.actors.values():
        assert actor.region.name
        if actor.kind.value == "state":
            assert len(actor.iso3166) == 2, actor.key


def test_bundled_dataset_builds_with_every_event_on_the_index(tmp_path: Path, dataset: Dataset) -> None:
    output = tmp_path / "output"
    assert cli.build("pelicanconf.py", str(EVENTS), str(output)) == 0
    ids = {path.stem for path in EVENTS.glob("[0-9]*/*.yaml")}
    assert set(read_page(output / "index.html").article_ids) == ids
    assert {event["id"] for event in json.loads((output / "data" / "events.json").read_text())["events"]} == ids
    assert {path.name for path in (output / "events").iterdir()} == ids
