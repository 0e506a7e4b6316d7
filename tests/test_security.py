"""Hostile input, safe output: contributor text never becomes active content, and the build is all-or-nothing."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from conftest import FIXTURES, PROJECT, SITE_EVENTS
from site_server import serve
from timeline import cli
from timeline.headers import CONTENT_SECURITY_POLICY

HOSTILE_EVENTS = FIXTURES / "hostile" / "events"
HOSTILE_ID = "2021-03-22-hostile-record"
HOSTILE_TITLE = "</script><script>alert('title')</script><img src=x onerror=alert('title')> \"quoted\" & more"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("hostile") / "output"
    assert cli.build("pelicanconf.py", str(HOSTILE_EVENTS), str(output)) == 0
    return output


class ActiveContent(HTMLParser):
    """Collects anything in a page that could run: scripts other than our files and JSON-LD, handlers, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") != "application/ld+json":
            if not (attributes.get("src") or "").startswith("/theme/js/"):
                self.found.append(f"<script {attrs}>")
        # The site draws its own charts in SVG; injected SVG would show up through its handlers below.
        if tag in ("iframe", "object", "embed", "img", "base", "frame", "meta") and not (
            tag == "meta" and attributes.get("http-equiv") in (None, "Content-Security-Policy", "refresh")
        ):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.found.append(f"{tag} {name}={value}")
            if name in ("href", "src", "action") and value and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                self.found.append(f"{tag} {name}={value}")


def active_content(html: str) -> list[str]:
    scanner = ActiveContent()
    scanner.feed(html)
    return scanner.found


def test_no_page_holds_active_content_from_the_records(hostile_site: Path) -> None:
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        assert active_content(path.read_text(encoding="utf-8")) == [], path


def test_json_ld_cannot_be_closed_by_a_title(hostile_site: Path) -> None:
    html = (hostile_site / "events" / HOSTILE_ID / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1)
    assert json.loads(block)["name"] == HOSTILE_TITLE


