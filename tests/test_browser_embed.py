"""Journalists embed the timeline, a filtered slice or one event in a page on another site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from site_server import serve

SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"
CARD_IDS = "cards => cards.filter(card => card.offsetParent !== null).map(card => card.id)"


@pytest.fixture(scope="module")
def events(bundled_site: Path) -> list[dict]:
    return json.loads((bundled_site / "data" / "events.json").read_text(encoding="utf-8"))["events"]


@pytest.fixture(scope="module")
def host_url(site_url: str, tmp_path_factory: pytest.TempPathFactory):
    """An article on another origin (another port) that embeds a filtered timeline, an event and a foreign frame."""
    folder = tmp_path_factory.mktemp("host")
    (folder / "foreign.html").write_text("<!doctype html><title>foreign</title><p>foreign</p>", encoding="utf-8")
    (folder / "index.html").write_text(
        f"""<!doctype html><html lang="en"><head><title>Article</title></head><body>
<h1>Article</h1><p>Before.</p>
<iframe id="timeline" src="{site_url}/embed/?actor=eu&amp;type=sanction&amp;from=2021" title="Sanctions"
  width="100%" height="300" style="border:0" sandbox="{SANDBOX}"></iframe>
<iframe id="event" src="{site_url}/embed/events/2021-03-22-eu-sanctions-xinjiang/" title="One event"
  width="100%" height="150" style="border:0" sandbox="{SANDBOX}"></iframe>
<iframe id="pym" src="{site_url}/embed/events/2021-03-22-eu-sanctions-xinjiang/?childId=story" title="Pym"
  width="100%" height="150" style="border:0" sandbox="{SANDBOX}"></iframe>
