"""Checked records kept from one run to the next: a record whose file is unchanged is neither read nor checked again.

``records.marshal`` holds each record's digest, size, modification time, positions and warnings; ``events.pickle``
the Events made from them. Both are trusted only while the plugin's code, the registries, the build date and the
file-size limit are the same (the environment digest that ``dataset.records_environment`` makes).
"""

from __future__ import annotations

import gc
import os
import pickle
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .cachefiles import FORMAT, CacheWriter, cache_values, digest, temporary_path
from .loader import PathKey, Position, nearest_position
from .model import Actor, Bloc, Event, EventType, Region, Registry, Stance
from .problems import Problem, Severity
from .validate import TitleComparisons

if TYPE_CHECKING:
    from .buildcache import Memory

RECORDS_FILE = "records.marshal"
EVENTS_FILE = "events.pickle"
TITLES_FILE = "titles.marshal"
MAX_EVENT_CHUNKS = 50
RECENT_NS = 2_000_000_000


@dataclass(frozen=True)
class RecordFile:
    """A record file as this run found it: the digest of its bytes, and the size and time that vouch for them on
    the next run (``modified`` is -1 when the file had only just changed)."""

    digest: str
    size: int
    modified: int
    raw: bytes | None = None


class StoredPositions(Mapping[PathKey, Position]):
    """Positions as the cache stores them, (*path, line, column), made into a table only when asked: only a record
    with a problem across records is, and making ten thousand tables took a tenth of a rebuild."""

    def __init__(self, entries: list[tuple]) -> None:
        self.entries = entries
        self._table: dict[PathKey, Position] | None = None

    def _made(self) -> dict[PathKey, Position]:
        if self._table is None:
            self._table = {tuple(entry[:-2]): Position(entry[-2], entry[-1]) for entry in self.entries}
        return self._table

    def __getitem__(self, path: PathKey) -> Position:
        return self._made()[path]

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """An unchanged record as the checks across records read it (``validate.RecordDocument``)."""

    display_path: str
    data: dict[str, Any]
    positions: Mapping[PathKey, Position]

    def position(self, path: PathKey) -> Position:
        return nearest_position(self.positions, path)


@dataclass
class CachedRecord:
    """A valid record as a previous run left it: its Event, and what the checks across records need."""

    digest: str
    size: int
    modified: int  # st_mtime_ns: with the size, tells without reading the file that it is unchanged
    positions: Mapping[PathKey, Position]
    problems: list[Problem]  # warnings only: a record with an error is checked again on every run
    event: Event | None = None

    def document(self, display_path: str) -> StoredRecord:
        """The record as the checks across records read it: the fields they use (``validate.CROSS_RECORD_DATA``,
        which a test keeps equal to these), from the event."""
        event = self.event
        assert event is not None
        data = {
            "date": event.date.iso,
            "title": event.title,
            "actors": [actor.key for actor in event.actors],
            "related": list(event.related_ids),
            "distinct_from": list(event.distinct_ids),
            "previous_ids": list(event.previous_ids),
        }
        return StoredRecord(display_path, data, self.positions)

    def as_values(self) -> tuple:
        return (
            self.digest,
            self.size,
            self.modified,
            self.positions.entries
            if isinstance(self.positions, StoredPositions)
            else [(*path, position.line, position.column) for path, position in self.positions.items()],
            [(p.line, p.column, p.message, p.hint, p.severity.value) for p in self.problems],
        )

    @classmethod
    def from_values(cls, display_path: str, values: tuple, event: Event | None) -> CachedRecord:
        record_digest, size, modified, positions, problems = values
        return cls(
            digest=record_digest,
            size=size,
            modified=modified,
            positions=StoredPositions(positions),
            problems=[
                Problem(display_path, line, column, message, hint, Severity(severity))
                for line, column, message, hint, severity in problems
            ],
            event=event,
        )


RegistryEntry = Actor | EventType | Stance | Region | Bloc
_REGISTRY_TYPES = (Actor, EventType, Stance, Region, Bloc)


