from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from timeline.model import Registry
from timeline.registry import load_registry

FIXTURES = Path(__file__).parent / "fixtures"
SITE_EVENTS = FIXTURES / "site" / "events"
BUILD_DATE = datetime.date(2026, 11, 29)
PROJECT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def registry() -> Registry:
    loaded, problems = load_registry(SITE_EVENTS / "registry", max_bytes=65536)
    assert loaded is not None, problems
    return loaded


@pytest.fixture(autouse=True)
def _run_in_project(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in messages are shown relative to the folder the command runs in: the project."""
    monkeypatch.chdir(PROJECT)
