"""What one build keeps for the next, so that a rebuild after a small change redoes only what the change touches.

The cache folder (``TIMELINE_CACHE_PATH``) holds two files. Each is written whole after a successful step and
trusted only while everything that shaped it is unchanged; anything else means starting afresh:

- ``records.marshal``: each record's own check result, its values and its rendered Markdown, by the digest of the
  file. Trusted while the plugin's code, the registries, the build date and the file-size limit are the same.
- ``site.marshal``: rendered pieces (an event's card, its line of events.json, its CSV rows, its TimelineJS slide)
  and the manifest of the output folder: for each file the build wrote, a digest of what it was made from. Trusted
  while, in addition, the theme, the settings and the dataset's years are the same; the manifest only for the very
  output folder it describes.

A rebuild compares each output file's digest with the manifest and writes only the files that differ (the command
line then moves them into the site, see ``cli.build``). marshal rather than pickle or JSON: it reads ten thousand
records in milliseconds. The cache is the builder's own, never published and never taken from elsewhere.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds sharing a cache are not kept apart there
    fcntl = None  # type: ignore[assignment]

from .loader import PathKey, Position, YamlFile
from .model import Actor, Bloc, Event, EventType, Region, Registry, Stance
from .problems import Problem, Severity

FORMAT = 1
RECORDS_FILE = "records.marshal"
EVENTS_FILE = "events.pickle"
MAX_EVENT_CHUNKS = 50
RECENT_NS = 2_000_000_000
SITE_FILE = "site.marshal"
# How cli.build hands the cache to the generator: a lower-case key, which no settings file can set.
SETTING_KEY = "timeline_build_cache"
_DEPENDENCIES = ("pelican", "jinja2", "markdown", "nh3", "pyyaml", "feedgenerator")


def digest(*parts: str | bytes) -> str:
    """A short, stable digest of the parts in order (the separator keeps ("ab", "c") apart from ("a", "bc"))."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\x1f")
    return hasher.hexdigest()


