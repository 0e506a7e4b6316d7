"""A long year is split into pages: page 1 keeps the year's address, every event is on one page, pages link to each
other, and listings that load a year on demand name all its pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import BUILD_DATE, SITE_EVENTS
from html_page import read_page
from timeline import cli
from timeline.paging import page_count
from timeline.settings import SettingsError, read_settings

OHCHR = SITE_EVENTS / "2022" / "2022-08-31-ohchr-xinjiang-assessment.yaml"
COUNTER_SANCTIONS = SITE_EVENTS / "2021" / "2021-03-22-china-counter-sanctions-eu.yaml"
PAGE_SIZE = 2
LONG_YEAR = 2020
LONG_YEAR_IDS = [f"2020-01-{day:02d}-ohchr-statement-{day}" for day in range(1, 12)]
PAGES = page_count(len(LONG_YEAR_IDS), PAGE_SIZE)
PAGE_URLS = ["/years/2020/"] + [f"/years/2020/{number}/" for number in range(2, PAGES + 1)]


def copy_event(record: Path, events: Path, date: str, slug: str) -> None:
    """A new record made from ``record``, dated ``date``."""
    text = record.read_text(encoding="utf-8")
    old_date = re.search(r"^date: (\S+)$", text, re.MULTILINE).group(1)
    text = text.replace(f"date: {old_date}\n", f"date: {date}\n", 1).replace("title: ", f"title: ({slug}) ", 1)
    path = events / date[:4] / f"{date}-{slug}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build(events: Path, output: Path, cache: Path | None = None, **settings: object) -> None:
    overrides = {
        "TIMELINE_PAGE_SIZE": PAGE_SIZE,
        "TIMELINE_HOME_LIMIT": 1,
        "TIMELINE_CACHE_PATH": str(cache) if cache else "",
        "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat(),
    }
    assert cli.build("pelicanconf.py", str(events), str(output), {**overrides, **settings}) == 0


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site and eleven more events in 2020, two events a page: 2020 has six pages, 2021 exactly one
    full page and 2022 one event; on the home page 2020 and 2021 are deferred."""
    folder = tmp_path_factory.mktemp("paged")
    events = folder / "events"
    shutil.copytree(SITE_EVENTS, events)
    for day in range(1, 12):
        copy_event(OHCHR, events, f"2020-01-{day:02d}", f"ohchr-statement-{day}")
    build(events, folder / "output")
    return folder / "output"


def site_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def page_file(site: Path, number: int, year: int = LONG_YEAR) -> Path:
    return site / "years" / str(year) / ("" if number == 1 else str(number)) / "index.html"


def html(site: Path, number: int, year: int = LONG_YEAR) -> str:
    return page_file(site, number, year).read_text(encoding="utf-8")


def pagination(page_html: str) -> str:
    found = re.search(r'<nav class="pagination" aria-label="Pages of 2020">(.*?)</nav>', page_html, re.DOTALL)
    assert found, "no pagination"
    return found.group(1)


def section_attribute(page_html: str, year: int, name: str) -> str:
    section = re.search(rf'<section [^>]*data-year-section="{year}"[^>]*>', page_html).group(0)
    return re.search(rf'{name}="([^"]*)"', section).group(1)


@pytest.mark.parametrize(("events", "size", "pages"), [(1, 2, 1), (2, 2, 1), (3, 2, 2), (2134, 500, 5), (0, 500, 1)])
def test_page_count_is_the_events_over_the_page_size_rounded_up(events: int, size: int, pages: int) -> None:
    assert page_count(events, size) == pages


@pytest.mark.parametrize("value", [0, -1, 2.5, True, "500"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_refused(value: object) -> None:
    with pytest.raises(SettingsError, match=f"TIMELINE_PAGE_SIZE must be a positive whole number, not {value!r}."):
        read_settings({"TIMELINE_PAGE_SIZE": value})


def test_the_first_page_of_a_long_year_keeps_the_years_address(site: Path) -> None:
    assert read_page(page_file(site, 1)).article_ids == LONG_YEAR_IDS[:PAGE_SIZE]
    assert '<link rel="canonical" href="/years/2020/">' in html(site, 1)


def test_every_event_of_a_long_year_is_on_exactly_one_page_in_date_order(site: Path) -> None:
    listed = [event_id for number in range(1, PAGES + 1) for event_id in read_page(page_file(site, number)).article_ids]
    assert listed == LONG_YEAR_IDS
    assert sorted(path.name for path in (site / "years" / "2020").iterdir()) == [
        *(str(number) for number in range(2, PAGES + 1)),
        "index.html",
    ]


@pytest.mark.parametrize("number", range(1, PAGES + 1))
def test_each_page_links_to_every_page_of_its_year_and_marks_itself(site: Path, number: int) -> None:
    links = re.findall(
        r'<a href="([^"]+)"( aria-current="page")?><span class="visually-hidden">Page ', html(site, number)
    )
    assert [href for href, _ in links] == PAGE_URLS
    assert [href for href, current in links if current] == [PAGE_URLS[number - 1]]


@pytest.mark.parametrize("number", range(1, PAGES + 1))
def test_previous_and_next_lead_to_the_neighbouring_pages(site: Path, number: int) -> None:
    page_html = html(site, number)
    previous = PAGE_URLS[number - 2 : number - 1] if number > 1 else []
    following = PAGE_URLS[number : number + 1]
    assert re.findall(r'<a href="([^"]+)" rel="prev">', pagination(page_html)) == previous
    assert re.findall(r'<a href="([^"]+)" rel="next">', pagination(page_html)) == following
    assert re.findall(r'<link rel="prev" href="([^"]+)">', page_html) == previous
    assert re.findall(r'<link rel="next" href="([^"]+)">', page_html) == following


@pytest.mark.parametrize("number", range(1, PAGES + 1))
def test_each_page_is_its_own_canonical_address(site: Path, number: int) -> None:
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', html(site, number)) == [PAGE_URLS[number - 1]]


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "Events 1–2 of 11."), (2, "Events 3–4 of 11."), (6, "Event 11 of 11.")],
)
def test_each_page_says_which_of_the_years_events_it_lists(site: Path, number: int, text: str) -> None:
    page = read_page(page_file(site, number))
    assert text in page.text
    assert page.title.startswith(f"2020, page {number} of {PAGES} — ")


