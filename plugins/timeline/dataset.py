"""Load, validate and model the whole dataset: the one entry point the build and the CLI share."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from .buildcache import BuildCache
from .cachefiles import code_digest, digest, folder_digest
from .collector import existing_objects_frozen
from .model import Event, Registry, event_from_record
from .problems import Problem, has_errors, sorted_problems
from .recordcache import CachedRecord, RecordCache
from .registry import display_path, load_registry
from .settings import TimelineSettings
from .validate import (
    RecordCheck,
    RecordDocument,
    collection_problems,
    find_event_files,
    keep_for_collection_checks,
    load_event_file,
    record_id,
)


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
    shown = display_path(path if path.is_absolute() else path.absolute())
    if not os.path.isabs(shown):
        return shown.replace(os.sep, "/")
    return path.relative_to(events_path.parent).as_posix()


def records_environment(settings: TimelineSettings, registry_path: Path) -> str:
    """What a record's own check result depends on besides the file: the code, the registries and the settings."""
    return digest(
        code_digest(),
        folder_digest(registry_path),
        settings.build_date.isoformat(),
        str(settings.max_file_bytes),
        os.getcwd(),
        str(settings.events_path),
    )


def load_dataset(settings: TimelineSettings, cache: BuildCache | None = None) -> tuple[Dataset | None, list[Problem]]:
    """The validated dataset (None if there is any error) and every problem found, sorted.

    With a ``cache``, a record whose file is unchanged since the previous run is not read or checked again; the
    checks across records always run.
    """
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
    records = (
        cache.open_records(records_environment(settings, settings.registry_path)) if cache else RecordCache(None, "")
    )
    records.load_events(registry)
    with existing_objects_frozen():
        events = _checked_events(paths, records, settings, registry, problems)
    records.save(events, registry)
    problems = sorted_problems(problems)
    if has_errors(problems):
        return None, problems
    events.sort(key=lambda event: event.sort_key)
    return Dataset(registry=registry, events=tuple(events), build_date=settings.build_date), problems


def _checked_events(
    paths: list[str], records: RecordCache, settings: TimelineSettings, registry: Registry, problems: list[Problem]
) -> list[Event]:
    """Each record's Event, from the cache when its file is unchanged, else read and checked; their problems, and
    those across records, are added to ``problems``."""
    check = RecordCheck(registry, settings.build_date)
    documents: list[RecordDocument] = []
    events: list[Event] = []
    here = os.getcwd()
    for path in paths:
        shown = display_path(path, here)
        found = records.get(shown, path)
        if isinstance(found, CachedRecord):
            documents.append(found.document(shown))
            problems.extend(found.problems)
            events.append(found.event)
            continue
        record_path = Path(path)
        document = load_event_file(record_path, max_bytes=settings.max_file_bytes, raw=found.raw)
        own_problems = check(document)
        if document.data is not None and not has_errors(own_problems):
            event = event_from_record(
                record_id(document),
                document.data,
                registry,
                repository_path(record_path, settings.events_path),
                fingerprint=found.digest,
            )
            events.append(event)
            keep_for_collection_checks(document)
            records.put(shown, CachedRecord(found.digest, found.size, found.modified, document.positions, own_problems))
        documents.append(document)
        problems.extend(own_problems)
    problems.extend(collection_problems(documents, records.titles))
    return events
