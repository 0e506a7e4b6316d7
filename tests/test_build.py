"""End to end: build the three-event fixture site with real Pelican and check what readers get."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, SITE_EVENTS
from html_page import read_page
from timeline import cli

RECORDS = sorted(path for path in SITE_EVENTS.glob("*/*.yaml") if path.parent.name != "registry")
IDS = [path.stem for path in RECORDS]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("site") / "output"
    assert cli.build("pelicanconf.py", str(SITE_EVENTS), str(output)) == 0
    return output


def record(event_id: str) -> dict:
    path = next(path for path in RECORDS if path.stem == event_id)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_home_page_shows_every_event_once_as_an_article_named_by_its_id(site: Path) -> None:
    assert read_page(site / "index.html").article_ids == sorted(IDS, key=lambda i: (record(i)["date"], i))


def test_home_page_states_the_number_of_events(site: Path) -> None:
    assert f"{len(IDS)} events from 2021 to 2022" in read_page(site / "index.html").text


@pytest.mark.parametrize("event_id", IDS)
def test_each_event_has_a_page_with_its_sources(site: Path, event_id: str) -> None:
    page = read_page(site / "events" / event_id / "index.html")
    assert page.title.startswith(record(event_id)["title"])
    for source in record(event_id)["sources"]:
        assert source["url"] in page.links


def test_actor_pages_list_exactly_the_actors_events(site: Path) -> None:
    for actor in ("european-union", "china", "un-ohchr"):
        expected = {event_id for event_id in IDS if actor in record(event_id)["actors"]}
        assert set(read_page(site / "actors" / actor / "index.html").article_ids) == expected


def test_type_pages_list_exactly_the_types_events(site: Path) -> None:
    for event_type in ("sanction", "counter-sanction", "un-report"):
        expected = {event_id for event_id in IDS if record(event_id)["type"] == event_type}
        assert set(read_page(site / "types" / event_type / "index.html").article_ids) == expected


def test_year_pages_list_exactly_the_years_events(site: Path) -> None:
    for year in ("2021", "2022"):
        expected = {event_id for event_id in IDS if str(record(event_id)["date"]).startswith(year)}
        assert set(read_page(site / "years" / year / "index.html").article_ids) == expected


def test_index_pages_count_events_per_actor_and_type(site: Path) -> None:
    assert "European Union Intergovernmental body Europe 1" in read_page(site / "actors" / "index.html").text
    assert "Sanction (1 event)" in read_page(site / "types" / "index.html").text


def test_related_events_link_both_ways(site: Path) -> None:
    sanction = read_page(site / "events" / "2021-03-22-eu-sanctions-xinjiang" / "index.html")
    answer = read_page(site / "events" / "2021-03-22-china-counter-sanctions-eu" / "index.html")
    assert "/events/2021-03-22-china-counter-sanctions-eu/" in sanction.links
    assert "/events/2021-03-22-eu-sanctions-xinjiang/" in answer.links


def test_events_json_has_one_normalised_entry_per_record(site: Path) -> None:
    data = json.loads((site / "data" / "events.json").read_text(encoding="utf-8"))
    assert sorted(event["id"] for event in data["events"]) == sorted(IDS)
    assert data["count"] == len(IDS)
    first = next(event for event in data["events"] if event["id"] == "2021-03-22-eu-sanctions-xinjiang")
    assert first["date"] == {"value": "2021-03-22", "precision": "day"}
    assert first["type"] == {"key": "sanction", "label": "Sanction"}
    assert first["actors"][0]["name"] == "European Union"


def test_published_schema_lists_the_registry_keys(site: Path) -> None:
    schema = json.loads((site / "schema" / "event.schema.json").read_text(encoding="utf-8"))
    assert "counter-sanction" in schema["properties"]["type"]["enum"]
    assert schema["properties"]["actors"]["items"]["enum"] == [
        "china",
        "european-union",
        "uk-house-of-commons",
        "un-ohchr",
    ]


def test_404_page_and_content_pages_are_built(site: Path) -> None:
    assert read_page(site / "404.html").title.startswith("Page not found")
    assert read_page(site / "about" / "index.html").title.startswith("About")
    assert read_page(site / "methodology" / "index.html").title.startswith("Methodology")


def test_pages_load_nothing_from_other_hosts(site: Path) -> None:
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for attribute in ("src=", 'rel="stylesheet" href=', 'rel="icon" href='):
            for chunk in html.split(attribute)[1:]:
                assert not chunk.lstrip("\"'").startswith(("http:", "https:", "//")), path


def copy_site_events(tmp_path: Path) -> Path:
    events = tmp_path / "events"
    shutil.copytree(SITE_EVENTS, events)
    return events


def test_titles_are_escaped_not_rendered_as_html(tmp_path: Path) -> None:
    events = copy_site_events(tmp_path)
    path = events / "2022" / "2022-08-31-ohchr-xinjiang-assessment.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: OHCHR", 'title: "<script>alert(1)</script> OHCHR'), encoding="utf-8")
    path.write_text(
        path.read_text(encoding="utf-8").replace("concerns in Xinjiang\n", 'concerns in Xinjiang"\n'), encoding="utf-8"
    )
    output = tmp_path / "output"
    assert cli.build("pelicanconf.py", str(events), str(output)) == 0
    html = (output / "events" / "2022-08-31-ohchr-xinjiang-assessment" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; OHCHR" in html


def test_an_invalid_record_stops_the_build_and_keeps_the_previous_site(tmp_path: Path, capsys) -> None:
    events = copy_site_events(tmp_path)
    output = tmp_path / "output"
    assert cli.build("pelicanconf.py", str(events), str(output)) == 0
    before = sorted(path.relative_to(output) for path in output.rglob("*"))
    broken = events / "2021" / "2021-03-22-eu-sanctions-xinjiang.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("type: sanction", "type: sanctoin"), encoding="utf-8")
    capsys.readouterr()

    assert cli.build("pelicanconf.py", str(events), str(output)) == 1

    assert sorted(path.relative_to(output) for path in output.rglob("*")) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events", "output"]
    assert 'unknown type "sanctoin". Did you mean "sanction"?' in capsys.readouterr().err


def test_validate_command_prints_each_problem_and_exits_nonzero(tmp_path: Path, capsys) -> None:
    events = copy_site_events(tmp_path)
    broken = events / "2022" / "2022-08-31-ohchr-xinjiang-assessment.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("sources:", "souces:"), encoding="utf-8")

    assert cli.main(["validate", "--events", str(events)]) == 1

    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f'{broken}:1:1: missing required field "sources". '
        "Add sources: with at least one entry, each with url, title and publisher.",
        f'{broken}:11:1: unknown field "souces". Did you mean "sources"?',
        "2 error(s), 0 warning(s). Fix the errors above; nothing was built.",
    ]


def test_validate_command_exits_zero_on_valid_records(capsys) -> None:
    assert cli.main(["validate", "--events", str(SITE_EVENTS)]) == 0
    assert capsys.readouterr().out == "Checked 3 event records: no errors, 0 warning(s).\n"


def run_build_command(events: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """`python -m timeline build`, as `make build` runs it, with its output going to a pipe and buffered, as on most
    machines (this project's set PYTHONUNBUFFERED). The command ends without Python's clean-up (timeline/__main__.py):
    what it printed must still reach the pipe, and its status the shell."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "timeline", "build", "--events", str(events), "--output", str(output)]
        + ["--set", "TIMELINE_CACHE_PATH="],
        cwd=PROJECT,
        env={**environment, "PYTHONPATH": str(PROJECT / "plugins")},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_build_command_prints_its_last_line_and_exits_zero_through_a_pipe(tmp_path: Path) -> None:
    output = tmp_path / "output"
    result = run_build_command(copy_site_events(tmp_path), output)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"Built the site into {output}."
    assert (output / "index.html").is_file()


def test_the_build_command_prints_every_error_and_exits_nonzero_through_a_pipe(tmp_path: Path) -> None:
    events = copy_site_events(tmp_path)
    broken = events / "2021" / "2021-03-22-eu-sanctions-xinjiang.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("type: sanction", "type: sanctoin"), "utf-8")
    output = tmp_path / "output"
    result = run_build_command(events, output)
    assert result.returncode == 1
    assert 'unknown type "sanctoin". Did you mean "sanction"?' in result.stderr
    assert result.stderr.splitlines()[-1] == "1 error(s), 0 warning(s). Fix the errors above; nothing was built."
    assert not output.exists()


def test_the_command_run_under_a_profiler_exits_as_usual_so_the_profile_is_written(tmp_path: Path) -> None:
    profile = tmp_path / "validate.prof"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(profile),
            "-m",
            "timeline",
            "validate",
            "--events",
            str(SITE_EVENTS),
        ]
        + ["--set", "TIMELINE_CACHE_PATH="],
        cwd=PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT / "plugins")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Checked 3 event records" in result.stdout
    assert profile.stat().st_size > 0
