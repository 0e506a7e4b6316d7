"""TIMELINE_* settings: a misspelt name stops the build with a suggestion; every setting is documented."""

from __future__ import annotations

import datetime

import pytest
from conftest import PROJECT
from timeline.settings import SETTINGS, SettingsError, read_settings


def test_a_misspelt_setting_is_refused_with_a_suggestion() -> None:
    with pytest.raises(
        SettingsError, match='unknown setting "TIMELINE_EVENT_PATH". Did you mean "TIMELINE_EVENTS_PATH"?'
    ):
        read_settings({"TIMELINE_EVENT_PATH": "events"})


def test_build_date_can_be_fixed_for_reproducible_builds() -> None:
    assert read_settings({"TIMELINE_BUILD_DATE": "2025-01-31"}).build_date == datetime.date(2025, 1, 31)


def test_registry_defaults_to_the_folder_inside_the_events_folder(tmp_path) -> None:
    settings = read_settings({"TIMELINE_EVENTS_PATH": str(tmp_path)})
    assert settings.registry_path == tmp_path / "registry"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_every_setting_is_documented_in_the_readme(setting) -> None:
    assert f"`{setting.name}`" in (PROJECT / "README.md").read_text(encoding="utf-8")


def test_a_build_date_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(SettingsError, match="TIMELINE_BUILD_DATE must be a date written YYYY-MM-DD, not 20240101."):
        read_settings({"TIMELINE_BUILD_DATE": 20240101})
