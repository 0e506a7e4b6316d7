"""The files of the build cache: digests of what things are made from, files written whole or not at all, and one
build at a time per cache folder. marshal rather than pickle or JSON for plain values: it reads ten thousand records
in milliseconds. The cache is the builder's own, never published and never taken from elsewhere."""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds sharing a cache are not kept apart there
    fcntl = None  # type: ignore[assignment]

FORMAT = 5  # raised whenever what a cache file holds changes: an older file is then not read
_LENGTH = struct.Struct("<Q")  # before each marshal block: its length in bytes
_DEPENDENCIES = ("pelican", "jinja2", "markdown", "nh3", "pyyaml", "feedgenerator")


def digest(*parts: str | bytes) -> str:
    """A short, stable digest of the parts in order (the separator keeps ("ab", "c") apart from ("a", "bc"))."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\x1f")
    return hasher.hexdigest()


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


def read_values(path: Path) -> Iterator[Any]:
    """The header of a cache file, then its values in order; nothing if it is missing or unreadable."""
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            header = _read_block(file, size)
            if header is None:
                return
            yield header
            while (batch := _read_block(file, size)) is not None:
                yield from batch
    except (OSError, ValueError, TypeError, EOFError):
        return


def cache_values(path: Path | None, environment: str) -> Iterator[Any]:
    """The values of a cache file this version wrote for ``environment``; none for any other, or no file."""
    if path is None:
        return iter(())
    values = read_values(path)
    return values if next(values, None) == (FORMAT, environment) else iter(())


def warm(paths: Iterable[Path]) -> threading.Thread:
    """Have the system read ``paths`` into its file cache on a thread of its own, while the build starts up.

    Some machines drop files unused for a minute from memory (this project's own, for one: a kernel daemon pages
    out cold file pages), and a rebuild read its cache files back from the disk in turn: at 10,000 events that was a
    fifth of a one-record rebuild. Asked for here, the disk works while the build imports, reads the settings and
    lists the records. Nothing comes back to Python: the thread holds the interpreter lock for a few calls only."""
    thread = threading.Thread(target=_read_ahead, args=(tuple(paths),), name="warm-cache", daemon=True)
    thread.start()
    return thread


def _read_ahead(paths: tuple[Path, ...]) -> None:
    for path in paths:
        try:
            with path.open("rb", buffering=0) as file:
                if hasattr(os, "posix_fadvise"):
                    os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_WILLNEED)
                else:  # pragma: no cover - macOS and Windows: read through, a large block per call
                    block = bytearray(1 << 22)
                    while file.readinto(block):
                        pass
        except OSError:
            continue


def _read_block(file: BinaryIO, file_size: int) -> Any:
    """One length-prefixed marshal block, or None at the end of the file. Read whole and then unmarshalled: reading
    through the file object would cost a call for every string in it (57 MB of pieces took twice as long)."""
    prefix = file.read(_LENGTH.size)
    if not prefix:
        return None
    if len(prefix) != _LENGTH.size:
        raise EOFError("cache file cut short")
    (length,) = _LENGTH.unpack(prefix)
    if length > file_size:  # not a cache file of this format
        raise ValueError("not a cache file")
    block = file.read(length)
    if len(block) != length:
        raise EOFError("cache file cut short")
    return marshal.loads(block)


def _write_block(file: BinaryIO, value: Any) -> None:
    block = marshal.dumps(value)
    file.write(_LENGTH.pack(len(block)))
    file.write(block)


def temporary_path(path: Path) -> Path:
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


class CacheWriter:
    """A cache file written as the build goes, in batches (nothing large is kept in memory for it), under a
    temporary name until ``commit``: a cache file is whole or absent. With ``append``, the batches are added to the
    end of the existing file instead; its reader keeps what a cut-short run added from counting (see sitecache.py)."""

    BATCH = 1000

    def __init__(self, path: Path | None, header: Any, *, append: bool = False) -> None:
        self.path = path
        self.header = header
        self.append = append
        self.file: BinaryIO | None = None
        self.batch: list[Any] = []

    def add(self, value: Any) -> None:
        if self.path is None:
            return
        self.batch.append(value)
        if len(self.batch) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the values added so far (a caller adding large values flushes after each)."""
        if self.path is None:
            return
        if self.file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.append:
                self.file = self.path.open("ab")
            else:
                self.file = self._temporary().open("wb")
                _write_block(self.file, self.header)
        _write_block(self.file, self.batch)
        self.file.flush()  # to the system: what a run appended must be there if the process is then stopped
        self.batch = []

    @property
    def has_values(self) -> bool:
        return self.file is not None or bool(self.batch)

    def commit(self) -> None:
        if self.path is not None and self.has_values:
            self.flush()
            assert self.file is not None
            self.file.close()
            if not self.append:
                self._temporary().replace(self.path)
        self.file, self.batch = None, []

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            if not self.append:
                self._temporary().unlink(missing_ok=True)
        self.file, self.batch = None, []

    def _temporary(self) -> Path:
        assert self.path is not None
        return temporary_path(self.path)
