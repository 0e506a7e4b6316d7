"""Contributors: scaffold a record, get told what is missing, keep links alive, and find the checks on every PR."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, SITE_EVENTS
from html_page import read_page
from timeline import cli
from timeline.linkcheck import check_urls


def events_folder(tmp_path: Path) -> Path:
    events = tmp_path / "events"
    shutil.copytree(SITE_EVENTS, events)
    return events


NEW_EVENT = [
    "new",
    "--date",
    "2021-03-22",
    "--type",
    "sanction",
    "--actors",
    "european-union",
    "--title",
    "EU sanctions four officials over Xinjiang",
]


def test_new_with_every_answer_writes_a_record_that_validates_and_builds(tmp_path: Path, capsys) -> None:
    events = events_folder(tmp_path)
    arguments = NEW_EVENT + [
        "--stance",
        "critical",
        "--summary",
        "The Council of the European Union imposed travel bans and asset freezes.",
        "--source-url",
        "https://www.observerbd.com/news.php?id=305012",
        "--source-title",
        "Western nations sanction China (Reuters copy)",
        "--source-publisher",
        "Daily Observer (Reuters)",
        "--events",
        str(events),
    ]
    assert cli.main(arguments) == 0
    path = events / "2021" / "2021-03-22-eu-sanctions-four-officials-over-xinjiang.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert record["added"] == datetime.datetime.now(datetime.UTC).date()
    assert record["actors"] == ["european-union"] and record["stance"] == "critical"
    assert cli.main(["validate", "--events", str(events)]) == 0
    assert cli.build("pelicanconf.py", str(events), str(tmp_path / "output")) == 0
    assert (tmp_path / "output" / "events" / path.stem / "index.html").exists()


def test_new_explains_every_field_and_leaves_todo_for_what_is_missing(tmp_path: Path, capsys) -> None:
    events = events_folder(tmp_path)
    assert cli.main(NEW_EVENT + ["--events", str(events)]) == 0
    text = (events / "2021" / "2021-03-22-eu-sanctions-four-officials-over-xinjiang.yaml").read_text(encoding="utf-8")
    for field in (
        "date",
        "end_date",
        "title",
        "type",
        "stance",
        "actors",
        "summary",
        "targets",
        "outcome",
        "vote",
        "signatories",
        "related",
        "distinct_from",
        "previous_ids",
        "tags",
        "sources",
        "note",
        "added",
    ):
        assert re.search(rf"^#? ?{field}:", text, re.MULTILINE), field
    assert text.count("\n# ") > 15
    capsys.readouterr()
    assert cli.main(["validate", "--events", str(events)]) == 1
    messages = [line.split(": ", 1)[1] for line in capsys.readouterr().err.splitlines()[:-1]]
    assert messages == [
        f'"{field}" still says TODO. Replace it: the comment above it says what to write.'
        for field in ("stance", "summary", "url", "title", "publisher")
    ]


def test_new_refuses_an_id_that_is_taken(tmp_path: Path, capsys) -> None:
    events = events_folder(tmp_path)
    assert cli.main(NEW_EVENT + ["--events", str(events)]) == 0
    assert cli.main(NEW_EVENT + ["--events", str(events)]) == 2
    assert "2021-03-22-eu-sanctions-four-officials-over-xinjiang is already an event id" in capsys.readouterr().err


def test_new_refuses_unknown_keys_with_a_suggestion(tmp_path: Path, capsys) -> None:
    events = events_folder(tmp_path)
    arguments = [
        "new",
        "--date",
        "2021-03-22",
        "--type",
        "sanctoin",
        "--actors",
        "european-unoin",
        "--title",
        "X",
        "--events",
        str(events),
    ]
    assert cli.main(arguments) == 2
    assert capsys.readouterr().err.splitlines() == [
        'unknown TYPE "sanctoin". Did you mean "sanction"?',
        'unknown actor "european-unoin". Did you mean "european-union"?',
    ]


def test_make_new_with_arguments_writes_the_record(tmp_path: Path) -> None:
    events = events_folder(tmp_path)
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "new",
            f"EVENTS={events}",
            "DATE=2022-08-31",
            "TYPE=un-report",
            "ACTORS=un-ohchr",
            "TITLE=OHCHR publishes a second assessment",
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (events / "2022" / "2022-08-31-ohchr-publishes-a-second-assessment.yaml").exists()


def test_a_renamed_record_keeps_its_old_address(tmp_path: Path) -> None:
    events = events_folder(tmp_path)
    old = events / "2022" / "2022-08-31-ohchr-xinjiang-assessment.yaml"
    new = events / "2022" / "2022-08-31-ohchr-assessment-of-xinjiang.yaml"
    new.write_text(
        old.read_text(encoding="utf-8").replace(
            "added:", "previous_ids: [2022-08-31-ohchr-xinjiang-assessment]\nadded:"
        ),
        encoding="utf-8",
    )
    old.unlink()
    output = tmp_path / "output"
    assert cli.build("pelicanconf.py", str(events), str(output)) == 0
    redirect = (output / "events" / "2022-08-31-ohchr-xinjiang-assessment" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/events/2022-08-31-ohchr-assessment-of-xinjiang/">' in redirect
    assert (output / "embed" / "events" / "2022-08-31-ohchr-xinjiang-assessment" / "index.html").exists()


def test_an_old_id_cannot_be_reused(tmp_path: Path, capsys) -> None:
    events = events_folder(tmp_path)
    path = events / "2022" / "2022-08-31-ohchr-xinjiang-assessment.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("added:", "previous_ids: [2021-03-22-eu-sanctions-xinjiang]\nadded:"),
        encoding="utf-8",
    )
    assert cli.main(["validate", "--events", str(events)]) == 1
    assert 'previous id "2021-03-22-eu-sanctions-xinjiang" is the id of an existing event.' in capsys.readouterr().err


def test_event_pages_link_to_edit_and_correct_the_record_when_a_repository_is_set(tmp_path: Path) -> None:
    settings = tmp_path / "conf.py"
    settings.write_text(
        (PROJECT / "pelicanconf.py").read_text(encoding="utf-8")
        + '\nTIMELINE_REPOSITORY_URL = "https://github.com/example/timeline"\n'
        + f'PATH = "{PROJECT / "content"}"\nTHEME = "{PROJECT / "theme"}"\nPLUGIN_PATHS = ["{PROJECT / "plugins"}"]\n',
        encoding="utf-8",
    )
    output = tmp_path / "output"
    assert cli.build(str(settings), str(SITE_EVENTS), str(output)) == 0
    links = read_page(output / "events" / "2021-03-22-eu-sanctions-xinjiang" / "index.html").links
    assert (
        "https://github.com/example/timeline/edit/main/tests/fixtures/site/events/2021/2021-03-22-eu-sanctions-xinjiang.yaml"
        in links
    )
    assert any(link.startswith("https://github.com/example/timeline/issues/new?title=Correction") for link in links)


def test_edit_links_are_hidden_without_a_repository(bundled_site: Path) -> None:
    assert (
        "Edit this record"
        not in (bundled_site / "events" / "2021-03-22-eu-sanctions-xinjiang" / "index.html").read_text()
    )


def test_changes_page_lists_records_by_their_last_change(bundled_site: Path) -> None:
    page = read_page(bundled_site / "changes" / "index.html")
    assert len([link for link in page.links if link.startswith("/events/")]) == 100


def test_workflow_runs_the_same_checks_as_make_test() -> None:
    workflow = yaml.safe_load((PROJECT / ".github" / "workflows" / "checks.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    assert any(run.strip() == "make test" for run in steps)
    assert any("validate --format github" in run for run in steps)
    assert any(run.strip() == "make build" for run in steps)
    assert "pull_request" in workflow[True] and workflow[True]["push"]["branches"] == ["main"]
    assert any(step.get("uses", "").startswith("actions/deploy-pages") for step in workflow["jobs"]["deploy"]["steps"])
    assert (PROJECT / ".ci" / "run").read_text().strip().endswith("make test")


def test_validation_problems_become_github_annotations(tmp_path: Path, capsys) -> None:
    events = events_folder(tmp_path)
    broken = events / "2021" / "2021-03-22-eu-sanctions-xinjiang.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("type: sanction", "type: sanctoin"), encoding="utf-8")
    assert cli.main(["validate", "--events", str(events), "--format", "github", "--review", str(broken)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert f'::error file={broken},line=3,col=1::unknown type "sanctoin". Did you mean "sanction"?' in lines
    assert any(
        line.startswith(f"::warning file={broken},line=") and "no source is marked primary" in line for line in lines
    )


def test_editor_schema_is_up_to_date_with_the_registries() -> None:
    from timeline.export import published_event_schema
    from timeline.registry import load_registry

    registry, _ = load_registry(PROJECT / "events" / "registry", max_bytes=65536)
    committed = (PROJECT / "events" / "event.schema.json").read_text(encoding="utf-8")
    assert committed == published_event_schema(registry), "run `make schema` after changing a registry"


class _LinkHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _answer(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/good")
            self.end_headers()
            return
        self.send_response(200 if self.path in ("/good", "/slow") else 404)
        self.end_headers()


@pytest.fixture
def link_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LinkHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_link_checker_reports_good_missing_slow_and_moved_pages(link_server: str) -> None:
    results = check_urls(
        [f"{link_server}/{name}" for name in ("good", "missing", "slow", "moved")], timeout=0.5, retries=1
    )
    assert {url.rsplit("/", 1)[1]: result.status for url, result in results.items()} == {
        "good": "ok",
        "missing": "broken",
        "slow": "unreachable",
        "moved": "redirected",
    }
    assert results[f"{link_server}/moved"].final_url == f"{link_server}/good"


def test_linkcheck_command_names_the_file_and_line(tmp_path: Path, link_server: str, capsys) -> None:
    events = events_folder(tmp_path)
    path = events / "2022" / "2022-08-31-ohchr-xinjiang-assessment.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "https://www.tibetanreview.net/un-rights-report-says-china-may-be-guilty-of-crime-against-humanity-in-xinjiang/",
        f"{link_server}/missing",
    )
    text = text.replace(
        "https://en.wikipedia.org/wiki/UN_Human_Rights_Office_report_on_Xinjiang", f"{link_server}/good"
    )
    path.write_text(
        text.replace("    date: 2022-09-01\n", "    date: 2022-09-01\n    no_https: true\n", 1), encoding="utf-8"
    )
    for other in events.glob("2021/*.yaml"):
        other.unlink()
    assert cli.main(["linkcheck", "--events", str(events), "--timeout", "1"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{path}:12:5: broken: {link_server}/missing (HTTP 404). "
        f"Look for an archived copy at https://web.archive.org/web/*/{link_server}/missing and add it as archive_url."
    )
    assert out[-1] == "Checked 2 addresses cited 2 times: 1 need a look."