def test_feeds_carry_the_title_as_text(hostile_site: Path) -> None:
    feed = feedparser.parse((hostile_site / "feeds" / "all.atom.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].title == HOSTILE_TITLE


def test_csv_cells_that_look_like_formulas_are_made_text(hostile_site: Path) -> None:
    text = (hostile_site / "data" / "sources.csv").read_text(encoding="utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    assert row["publisher"] == '\'=HYPERLINK("https://example.org","publisher")'
    events = next(
        csv.DictReader(io.StringIO((hostile_site / "data" / "events.csv").read_text(encoding="utf-8-sig"), newline=""))
    )
    assert events["targets"].startswith('"><svg')


def test_pages_in_a_browser_run_no_script_from_the_records(browser, hostile_site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(hostile_site) as url:
        for path in (
            "/",
            f"/events/{HOSTILE_ID}/",
            "/actors/hostile-actor/",
            "/types/sanction/",
            "/years/2021/",
            "/embed/",
            f"/embed/events/{HOSTILE_ID}/",
            "/data/",
            "/changes/",
            "/?q=alert",
        ):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
        page.goto(f"{url}/events/{HOSTILE_ID}/")
        page.get_by_text("Embed", exact=True).click()
        page.wait_for_load_state("networkidle")
        title = page.locator("h1").inner_text()
    context.close()
    assert dialogs == []
    assert title == HOSTILE_TITLE


def test_every_page_carries_the_strict_content_security_policy(bundled_site: Path) -> None:
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    for path in bundled_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert '<meta http-equiv="Content-Security-Policy" content="' in html, path
        assert re.search(r'<meta name="referrer" content="(no-referrer|strict-origin-when-cross-origin)">', html), path
    headers = (bundled_site / "_headers").read_text(encoding="utf-8")
    assert f"Content-Security-Policy: {CONTENT_SECURITY_POLICY}" in headers
    assert "Referrer-Policy: no-referrer" in headers


def test_links_to_other_sites_do_not_pass_on_the_opener_or_referrer(bundled_site: Path) -> None:
    for path in [
        bundled_site / "index.html",
        bundled_site / "events" / "2021-03-22-eu-sanctions-xinjiang" / "index.html",
        bundled_site / "about" / "index.html",
        bundled_site / "data" / "index.html",
    ]:
        for tag in re.findall(r'<a [^>]*href="https?://[^"]*"[^>]*>', path.read_text(encoding="utf-8")):
            rel = re.search(r'rel="([^"]*)"', tag)
            assert rel and {"noopener", "noreferrer"} <= set(rel.group(1).split()), (path, tag)


@pytest.mark.parametrize(
    "name",
    ["home", "event", "actor", "type", "year", "data", "changes", "embed", "embedded event", "about", "404"],
)
def test_pages_raise_no_csp_violation_and_stay_on_their_origin(browser, site_url: str, name: str) -> None:
    path = {
        "home": "/?type=sanction&q=EU",
        "event": "/events/2021-03-22-eu-sanctions-xinjiang/",
        "actor": "/actors/canada/",
        "type": "/types/sanction/",
        "year": "/years/2022/",
        "data": "/data/",
        "changes": "/changes/",
        "embed": "/embed/?limit=5&theme=dark",
        "embedded event": "/embed/events/2021-03-22-eu-sanctions-xinjiang/",
        "about": "/about/",
        "404": "/missing/",
    }[name]
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(
        "window.__violations = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    if name == "event":
        page.get_by_text("Embed", exact=True).click()
        page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    context.close()
    assert violations == []
    assert all(url.startswith(site_url + "/") for url in requested), requested


def test_building_the_same_records_twice_gives_identical_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795910400")  # 2026-11-29
    first, second = tmp_path / "first", tmp_path / "second"
    assert cli.build("pelicanconf.py", str(PROJECT / "events"), str(first)) == 0
    assert cli.build("pelicanconf.py", str(PROJECT / "events"), str(second)) == 0
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(second) for path in second.rglob("*") if path.is_file())
    assert [name for name in files if (first / name).read_bytes() != (second / name).read_bytes()] == []


def test_every_record_appears_in_every_output(bundled_site: Path) -> None:
    ids = {path.stem for path in (PROJECT / "events").glob("[0-9]*/*.yaml")}
    home = (bundled_site / "index.html").read_text(encoding="utf-8")
    embed = (bundled_site / "embed" / "index.html").read_text(encoding="utf-8")
    sitemap = (bundled_site / "sitemap.xml").read_text(encoding="utf-8")
    events_csv = (bundled_site / "data" / "events.csv").read_bytes().decode("utf-8-sig")
    sources_csv = (bundled_site / "data" / "sources.csv").read_bytes().decode("utf-8-sig")
    timeline = json.loads((bundled_site / "data" / "timelinejs" / "timeline.json").read_text(encoding="utf-8"))
    data = json.loads((bundled_site / "data" / "events.json").read_text(encoding="utf-8"))
    years = "".join(path.read_text(encoding="utf-8") for path in (bundled_site / "years").glob("*/index.html"))
    for event_id in ids:
        assert f'<article id="{event_id}"' in home and f'<article id="{event_id}"' in embed
        assert f'<article id="{event_id}"' in years
        assert f"/events/{event_id}/" in sitemap
        assert (bundled_site / "events" / event_id / "index.html").exists()
        assert (bundled_site / "embed" / "events" / event_id / "index.html").exists()
        assert events_csv.count(f"\r\n{event_id},") == 1 and f"\r\n{event_id}," in sources_csv
    assert {event["unique_id"] for event in timeline["events"]} == ids
    assert {event["id"] for event in data["events"]} == ids


def test_a_crash_during_the_build_leaves_the_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = tmp_path / "events"
    shutil.copytree(SITE_EVENTS, events)
    output = tmp_path / "output"
    assert cli.build("pelicanconf.py", str(events), str(output)) == 0
    before = {path.relative_to(output): path.read_bytes() for path in output.rglob("*") if path.is_file()}

    def crash(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr("timeline.generator.sitemap_xml", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        cli.build("pelicanconf.py", str(events), str(output), full=True)
    after = {path.relative_to(output): path.read_bytes() for path in output.rglob("*") if path.is_file()}
    assert after == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events", "output"]


def test_registry_labels_are_escaped_in_feeds_and_the_timelinejs_export(hostile_site: Path) -> None:
    timeline = json.loads((hostile_site / "data" / "timelinejs" / "timeline.json").read_text(encoding="utf-8"))
    assert timeline["events"][0]["group"] == "Sanction &lt;img src=x onerror=alert(&#x27;type&#x27;)&gt;"
    feed = feedparser.parse((hostile_site / "feeds" / "all.atom.xml").read_bytes())
    assert "<img" not in feed.entries[0].summary
    assert "Sanction &lt;img" in feed.entries[0].summary
