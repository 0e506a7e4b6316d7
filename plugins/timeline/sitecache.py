"""Rendered pieces and the manifest of the output folder, kept from one build to the next: a rebuild writes only
the files whose inputs changed.

``site.marshal`` holds the pieces (each event's card) and, for each file the build wrote, a digest of what it was
made from; ``parts.marshal`` where each event's part of the whole-dataset files lies (parts.py). Trusted while the
records' environment, the theme, the settings and the dataset's years and pages are the same
(``generator._open_site_cache``); the manifest only for the very output folder it describes, as the build left it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cachefiles import FORMAT, CacheWriter, cache_values
from .model import Event
from .parts import Locations, Part

if TYPE_CHECKING:
    from .buildcache import Memory

SITE_FILE = "site.marshal"
PARTS_FILE = "parts.marshal"


def inputs_digest(*inputs: Any) -> str:
    """The digest of what an output is made from: events stand for their fingerprint, sequences for their items.

    A name and one event (an event's embed page, say) are keyed by the event's fingerprint, already a digest."""
    if len(inputs) == 2 and type(inputs[1]) is Event and type(inputs[0]) is str:
        return f"{inputs[0]} {inputs[1].fingerprint}"
    flat: list[str] = []
    _flatten(inputs, flat)
    return hashlib.blake2b("\x1e".join(flat).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def event_key(event: Event, links: tuple[Event, ...] = ()) -> str:
    """The key of a piece made from one event and the events it links to: the event's fingerprint when there are
    none, which is already a digest (forty thousand pieces a build)."""
    return inputs_digest(event, links) if links else event.fingerprint


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


def _file_identity(path: Path) -> tuple[int, int, int, int, int] | None:
    """A file as a build left it: every build writes a file anew under another name and moves it in place. The
    change time, which no tool can set back, tells a file rewritten in place with its old size and time."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _output_identity(output: Path) -> tuple[str, int, int, int] | None:
    """The output folder as the build left it: another folder, or the same emptied or replaced, does not match."""
    try:
        stat = output.stat()
    except OSError:
        return None
    return (str(output), stat.st_dev, stat.st_ino, stat.st_mtime_ns)


class SiteCache:
    """Rendered pieces and the output manifest of the previous build, when its environment matches this one's.

    The file holds the header, then ("pieces", kind, {key: text}) and ("files", {output name: digest}) in chunks of
    up to ``CHUNK`` entries, then ("manifest", output folder identity). A build writes each chunk as it fills rather
    than holding them all (on a large site the names and digests of the output files alone would be ten megabytes),
    and the next build reads them a chunk at a time, not an entry at a time. Only with ``memory`` (``timeline
    serve``) are the pieces and the manifest also kept for the next build.

    A rebuild appends to the file instead of writing it again (it is some 20 MB at 10,000 events, and a one-record
    change adds a few kilobytes): ("run",), the pieces it made, the files whose digest changed, ("removed", [output
    name]) and its manifest. The reader applies a run's files only at its manifest, and forgets those of a run cut
    short when the next one starts; ("manifest", None), appended before a rebuild changes the output folder, means
    the folder may hold anything. After ``MAX_APPENDS`` runs the next rebuild writes the file whole again, without
    the pieces nothing uses any more.

    ``parts.marshal``, written whole by every build, tells where each event's part lies in the whole-dataset files
    (see parts.py), with each file's identity: a file replaced or changed since is not copied from.
    """

    CHUNK = 1000
    MAX_APPENDS = 20

    def __init__(self, path: Path | None, environment: str, memory: Memory | None = None) -> None:
        self.environment = environment
        self.previous_pieces: dict[str, dict[str, str]] = {}  # by kind, then by key
        self.previous_manifest: dict[str, str] = {}  # output name: digest; what is left once the build is done
        self.incremental = False  # the output folder holds the previous build: only changed files need writing
        self.appends = 0  # runs appended to the file since it was last written whole
        self.manifest: dict[str, str] = {}  # only for ``memory``
        self.kept: dict[str, dict[str, str | None]] = {}  # the pieces of each kind this build asked for
        self.memory = memory
        self.writer = CacheWriter(path, (FORMAT, environment))
        self.pending_pieces: dict[str, dict[str, str]] = {}
        self.pending_files: dict[str, str] = {}
        self.parts_path = path.with_name(PARTS_FILE) if path else None
        self.previous_output: Path | None = None  # where the parts of ``previous_homes`` are
        self.previous_homes: dict[str, tuple[tuple[int, ...], Locations]] = {}  # home: identity, locations
        self.written_homes: dict[str, Locations] = {}

    @property
    def appending(self) -> bool:
        return self.writer.append

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
        homes: dict[str, tuple[tuple[int, ...], Locations]] = {}
        if memory and memory.site and memory.site[0] == environment and read:
            _, identity, manifest, cache.previous_pieces, appends, homes = memory.site
            if output and identity == _output_identity(output):
                cache.previous_manifest, cache.appends = dict(manifest), appends
        elif path and read:
            cache._read(path, output)
            if cache.previous_manifest and cache.parts_path:
                homes = _read_homes(cache.parts_path, environment)
        cache.incremental = bool(cache.previous_manifest)
        if cache.incremental and output:
            cache.previous_output = output
            cache.previous_homes = {
                home: (identity, locations)
                for home, (identity, locations) in homes.items()
                if identity == _file_identity(output / home)
            }
        if cache.incremental and path and cache.appends < cls.MAX_APPENDS and path.exists():
            cache.writer = CacheWriter(path, None, append=True)
            cache.writer.add(("run",))
        return cache

    def _read(self, path: Path, output: Path | None) -> None:
        files: dict[str, str] = {}
        changed: dict[str, str] = {}  # by the run being read, until its manifest
        removed: list[str] = []
        identity, runs = None, 0
        for value in cache_values(path, self.environment):
            tag = value[0]
            if tag == "pieces":
                self.previous_pieces.setdefault(value[1], {}).update(value[2])
            elif tag == "files":
                changed.update(value[1])
            elif tag == "removed":
                removed.extend(value[1])
            elif tag == "run":  # what a run cut short had changed is not in the output folder
                changed, removed, runs = {}, [], runs + 1
            else:
                files.update(changed)
                for name in removed:
                    files.pop(name, None)
                changed, removed, identity = {}, [], value[1]
        if output and identity is not None and identity == _output_identity(output):  # else another folder
            self.previous_manifest, self.appends = files, runs

    def unchanged(self, name: str, key: str) -> bool:
        """Record that output ``name`` is made from ``key``; True if the output folder already holds it."""
        same = self.previous_manifest.pop(name, None) == key
        if not (same and self.appending):
            self.pending_files[name] = key
            if len(self.pending_files) >= self.CHUNK:
                self._write_chunk(("files", self.pending_files))
                self.pending_files = {}
        if self.memory:
            self.manifest[name] = key
        return same

    def piece(self, kind: str, key: str, make: Callable[[], str]) -> str:
        """A rendered piece, made only when the previous build did not make the same one."""
        previous = self.previous_pieces.get(kind)
        value = previous.get(key) if previous else None
        made = value is None
        if made:
            value = make()
        if self.appending and not self.memory:  # the file gets only what this build made
            if made:
                self._add_piece(kind, key, value)
            return value
        kept = self.kept.setdefault(kind, {})  # what the file written whole, or the next build in memory, holds
        if key not in kept:
            kept[key] = value if self.memory else None
            if made or not self.appending:
                self._add_piece(kind, key, value)
        return value

    def part(self, home: str, key: str, make: Callable[[], str]) -> Part:
        """An event's part of the whole-dataset file ``home``: where the previous build wrote it, or made now."""
        previous = self.previous_homes.get(home)
        location = previous[1].get(key) if previous else None
        if location is None:
            return Part(home, key, make())
        return Part(home, key, None, *location)

    def placed(self, home: str, locations: Locations) -> None:
        """Where the parts of ``home`` lie in the file this build wrote."""
        self.written_homes[home] = locations

    def _add_piece(self, kind: str, key: str, value: str) -> None:
        chunk = self.pending_pieces.setdefault(kind, {})
        chunk[key] = value
        if len(chunk) >= self.CHUNK:
            self._write_chunk(("pieces", kind, chunk))
            self.pending_pieces[kind] = {}

    def _write_chunk(self, value: tuple) -> None:
        self.writer.add(value)
        self.writer.flush()

    def removed(self) -> list[str]:
        """Files the previous build wrote that this one does not: an event deleted or renamed."""
        return sorted(self.previous_manifest)

    def forget(self) -> None:
        """Mark the output folder as unknown before it is changed in place: if that is cut short, the next build is
        full."""
        if not self.writer.path:
            return
        if self.appending:
            self.writer.add(("manifest", None))
            self.writer.flush()
        else:
            self.writer.path.unlink(missing_ok=True)

    def save(self, output: Path) -> None:
        if self.incremental:
            # Files left as they were did not ask for their pieces, and the next change may need them; a kind of
            # piece that was asked for is complete, and what it no longer uses is dropped (from the file when it is
            # written whole).
            for kind, pieces in self.previous_pieces.items():
                if kind in self.kept:
                    continue
                if self.memory:
                    self.kept[kind] = dict(pieces)
                if not self.appending:
                    for key, value in pieces.items():
                        self._add_piece(kind, key, value)
        for kind, chunk in self.pending_pieces.items():
            if chunk:
                self.writer.add(("pieces", kind, chunk))
        self.writer.add(("files", self.pending_files))
        if self.appending and self.previous_manifest:
            self.writer.add(("removed", sorted(self.previous_manifest)))
        identity = _output_identity(output)
        self.writer.add(("manifest", identity))
        self.writer.commit()
        homes = {home: kept for home, kept in self.previous_homes.items() if home not in self.written_homes}
        for home, locations in self.written_homes.items():
            if (home_identity := _file_identity(output / home)) is not None:
                homes[home] = (home_identity, locations)
        if self.parts_path and (self.written_homes or not self.incremental):
            parts = CacheWriter(self.parts_path, (FORMAT, self.environment))
            for home, (home_identity, locations) in homes.items():
                parts.add((home, home_identity, locations))
            parts.commit()
        if self.memory:
            appends = self.appends + 1 if self.appending else 0
            self.memory.site = (self.environment, identity, self.manifest, self.kept, appends, homes)


def _read_homes(path: Path, environment: str) -> dict[str, tuple[tuple[int, ...], Locations]]:
    try:
        return {
            home: (tuple(identity), dict(locations)) for home, identity, locations in cache_values(path, environment)
        }
    except (TypeError, ValueError):  # not what this version writes: the parts are made again
        return {}
