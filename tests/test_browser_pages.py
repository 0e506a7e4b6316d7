"""Every kind of page passes axe-core (WCAG 2.2 AA) and requests nothing from another host."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}
PAGES = {
    "home with filters applied": "/?type=sanction&stance=critical&q=EU",
    "event": "/events/2021-03-22-eu-sanctions-xinjiang/",
    "actor": "/actors/european-union/",
    "actors": "/actors/",
    "type": "/types/joint-statement/",
    "year": "/years/2021/",
    "about": "/about/",
    "404": "/no-such-page/",
    "overview": "/overview/",
    "data": "/data/",
    "changes": "/changes/",
    "embedded timeline": "/embed/?type=sanction&compact=1",
    "embedded event": "/embed/events/2021-03-22-eu-sanctions-xinjiang/?theme=dark",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_has_no_accessibility_violations(page, site_url: str, name: str) -> None:
    page.goto(site_url + PAGES[name])
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_colour_schemes_have_enough_contrast(browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{site_url}/?type=sanction")
    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})
    context.close()
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_requests_nothing_from_another_host(page, site_url: str, name: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(site_url + "/") for url in requested), requested


def test_filter_controls_have_visible_labels_and_focus_styles(page, site_url: str) -> None:
    page.goto(site_url + "/")
    for control in page.locator("form.filters select, form.filters input").all():
        label = page.locator(f"label[for='{control.get_attribute('id')}']")
        assert label.is_visible()
    page.locator("#filter-type").focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_open_embed_panel_has_no_accessibility_violations(page, site_url: str) -> None:
    page.goto(site_url + "/events/2021-03-22-eu-sanctions-xinjiang/")
    page.get_by_text("Embed", exact=True).click()
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/years/2021/2/", "/years/2021/2/?q=EU"])
def test_a_page_of_a_long_year_has_no_accessibility_violations(page, paged_site_url: str, path: str) -> None:
    page.goto(paged_site_url + path)
    expect(page.locator("[data-match-count]")).not_to_have_text(re.compile("Loading"))
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