<iframe id="foreign" src="foreign.html" title="Foreign" height="120" style="border:0"></iframe>
<p>After.</p>
<script>
window.pymMessages = [];
window.addEventListener("message", function (event) {{
  if (typeof event.data === "string" && event.data.indexOf("pym") === 0) window.pymMessages.push(event.data);
}});
</script>
<script src="{site_url}/theme/js/embed-host.js" async></script>
</body></html>""",
        encoding="utf-8",
    )
    with serve(folder) as url:
        yield url


def frame_height(page, frame_id: str) -> float:
    return page.eval_on_selector(f"#{frame_id}", "frame => frame.getBoundingClientRect().height")


def content_height(page, frame_id: str) -> float:
    return page.frame_locator(f"#{frame_id}").locator("body").evaluate("body => body.getBoundingClientRect().height")


def wait_until_fitted(page, frame_id: str) -> None:
    for _ in range(50):
        if abs(frame_height(page, frame_id) - content_height(page, frame_id)) <= 3:
            return
        page.wait_for_timeout(100)
    raise AssertionError(
        f"{frame_id}: frame {frame_height(page, frame_id)} px, content {content_height(page, frame_id)} px"
    )


def test_embedded_filtered_timeline_shows_the_matching_events(page, host_url: str, events) -> None:
    page.goto(host_url + "/")
    frame = page.frame_locator("#timeline")
    expected = [
        event["id"]
        for event in events
        if event["type"]["key"] == "sanction"
        and int(event["date"]["value"][:4]) >= 2021
        and any("eu" in actor["memberships"] for actor in event["actors"])
    ]
    expect(frame.locator("[data-match-count]")).to_have_text(f"{len(expected)} of {len(events)} events")
    assert frame.locator("article[data-type]").evaluate_all(CARD_IDS) == expected


@pytest.mark.parametrize("frame_id", ["timeline", "event"])
def test_iframe_takes_the_height_of_its_content(page, host_url: str, frame_id: str) -> None:
    page.goto(host_url + "/")
    wait_until_fitted(page, frame_id)
    assert frame_height(page, frame_id) > 150


def test_iframe_follows_when_the_embedded_content_changes(page, host_url: str) -> None:
    page.goto(host_url + "/")
    wait_until_fitted(page, "timeline")
    before = frame_height(page, "timeline")
    page.frame_locator("#timeline").locator("html").evaluate("root => root.classList.add('compact')")
    wait_until_fitted(page, "timeline")
    assert frame_height(page, "timeline") < before - 50


@pytest.mark.parametrize(
    "message",
    [
        "{type: 'timeline-embed:height', height: '999px'}",
        "{type: 'timeline-embed:height', height: -5}",
        "{type: 'other', height: 999}",
        "{height: 999}",
        "'timeline-embed:height 999'",
    ],
)
def test_messages_of_the_wrong_shape_are_ignored(page, host_url: str, message: str) -> None:
    page.goto(host_url + "/")
    wait_until_fitted(page, "event")
    before = frame_height(page, "event")
    page.frame_locator("#event").locator("body").evaluate(f"() => parent.postMessage({message}, '*')")
    page.wait_for_timeout(200)
    assert frame_height(page, "event") == before


def test_messages_from_another_origin_are_ignored(page, host_url: str) -> None:
    page.goto(host_url + "/")
    page.wait_for_load_state("load")
    before = frame_height(page, "foreign")
    page.frame_locator("#foreign").locator("body").evaluate(
        "() => parent.postMessage({type: 'timeline-embed:height', height: 900}, '*')"
    )
    page.evaluate("() => window.postMessage({type: 'timeline-embed:height', height: 900}, '*')")
    page.wait_for_timeout(200)
    assert frame_height(page, "foreign") == before


def test_pym_style_height_messages_are_sent_when_asked(page, host_url: str) -> None:
    page.goto(host_url + "/")
    expect(page.locator("#pym")).to_be_visible()
    for _ in range(30):
        messages = page.evaluate("window.pymMessages")
        if messages:
            break
        page.wait_for_timeout(100)
    assert re.fullmatch(r"pymxPYMxstoryxPYMxheightxPYMx\d+", messages[-1])


def test_embeds_request_nothing_beyond_the_two_origins(page, host_url: str, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(host_url + "/")
    page.wait_for_load_state("networkidle")
    assert requested and all(url.startswith((host_url + "/", site_url + "/")) for url in requested), requested


def test_embedded_links_open_the_permanent_page_in_a_new_tab(page, site_url: str) -> None:
    page.goto(f"{site_url}/embed/?type=sanction")
    link = page.locator("article[data-type] h2 a, article[data-type] h3 a").first
    assert re.fullmatch(r"/events/[0-9a-z-]+/", link.get_attribute("href"))
    for anchor in page.locator("a").all():
        assert anchor.get_attribute("target") == "_blank"
        assert set(anchor.get_attribute("rel").split()) >= {"noopener", "noreferrer"}


def test_limit_keeps_the_most_recent_events_and_links_to_the_rest(page, site_url: str, events) -> None:
    page.goto(f"{site_url}/embed/?stance=critical&limit=3")
    critical = [event["id"] for event in events if event["stance"]["key"] == "critical"]
    assert page.locator("article[data-type]").evaluate_all(CARD_IDS) == critical[-3:]
    more = page.locator("[data-more] a")
    assert more.inner_text() == f"See all {len(critical)} events on the full timeline"
    assert more.get_attribute("href") == "/?stance=critical"


def test_compact_and_theme_options(page, site_url: str) -> None:
    page.goto(f"{site_url}/embed/?compact=1&theme=dark")
    assert not page.locator(".event-summary").first.is_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 24, 28)"


def test_source_link_opens_the_same_view_on_the_full_site(page, site_url: str) -> None:
    page.goto(f"{site_url}/embed/?type=sanction&theme=dark&limit=2")
    assert page.locator("[data-embed-source]").get_attribute("href") == f"{site_url}/?type=sanction"


def test_embed_button_gives_code_for_the_current_view_with_a_preview(browser, site_url: str) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page = context.new_page()
    page.goto(f"{site_url}/actors/canada/?type=sanction")
    page.get_by_text("Embed", exact=True).click()
    code = page.locator("[data-embed-code]").input_value()
    assert f'src="{site_url}/embed/?actor=canada&amp;type=sanction"' in code
    assert f'sandbox="{SANDBOX}"' in code and 'title="Xinjiang Responses Timeline: Canada"' in code
    assert f'<script src="{site_url}/theme/js/embed-host.js" async></script>' in code
    expect(page.locator("[data-embed-preview] iframe")).to_have_attribute(
        "src", f"{site_url}/embed/?actor=canada&type=sanction"
    )
    page.get_by_role("button", name="Copy HTML").click()
    expect(page.locator("[data-embed-copied]")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == code
    context.close()


def test_every_oembed_document_is_valid_and_points_at_an_existing_embed(bundled_site: Path) -> None:
    pages = [path for path in bundled_site.rglob("index.html") if "/embed/" not in str(path)]
    advertised = set()
    for path in pages:
        match = re.search(r'<link rel="alternate" type="application/json\+oembed" href="/([^"]+)"', path.read_text())
        if match:
            advertised.add(match.group(1))
    documents = sorted(path.relative_to(bundled_site).as_posix() for path in (bundled_site / "oembed").rglob("*.json"))
    assert documents == sorted(advertised)
    for name in documents:
        document = json.loads((bundled_site / name).read_text(encoding="utf-8"))
        assert document["version"] == "1.0" and document["type"] == "rich"
        assert isinstance(document["width"], int) and isinstance(document["height"], int)
        assert document["title"] and document["provider_name"]
        src = re.search(r'<iframe src="([^"]+)"', document["html"]).group(1)
        assert f'sandbox="{SANDBOX}"' in document["html"]
        target = src.split("?")[0].lstrip("/")
        assert (bundled_site / target / "index.html").exists(), name