class _EventPickler(pickle.Pickler):
    """Events without copies of the registry entries they point to: each is named by its place in ``entries``
    (``registry_entries``), and taken from the registry that loads them. An entry is found by its type and key, not
    as the object: the Events ``timeline serve`` keeps between builds point at the previous build's registry.

    Without a memo (``fast``): events share no objects but dates, which loading shares again (``model``), and a memo
    of ten thousand events' objects would take tens of megabytes.
    """

    def __init__(self, file: BinaryIO, entries: list[RegistryEntry]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True
        self.places = {(type(entry), entry.key): place for place, entry in enumerate(entries)}

    def persistent_id(self, obj: Any) -> int | None:
        kind = type(obj)
        # A KeyError here would be an event pointing at an entry its registry does not have: a bug, not a record.
        return self.places[kind, obj.key] if kind in _REGISTRY_TYPES else None


class _EventUnpickler(pickle.Unpickler):
    """Registry entries named by their place in ``entries``: some 40,000 of them at 10,000 events."""

    def __init__(self, file: BinaryIO, entries: list[RegistryEntry]) -> None:
        super().__init__(file)
        self.entries = entries

    def persistent_load(self, pid: int) -> RegistryEntry:
        return self.entries[pid]


def registry_entries(registry: Registry) -> list[RegistryEntry]:
    """Every entry of the registry, in an order that the registry files decide: the environment of a cache file
    includes them, so a place means the same entry whenever the file is read."""
    return [
        entry
        for table in (registry.actors, registry.types, registry.stances, registry.regions, registry.blocs)
        for entry in table.values()
    ]


def _read_titles(path: Path | None, environment: str) -> dict[tuple[str, str], bool]:
    known = next(cache_values(path, environment), None)
    return known if isinstance(known, dict) else {}


class RecordCache:
    """Checked records by path and digest, from the previous run whose environment matches this one's.

    ``records.marshal`` holds each record's digest, size, modification time, positions and warnings;
    ``events.pickle`` the Events themselves (pickle, since they are objects; loading them is faster than making
    them again from the record).
    """

    def __init__(
        self, folder: Path | None, environment: str, *, read: bool = True, memory: Memory | None = None
    ) -> None:
        path = folder / RECORDS_FILE if folder else None
        self.events_path = folder / EVENTS_FILE if folder else None
        self.environment = environment
        self.previous: dict[str, tuple] = {}
        self.previous_events: dict[str, Event] = {}
        self.events_chunks = 0
        self.memory = memory
        self.current: dict[str, tuple] = {}  # kept only for ``memory``
        self.writer = CacheWriter(path, (FORMAT, environment))
        self.recent_since = time.time_ns() - RECENT_NS  # a file changed after this may change again unseen
        self.titles_path = folder / TITLES_FILE if folder else None
        self.titles = TitleComparisons()
        if memory and memory.records and memory.records[0] == environment and read:
            _, self.previous, self.previous_events, self.events_chunks = memory.records
            if memory.titles and memory.titles[0] == environment:
                self.titles = TitleComparisons(memory.titles[1])
        elif path and read:
            self.previous = dict(cache_values(path, environment))
            self.titles = TitleComparisons(_read_titles(self.titles_path, environment))

    def load_events(self, registry: Registry) -> None:
        """Read the previous runs' Events, pointing at this run's registry entries.

        The file is a series of pickles, each of the Events one run added: a rebuild after a small change appends
        a small one instead of writing ten thousand Events again. A series cut short keeps what came before.

        The collector is off while they load: it would go through all of them (some 600,000 objects at 10,000
        events) several times over as they arrive (see collector.py for after).
        """
        if not self.previous or not self.events_path or self.previous_events:
            return
        entries = registry_entries(registry)
        gc.disable()
        try:
            with self.events_path.open("rb") as file:
                while True:
                    environment, events = _EventUnpickler(file, entries).load()
                    if environment != self.environment:
                        break
                    self.previous_events.update(events)
                    self.events_chunks += 1
        except (OSError, EOFError, pickle.UnpicklingError, IndexError, KeyError, AttributeError, TypeError, ValueError):
            pass
        finally:
            gc.enable()

    def get(self, display_path: str, path: str) -> CachedRecord | RecordFile:
        """The cached record if the file is unchanged, else the file as found, with its bytes."""
        values = self.previous.get(display_path)
        status = os.stat(path)  # before reading: a change after it makes the next run read the file again
        # A file changed in the last moments may change again within the same timestamp: vouch only for its bytes.
        modified = status.st_mtime_ns if status.st_mtime_ns < self.recent_since else -1
        if values is not None and modified != -1 and values[1] == status.st_size and values[2] == modified:
            event = self.previous_events.get(values[0])
            if event is not None:  # the common case, kept short: ten thousand records on every run
                self._keep(display_path, values)
                return CachedRecord.from_values(display_path, values, event)
        with open(path, "rb") as file:
            raw = file.read()
        record_digest = digest(display_path, raw)
        event = self.previous_events.get(record_digest)
        if values is None or values[0] != record_digest or event is None:
            return RecordFile(record_digest, status.st_size, modified, raw)
        values = (record_digest, status.st_size, modified, *values[3:])
        self._keep(display_path, values)
        return CachedRecord.from_values(display_path, values, event)

    def put(self, display_path: str, record: CachedRecord) -> None:
        self._keep(display_path, record.as_values())

    def _keep(self, display_path: str, values: tuple) -> None:
        self.writer.add((display_path, values))
        if self.memory:
            self.current[display_path] = values

    def save(self, events: Sequence[Event], registry: Registry) -> None:
        """Keep the records written so far and ``events``, the Events made from them with ``registry``."""
        if self.events_path and self.writer.has_values:
            new = {event.fingerprint: event for event in events if event.fingerprint not in self.previous_events}
            # Append while the file holds few runs and little that is no longer used; else write it afresh.
            stale = len(self.previous_events) - (len(events) - len(new))
            if self.events_chunks and self.events_chunks < MAX_EVENT_CHUNKS and stale <= len(events) // 2:
                if new:
                    with self.events_path.open("ab") as file:
                        _EventPickler(file, registry_entries(registry)).dump((self.environment, new))
                    self.events_chunks += 1
            else:
                self.events_chunks = 1
                self.events_path.parent.mkdir(parents=True, exist_ok=True)
                temporary = temporary_path(self.events_path)
                with temporary.open("wb") as file:
                    every = {event.fingerprint: event for event in events}
                    _EventPickler(file, registry_entries(registry)).dump((self.environment, every))
                temporary.replace(self.events_path)
        self.writer.commit()
        if self.titles_path and self.titles.asked != self.titles.known:
            titles = CacheWriter(self.titles_path, (FORMAT, self.environment))
            titles.add(self.titles.asked)
            titles.commit()
        if self.memory:
            by_digest = {event.fingerprint: event for event in events}
            self.memory.records = (self.environment, self.current, by_digest, self.events_chunks)
            self.memory.titles = (self.environment, self.titles.asked)
        self.previous, self.previous_events, self.current = {}, {}, {}