def test_the_sitemap_lists_every_page_of_a_long_year(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert re.findall(r"<loc>(/years/2020/[^<]*)</loc>", sitemap) == PAGE_URLS


def test_only_the_first_page_of_a_long_year_offers_an_embed(site: Path) -> None:
    assert 'data-module="embed-panel"' in html(site, 1)
    assert all('data-module="embed-panel"' not in html(site, number) for number in range(2, PAGES + 1))


@pytest.mark.parametrize("year", [2021, 2022])
def test_a_year_of_at_most_the_page_size_has_one_page_and_no_pagination(site: Path, year: int) -> None:
    assert [path.name for path in (site / "years" / str(year)).iterdir()] == ["index.html"]
    page_html = html(site, 1, year)
    assert "pagination" not in page_html and 'rel="next"' not in page_html and "data-page-url" not in page_html
    assert "page 1" not in read_page(page_file(site, 1, year)).title


def test_a_deferred_year_on_the_home_page_names_every_page_of_its_year(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert section_attribute(home, 2020, "data-year-url").split(" ") == PAGE_URLS
    assert section_attribute(home, 2021, "data-year-url") == "/years/2021/"


def test_a_page_of_a_long_year_names_the_years_pages_for_the_filters(site: Path) -> None:
    page_html = html(site, 3)
    assert section_attribute(page_html, 2020, "data-year-url").split(" ") == PAGE_URLS
    assert section_attribute(page_html, 2020, "data-page-url") == "/years/2020/3/"
    assert 'data-total="11"' in page_html
    assert '<option value="un-report">UN report (11)</option>' in page_html  # the filter form counts the whole year


def test_a_rebuild_after_a_year_gains_a_page_writes_the_same_site_as_a_full_build(tmp_path: Path) -> None:
    """The United Nations office's page lists 2021 as deferred: when a China event gives 2021 a second page, its
    2021 section must name that page though none of its own events changed."""
    events = tmp_path / "events"
    shutil.copytree(SITE_EVENTS, events)
    copy_event(OHCHR, events, "2021-06-01", "ohchr-update")
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache, TIMELINE_PAGE_SIZE=3)
    actor_page = site / "actors" / "un-ohchr" / "index.html"
    assert section_attribute(actor_page.read_text(encoding="utf-8"), 2021, "data-year-url") == "/years/2021/"
    copy_event(COUNTER_SANCTIONS, events, "2021-12-01", "china-answer")
    build(events, site, cache, TIMELINE_PAGE_SIZE=3)
    build(events, tmp_path / "full", None, TIMELINE_PAGE_SIZE=3)
    section_urls = section_attribute(actor_page.read_text(encoding="utf-8"), 2021, "data-year-url")
    assert section_urls == "/years/2021/ /years/2021/2/"
    assert site_files(site) == site_files(tmp_path / "full")


def breadcrumb_year_link(site: Path, event_id: str) -> str:
    page_html = (site / "events" / event_id / "index.html").read_text(encoding="utf-8")
    return re.search(r'<p class="breadcrumb"><a href="([^"]+)"', page_html).group(1)


@pytest.mark.parametrize("index", range(len(LONG_YEAR_IDS)))
def test_an_event_page_links_back_to_the_page_of_its_year_that_lists_it(site: Path, index: int) -> None:
    event_id = LONG_YEAR_IDS[index]
    page_url = PAGE_URLS[index // PAGE_SIZE]
    assert breadcrumb_year_link(site, event_id) == f"{page_url}#{event_id}"
    assert event_id in read_page(site / page_url.strip("/") / "index.html").article_ids


def test_a_rebuild_after_an_event_moves_others_to_later_pages_writes_the_same_site_as_a_full_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Eleven events in two-event pages make six pages; a twelfth at the start of the year still makes six, so the
    rebuild is partial, but every other event of the year is now listed one place later."""
    events = tmp_path / "events"
    shutil.copytree(SITE_EVENTS, events)
    for day in range(1, 12):
        copy_event(OHCHR, events, f"2020-01-{day:02d}", f"ohchr-statement-{day}")
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache)
    assert breadcrumb_year_link(site, "2020-01-02-ohchr-statement-2") == "/years/2020/#2020-01-02-ohchr-statement-2"
    copy_event(OHCHR, events, "2020-01-01", "a-first-statement")
    capsys.readouterr()
    build(events, site, cache)
    assert f"Updated {site}" in capsys.readouterr().out
    build(events, tmp_path / "full", None)
    assert breadcrumb_year_link(site, "2020-01-02-ohchr-statement-2") == "/years/2020/2/#2020-01-02-ohchr-statement-2"
    assert site_files(site) == site_files(tmp_path / "full")
