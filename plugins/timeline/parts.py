"""The large data files, assembled from parts: text this build made, or bytes the previous build wrote.

Each event has a part in each of the whole-dataset files (its line of data/events.json, its rows of the CSV files,
its TimelineJS slide), and a TimelineJS slice repeats the slides of its events. A one-record change rewrites these
files whole, some 36 MB at 10,000 events. The parts of unchanged events are copied from where the previous build
wrote them in their *home*, the whole-dataset file of their kind, by the system (``os.copy_file_range``), rather
than kept in the cache, read back and written again by Python. ``sitecache.SiteCache.part`` knows where each part
is; ``write_parts`` writes a file and tells where its own parts now lie, for the next build.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from typing import NamedTuple

TEXT_BATCH = 1 << 20  # bytes of made text gathered before each write


class Part(NamedTuple):
    """One event's part of ``home``: its ``text`` when this build made it, else ``length`` bytes at ``offset`` of
    the previous build's ``home``."""

    home: str
    key: str
    text: str | None
    offset: int = 0
    length: int = 0


def first_or_not(key: str, index: int) -> str:
    """The key of a part that starts with a separator unless it comes first: the two texts differ."""
    return key if index else f"first {key}"


Locations = dict[str, tuple[int, int]]  # key: offset and length of the part in its home


class _Copier:
    """Byte ranges of the previous build's files appended to ``target``: adjacent ranges in one system call."""

    def __init__(self, target: int, previous_folder: str) -> None:
        self.target = target
        self.previous_folder = previous_folder
        self.sources: dict[str, int] = {}
        self.home: str | None = None
        self.start = self.length = 0
        self.in_kernel = hasattr(os, "copy_file_range")

    def add(self, home: str, offset: int, length: int) -> None:
        if home == self.home and offset == self.start + self.length:
            self.length += length
            return
        self.flush()
        self.home, self.start, self.length = home, offset, length

    def flush(self) -> None:
        if self.home is None:
            return
        source = self.sources.get(self.home)
        if source is None:
            source = self.sources[self.home] = os.open(os.path.join(self.previous_folder, self.home), os.O_RDONLY)
        offset, remaining = self.start, self.length
        while remaining:
            copied = self._copy(source, offset, remaining)
            if not copied:
                raise OSError(
                    f"{self.home} in {self.previous_folder} is shorter than the previous build left it; "
                    "build again with --full"
                )
            offset += copied
            remaining -= copied
        self.home = None

    def _copy(self, source: int, offset: int, count: int) -> int:
        if self.in_kernel:
            try:
                return os.copy_file_range(source, self.target, count, offset)
            except OSError as error:  # a file system or kernel that cannot: copy through here
                if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                    raise
                self.in_kernel = False
        data = os.pread(source, min(count, TEXT_BATCH), offset)
        _write_all(self.target, data)
        return len(data)

    def close(self) -> None:
        for descriptor in self.sources.values():
            os.close(descriptor)


def write_parts(folder: str, name: str, parts: Iterable[str | Part], previous_folder: str) -> Locations | None:
    """Write text and parts to ``folder``/``name``, copying each part that has no text from ``previous_folder``;
    return where the parts whose home is ``name`` now lie in it (None when it is no home)."""
    path = os.path.join(folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    own: Locations | None = None
    batch: list[bytes] = []
    batched = position = 0
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    copier = _Copier(target, previous_folder)
    try:
        for part in parts:
            if type(part) is str:
                data = part.encode("utf-8")
            else:
                length = part.length if part.text is None else None
                data = b"" if part.text is None else part.text.encode("utf-8")
                if part.home == name:
                    if own is None:
                        own = {}
                    own[part.key] = (position, len(data) if length is None else length)
                if length is not None:
                    if batch:
                        _write_all(target, b"".join(batch))
                        batch, batched = [], 0
                    copier.add(part.home, part.offset, length)
                    position += length
                    continue
            copier.flush()
            batch.append(data)
            batched += len(data)
            position += len(data)
            if batched >= TEXT_BATCH:
                _write_all(target, b"".join(batch))
                batch, batched = [], 0
        copier.flush()
        if batch:
            _write_all(target, b"".join(batch))
    finally:
        copier.close()
        os.close(target)
    return own


def _write_all(descriptor: int, data: bytes) -> None:
    remaining = memoryview(data)
    while remaining:
        remaining = remaining[os.write(descriptor, remaining) :]
