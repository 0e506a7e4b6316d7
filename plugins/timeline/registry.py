"""Load the registries events refer to: types, stances, actors, regions and blocs."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .loader import YamlFile, load_yaml_file
from .model import Actor, ActorKind, Bloc, EventType, Region, Registry, Stance
from .problems import Problem, did_you_mean, has_errors
from .schema import schema_problems

REGISTRY_NAMES = ("types", "stances", "regions", "blocs", "actors")


def display_path(path: Path | str, folder: str | None = None) -> str:
    """The path as a contributor would type it: relative to the current folder (or ``folder``) when inside it."""
    text, prefix = str(path), _folder_prefix(folder or os.getcwd())
    return text.removeprefix(prefix) if text.startswith(prefix) else text


@lru_cache(maxsize=8)
def _folder_prefix(folder: str) -> str:
    return os.path.join(folder, "")


def load_registry(folder: Path, *, max_bytes: int) -> tuple[Registry | None, list[Problem]]:
    documents: dict[str, YamlFile] = {}
    problems: list[Problem] = []
    for name in REGISTRY_NAMES:
        path = folder / f"{name}.yaml"
        if not path.is_file():
            problems.append(
                Problem(display_path(path), 1, 1, f"registry file {name}.yaml is missing.", f"Create {path}.")
            )
            continue
        document = load_yaml_file(path, display_path(path), max_bytes=max_bytes)
        problems.extend(document.problems)
        if document.data is not None:
            problems.extend(schema_problems(document, "registry.schema.json", name))
        documents[name] = document
    if has_errors(problems):
        return None, problems
    data = {name: document.data for name, document in documents.items()}
    regions = {key: Region(key, entry["name"], entry.get("description", "")) for key, entry in data["regions"].items()}
    blocs = {key: Bloc(key, entry["name"], entry.get("description", "")) for key, entry in data["blocs"].items()}
    actors = {}
    for key, entry in data["actors"].items():
        document = documents["actors"]
        if entry["region"] not in regions:
            position = document.position((key, "region"))
            hint = did_you_mean(entry["region"], regions) or f"Use a key of regions.yaml: {', '.join(regions)}."
            problems.append(
                Problem(
                    document.display_path, position.line, position.column, f'unknown region "{entry["region"]}".', hint
                )
            )
        for index, bloc in enumerate(entry["memberships"]):
            if bloc not in blocs:
                position = document.position((key, "memberships", index))
                hint = did_you_mean(bloc, blocs) or f"Use a key of blocs.yaml: {', '.join(blocs)}."
                problems.append(
                    Problem(document.display_path, position.line, position.column, f'unknown bloc "{bloc}".', hint)
                )
        if has_errors(problems):
            continue
        actors[key] = Actor(
            key=key,
            name=entry["name"],
            kind=ActorKind(entry["kind"]),
            region=regions[entry["region"]],
            memberships=tuple(blocs[bloc] for bloc in entry["memberships"]),
            iso3166=entry.get("iso3166", ""),
            country=entry.get("country", ""),
            is_reserved=entry.get("reserved", False),
        )
    if has_errors(problems):
        return None, problems
    registry = Registry(
        types={
            key: EventType(key, entry["label"], entry["definition"], entry.get("reserved", False))
            for key, entry in data["types"].items()
        },
        stances={key: Stance(key, entry["label"], entry["definition"]) for key, entry in data["stances"].items()},
        actors=actors,
        regions=regions,
        blocs=blocs,
    )
    return registry, problems