def inputs_digest(*parts: Any) -> str:
    """The digest of what an output is made from: events stand for their fingerprint, sequences for their items."""
    flat: list[str] = []
    _flatten(parts, flat)
    return hashlib.blake2b("\x1e".join(flat).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _flatten(parts: Iterable[Any], flat: list[str]) -> None:
    for part in parts:
        kind = type(part)
        if kind is Event:
            flat.append(part.fingerprint)
        elif kind is str:
            flat.append(part)
        elif kind is tuple or kind is list:
            flat.append("[")
            _flatten(part, flat)
            flat.append("]")
        elif part is None or kind is int or kind is float:
            flat.append(repr(part))
        else:
            raise TypeError(f"no digest for {kind.__name__}: pass events, text, numbers or sequences of them")


def folder_digest(folder: Path) -> str:
    """The digest of every file's name and bytes under ``folder`` (caches excluded)."""
    parts: list[str | bytes] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


@cache
def code_digest() -> str:
    """The plugin's code, schemas and data, the Python version and the versions of the libraries it renders with."""
    versions = []
    for name in _DEPENDENCIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return digest(folder_digest(Path(__file__).parent), sys.version, *versions)


def plain_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The upper-case settings whose values are plain data (functions and objects have no stable digest), except
    OUTPUT_PATH: every build writes to a new temporary folder."""
    return {
        name: value for name, value in settings.items() if name.isupper() and name != "OUTPUT_PATH" and _is_plain(value)
    }


def _is_plain(value: Any) -> bool:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _is_plain(item) for key, item in value.items())
    return False


def _read(path: Path) -> Iterator[Any]:
    """The header of a cache file, then its values in order; nothing if it is missing or unreadable."""
    try:
        with path.open("rb") as file:
            yield marshal.load(file)
            while True:
                try:
                    yield from marshal.load(file)
                except EOFError:
                    return
    except (OSError, ValueError, TypeError):
        return


def _temporary_path(path: Path) -> Path:
    """Where a cache file is written before it replaces ``path`` in one step."""
    return path.with_name(f".{path.name}.{os.getpid()}")


@contextmanager
def locked(folder: Path | None) -> Iterator[None]:
    """Hold the cache folder for one build: two builds sharing a cache would record each other's files."""
    if folder is None or fcntl is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _Writer:
    """A cache file written as the build goes, in batches (nothing large is kept in memory for it), under a
    temporary name until ``commit``: a cache file is whole or absent."""

    BATCH = 1000

    def __init__(self, path: Path | None, header: Any) -> None:
        self.path = path
        self.header = header
        self.file: BinaryIO | None = None
        self.batch: list[Any] = []

    def add(self, value: Any) -> None:
        if self.path is None:
            return
        self.batch.append(value)
        if len(self.batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.file is None:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = self._temporary().open("wb")
            marshal.dump(self.header, self.file)
        marshal.dump(self.batch, self.file)
        self.batch = []

    @property
    def has_values(self) -> bool:
        return self.file is not None or bool(self.batch)

    def commit(self) -> None:
        if self.path is not None and self.has_values:
            self._flush()
            assert self.file is not None
            self.file.close()
            self._temporary().replace(self.path)
        self.file, self.batch = None, []

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            self._temporary().unlink(missing_ok=True)
        self.file, self.batch = None, []

    def _temporary(self) -> Path:
        assert self.path is not None
        return _temporary_path(self.path)


@dataclass(frozen=True)
class RecordFile:
    """A record file as this run found it: the digest of its bytes, and the size and time that vouch for them on
    the next run (``modified`` is -1 when the file had only just changed)."""

    digest: str
    size: int
    modified: int
    raw: bytes | None = None


@dataclass
class CachedRecord:
    """A valid record as a previous run left it: its Event, and what the checks across records need."""

    digest: str
    size: int
    modified: int  # st_mtime_ns: with the size, tells without reading the file that it is unchanged
    positions: dict[PathKey, Position]
    problems: list[Problem]  # warnings only: a record with an error is checked again on every run
    event: Event | None = None

    def document(self, path: Path, display_path: str) -> YamlFile:
        """The record as the checks across records read it: the fields they use, from the event."""
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
        return YamlFile(path=path, display_path=display_path, data=data, positions=self.positions)

    def as_values(self) -> tuple:
        return (
            self.digest,
            self.size,
            self.modified,
            [(*path, position.line, position.column) for path, position in self.positions.items()],
            [(p.line, p.column, p.message, p.hint, p.severity.value) for p in self.problems],
        )

    @classmethod
    def from_values(cls, display_path: str, values: tuple, event: Event | None) -> CachedRecord:
        record_digest, size, modified, positions, problems = values
        return cls(
            digest=record_digest,
            size=size,
            modified=modified,
            positions={tuple(entry[:-2]): Position(entry[-2], entry[-1]) for entry in positions},
            problems=[
                Problem(display_path, line, column, message, hint, Severity(severity))
                for line, column, message, hint, severity in problems
            ],
            event=event,
        )


_REGISTRY_KINDS = {Actor: "actors", EventType: "types", Stance: "stances", Region: "regions", Bloc: "blocs"}


class _EventPickler(pickle.Pickler):
    """Events without copies of the registry entries they point to: those are named by key and taken from the
    registry that loads them.

    Without a memo (``fast``): events share no objects but dates, which loading shares again (``model``), and a memo
    of ten thousand events' objects would take tens of megabytes.
    """

    def __init__(self, file: BinaryIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True

    def persistent_id(self, obj: Any) -> tuple[str, str] | None:
        kind = _REGISTRY_KINDS.get(type(obj))
        return (kind, obj.key) if kind else None


class _EventUnpickler(pickle.Unpickler):
    def __init__(self, file: BinaryIO, registry: Registry) -> None:
        super().__init__(file)
        self.registry = registry

    def persistent_load(self, pid: tuple[str, str]) -> Any:
        kind, key = pid
        return getattr(self.registry, kind)[key]


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
        self.writer = _Writer(path, (FORMAT, environment))
        if memory and memory.records and memory.records[0] == environment and read:
            _, self.previous, self.previous_events, self.events_chunks = memory.records
        elif path and read:
            values = _read(path)
            if next(values, None) == (FORMAT, environment):
                self.previous = dict(values)

    def load_events(self, registry: Registry) -> None:
        """Read the previous runs' Events, pointing at this run's registry entries.

        The file is a series of pickles, each of the Events one run added: a rebuild after a small change appends
        a small one instead of writing ten thousand Events again. A series cut short keeps what came before.
        """
        if not self.previous or not self.events_path or self.previous_events:
            return
        try:
            with self.events_path.open("rb") as file:
                while True:
                    environment, events = _EventUnpickler(file, registry).load()
                    if environment != self.environment:
                        break
                    self.previous_events.update(events)
                    self.events_chunks += 1
        except (OSError, EOFError, pickle.UnpicklingError, KeyError, AttributeError, TypeError, ValueError):
            pass

    def get(self, display_path: str, path: Path) -> tuple[CachedRecord | None, RecordFile]:
        """The cached record if the file is unchanged, and the file as found (its bytes when they were read)."""
        values = self.previous.get(display_path)
        status = path.stat()  # before reading: a change after it makes the next run read the file again
        # A file changed in the last moments may change again within the same timestamp: vouch only for its bytes.
        modified = status.st_mtime_ns if status.st_mtime_ns < time.time_ns() - RECENT_NS else -1
        if values is not None and modified != -1 and (values[1], values[2]) == (status.st_size, modified):
            found = RecordFile(values[0], status.st_size, modified)
        else:
            raw = path.read_bytes()
            found = RecordFile(digest(display_path, raw), status.st_size, modified, raw)
        event = self.previous_events.get(found.digest)
        if values is None or values[0] != found.digest or event is None:
            return None, found if found.raw is not None else replace(found, raw=path.read_bytes())
        values = (found.digest, found.size, found.modified, *values[3:])
        self._keep(display_path, values)
        return CachedRecord.from_values(display_path, values, event), found

    def put(self, display_path: str, record: CachedRecord) -> None:
        self._keep(display_path, record.as_values())

    def _keep(self, display_path: str, values: tuple) -> None:
        self.writer.add((display_path, values))
        if self.memory:
            self.current[display_path] = values

    def save(self, events: Sequence[Event]) -> None:
        """Keep the records written so far and ``events``, the Events made from them."""
        if self.events_path and self.writer.has_values:
            new = {event.fingerprint: event for event in events if event.fingerprint not in self.previous_events}
            # Append while the file holds few runs and little that is no longer used; else write it afresh.
            stale = len(self.previous_events) - (len(events) - len(new))
            if self.events_chunks and self.events_chunks < MAX_EVENT_CHUNKS and stale <= len(events) // 2:
                if new:
                    with self.events_path.open("ab") as file:
                        _EventPickler(file).dump((self.environment, new))
                    self.events_chunks += 1
            else:
                self.events_chunks = 1
                self.events_path.parent.mkdir(parents=True, exist_ok=True)
                temporary = _temporary_path(self.events_path)
                with temporary.open("wb") as file:
                    every = {event.fingerprint: event for event in events}
                    _EventPickler(file).dump((self.environment, every))
                temporary.replace(self.events_path)
        self.writer.commit()
        if self.memory:
            by_digest = {event.fingerprint: event for event in events}
            self.memory.records = (self.environment, self.current, by_digest, self.events_chunks)
        self.previous, self.previous_events, self.current = {}, {}, {}


def _output_identity(output: Path) -> tuple[str, int, int, int] | None:
    """The output folder as the build left it: another folder, or the same emptied or replaced, does not match."""
    try:
        stat = output.stat()
    except OSError:
        return None
    return (str(output), stat.st_dev, stat.st_ino, stat.st_mtime_ns)


class SiteCache:
    """Rendered pieces and the output manifest of the previous build, when its environment matches this one's."""

    def __init__(self, path: Path | None, environment: str, memory: Memory | None = None) -> None:
        self.environment = environment
        self.previous_pieces: dict[str, str] = {}
        self.previous_manifest: dict[str, str] = {}
        self.manifest: dict[str, str] = {}
        self.kept: dict[str, str | None] = {}  # the values only for ``memory``
        self.kinds: set[str] = set()
        self.memory = memory
        self.writer = _Writer(path, (FORMAT, environment))

    @classmethod
    def load(
        cls,
        folder: Path | None,
        environment: str,
        output: Path | None,
        *,
        read: bool = True,
        memory: Memory | None = None,
    ) -> SiteCache:
        path = folder / SITE_FILE if folder else None
        cache = cls(path, environment, memory)
        if memory and memory.site and memory.site[0] == environment and read:
            _, identity, manifest, cache.previous_pieces = memory.site
            if output and identity == _output_identity(output):
                cache.previous_manifest = manifest
        elif path and read:
            values = _read(path)
            if next(values, None) == (FORMAT, environment):
                identity = _output_identity(output) if output else None
                for kind, name, value in values:
                    if kind == "piece":
                        cache.previous_pieces[name] = value
                    elif identity and name == identity:  # else another folder, or rebuilt or removed since
                        cache.previous_manifest = value
        return cache

    @property
    def incremental(self) -> bool:
        """True when the output folder holds the previous build, so only changed files need writing."""
        return bool(self.previous_manifest)

    def unchanged(self, name: str, key: str) -> bool:
        """Record that output ``name`` is made from ``key``; True if the output folder already holds it."""
        self.manifest[name] = key
        return self.previous_manifest.get(name) == key

    def piece(self, kind: str, key: str, make: Callable[[], str]) -> str:
        """A rendered piece, made only when the previous build did not make the same one."""
        name = f"{kind}:{key}"
        value = self.previous_pieces.get(name)
        if value is None:
            value = make()
        if name not in self.kept:
            self.kept[name] = value if self.memory else None
            self.writer.add(("piece", name, value))
            self.kinds.add(kind)
        return value

    def removed(self) -> list[str]:
        """Files the previous build wrote that this one does not: an event deleted or renamed."""
        return sorted(set(self.previous_manifest) - set(self.manifest))

    def forget(self) -> None:
        """Drop the file before the output folder is changed in place: if that is cut short, the next build is full."""
        if self.writer.path:
            self.writer.path.unlink(missing_ok=True)

    def save(self, output: Path) -> None:
        if self.incremental:
            # Files left as they were did not ask for their pieces, and the next change may need them; a kind of
            # piece that was asked for is complete, and what it no longer uses is dropped.
            for name, value in self.previous_pieces.items():
                if name not in self.kept and name.partition(":")[0] not in self.kinds:
                    self.kept[name] = value if self.memory else None
                    self.writer.add(("piece", name, value))
        self.writer.add(("manifest", _output_identity(output), self.manifest))
        self.writer.commit()
        if self.memory:
            self.memory.site = (self.environment, _output_identity(output), self.manifest, self.kept)


Piece = Callable[[str, str, Callable[[], str]], str]


def no_cache(kind: str, key: str, make: Callable[[], str]) -> str:
    """The piece function of an export made without a cache."""
    return make()


@dataclass
class Memory:
    """What a long-running process (``timeline serve``) keeps from one build to the next, so that a rebuild reads
    nothing back from the cache folder: each part with the environment it is valid for."""

    records: tuple[str, dict[str, tuple], dict[str, Event], int] | None = None
    site: tuple[str, tuple | None, dict[str, str], dict[str, Any]] | None = None


@dataclass
class BuildCache:
    """The cache of one build: where it lives, which output folder it is for, and whether to read what is there.

    ``fresh`` (``build --full``) ignores the previous build's files but still writes new ones.
    """

    folder: Path | None
    output: Path | None = None
    fresh: bool = False
    memory: Memory | None = None
    records: RecordCache | None = None
    site: SiteCache | None = None

    def open_records(self, environment: str) -> RecordCache:
        self.records = RecordCache(self.folder, environment, read=not self.fresh, memory=self.memory)
        return self.records

    def open_site(self, environment: str) -> SiteCache:
        self.site = SiteCache.load(self.folder, environment, self.output, read=not self.fresh, memory=self.memory)
        return self.site

    def discard(self) -> None:
        """The build failed: drop what it was writing. The checked records are kept (they were saved once read,
        so that fixing one record does not mean checking all of them again); the site's pieces and manifest stay
        those of the last build that succeeded."""
        for part in (self.records, self.site):
            if part is not None:
                part.writer.discard()
