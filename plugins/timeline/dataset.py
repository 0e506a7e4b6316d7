"""Load, validate and model the whole dataset: the one entry point the build and the CLI share."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Event, Registry, event_from_record
from .problems import Problem, has_errors, sorted_problems
from .registry import load_registry
from .settings import TimelineSettings
from .validate import find_event_files, load_event_file, validate_events


@dataclass(frozen=True)
class Dataset:
    registry: Registry
    events: tuple[Event, ...]
    build_date: datetime.date


class InvalidDataset(Exception):
    """Raised by the build when any record has an error; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sum(1 for problem in problems if problem.is_error)
        lines = "\n".join(problem.format() for problem in problems)
        super().__init__(f"{errors} error(s) in the event records; nothing was built.\n{lines}")


def repository_path(path: Path, events_path: Path) -> str:
    """The record's path as the repository holds it (for "Edit this record"): from the folder the build runs in,
    which is the repository's root for `make`; from the events folder's parent when the records live elsewhere."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.relative_to(events_path.parent).as_posix()


def load_dataset(settings: TimelineSettings) -> tuple[Dataset | None, list[Problem]]:
    """The validated dataset (None if there is any error) and every problem found, sorted."""
    registry, problems = load_registry(settings.registry_path, max_bytes=settings.max_file_bytes)
    if not settings.events_path.is_dir():
        problems.append(
            Problem(
                str(settings.events_path), 1, 1, "events folder not found.", "Check TIMELINE_EVENTS_PATH or EVENTS=."
            )
        )
        return None, sorted_problems(problems)
    paths, location_problems = find_event_files(settings.events_path, settings.registry_path)
    problems.extend(location_problems)
    if registry is None:
        return None, sorted_problems(problems)
    documents: list = []

    def read() -> Iterator:
        for path in paths:
            document = load_event_file(path, max_bytes=settings.max_file_bytes)
            documents.append(document)
            yield document

    problems.extend(validate_events(read(), registry, settings.build_date))
    problems = sorted_problems(problems)
    if has_errors(problems):
        return None, problems
    events = tuple(
        sorted(
            (
                event_from_record(
                    document.path.stem,
                    document.data,
                    registry,
                    repository_path(document.path, settings.events_path),
                )
                for document in documents
            ),
            key=lambda event: event.sort_key,
        )
    )
    return Dataset(registry=registry, events=events, build_date=settings.build_date), problems
