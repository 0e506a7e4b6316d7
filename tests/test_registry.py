"""Registries are data too: a wrong region, bloc or missing ISO code is reported with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SITE_EVENTS
from timeline.registry import load_registry


def registry_with_actors(tmp_path: Path, actors_yaml: str) -> Path:
    folder = tmp_path / "registry"
    shutil.copytree(SITE_EVENTS / "registry", folder)
    (folder / "actors.yaml").write_text(actors_yaml, encoding="utf-8")
    return folder


def messages(folder: Path) -> list[str]:
    registry, problems = load_registry(folder, max_bytes=65536)
    assert registry is None
    return [f"{problem.line}:{problem.column}: {problem.message} {problem.hint}".strip() for problem in problems]


def test_unknown_region_and_bloc_suggest_the_closest_key(tmp_path: Path) -> None:
    folder = registry_with_actors(
        tmp_path,
        "canada:\n  name: Canada\n  kind: state\n  iso3166: CA\n  region: north-amerika\n  memberships: [g-7]\n",
    )
    assert messages(folder) == [
        '5:3: unknown region "north-amerika". Did you mean "north-america"?',
        '6:17: unknown bloc "g-7". Did you mean "g7"?',
    ]


def test_a_state_needs_its_iso_code(tmp_path: Path) -> None:
    folder = registry_with_actors(
        tmp_path, "canada:\n  name: Canada\n  kind: state\n  region: north-america\n  memberships: []\n"
    )
    assert messages(folder) == ['1:1: missing required field "iso3166" in "canada". Add iso3166: to "canada".']


def test_unquoted_norway_code_is_caught(tmp_path: Path) -> None:
    folder = registry_with_actors(
        tmp_path, "norway:\n  name: Norway\n  kind: state\n  iso3166: NO\n  region: europe\n  memberships: [nato]\n"
    )
    assert messages(folder)[0] == (
        '4:12: YAML reads unquoted NO as false (a yes/no value). Write "NO" in quotes if you mean the text, or true / false.'
    )


def test_a_missing_registry_file_is_named(tmp_path: Path) -> None:
    folder = registry_with_actors(tmp_path, "")
    (folder / "blocs.yaml").unlink()
    assert any(message.startswith("1:1: registry file blocs.yaml is missing.") for message in messages(folder))


def test_the_bundled_registries_load() -> None:
    registry, problems = load_registry(Path("events/registry"), max_bytes=65536)
    assert problems == [] and registry is not None
