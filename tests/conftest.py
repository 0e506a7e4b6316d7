from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from timeline.model import Registry
from timeline.registry import load_registry

FIXTURES = Path(__file__).parent / "fixtures"
SITE_EVENTS = FIXTURES / "site" / "events"
BUILD_DATE = datetime.date(2026, 11, 29)
PROJECT = Path(__file__).parent.parent
PAGE_SIZE_OF_PAGED_SITE = 10


@pytest.fixture(scope="session")
def registry() -> Registry:
    loaded, problems = load_registry(SITE_EVENTS / "registry", max_bytes=65536)
    assert loaded is not None, problems
    return loaded


@pytest.fixture(autouse=True)
def _run_in_project(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in messages are shown relative to the folder the command runs in: the project."""
    monkeypatch.chdir(PROJECT)


CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # the Makefile sets it; CI may point elsewhere


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the bundled events, once per test run."""
    from timeline import cli

    output = tmp_path_factory.mktemp("bundled") / "output"
    assert cli.build(str(PROJECT / "pelicanconf.py"), str(PROJECT / "events"), str(output)) == 0
    return output


@pytest.fixture(scope="session")
def site_url(bundled_site: Path):
    """Serve the bundled site on a free localhost port for the whole run."""
    from site_server import serve

    with serve(bundled_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it, or apt-get install chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        from site_server import CHROMIUM_ARGS

        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(scope="session")
def paged_site_url(tmp_path_factory: pytest.TempPathFactory):
    """The bundled events as a large timeline is built: older years deferred on the home page and every year of
    more than ten events split into pages."""
    from site_server import serve
    from timeline import cli

    output = tmp_path_factory.mktemp("paged") / "output"
    settings = {"TIMELINE_HOME_LIMIT": 20, "TIMELINE_PAGE_SIZE": PAGE_SIZE_OF_PAGED_SITE, "TIMELINE_CACHE_PATH": ""}
    assert cli.build("pelicanconf.py", str(PROJECT / "events"), str(output), settings) == 0
    with serve(output) as url:
        yield url
