"""The large data files, assembled from parts: text this build made, or bytes the previous build wrote.

Each event has a part in each of the whole-dataset files (its line of data/events.json, its rows of the CSV files,
its TimelineJS slide), and a TimelineJS slice repeats the slides of its events. A one-record change rewrites these
files whole, some 36 MB at 10,000 events. The parts of unchanged events are copied from where the previous build
wrote them in their *home*, the whole-dataset file of their kind, by the system (``os.copy_file_range``; read and
written here where the system cannot), rather than kept in the cache, read back and written again by Python.
``sitecache.SiteCache.part`` knows where each part is; ``write_parts`` writes a file and tells where its own parts
now lie, for the next build.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from .output import create_file, write_all

TEXT_BATCH = 1 << 20  # bytes of made text gathered before each write
READ_BLOCK = 1 << 20  # bytes read at a time where the system cannot copy
# What copy_file_range raises where the file system, the kernel or a container's rules do not allow it.
_CANNOT_COPY_IN_KERNEL = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM}


class Part(NamedTuple):
    """One event's part of ``home``: its ``text`` when this build made it, else ``length`` bytes at ``offset`` of
    the previous build's ``home``."""

    home: str
    key: str
    text: str | None
    offset: int = 0
    length: int = 0


PartMaker = Callable[[str, str, Callable[[], str]], "str | Part"]  # (home, key, make) -> the part, or its text
Locations = dict[str, tuple[int, int]]  # key: offset and length of the part in its home


def make_part(home: str, key: str, make: Callable[[], str]) -> str:
    """The part maker of an export written without a cache: the text, always made."""
    return make()


def separated_key(key: str, is_first: bool) -> str:
    """The key of a part that starts with a separator unless it comes first: the two texts differ."""
    return f"first {key}" if is_first else key


class PreviousFileChanged(OSError):
    """A file of the previous build could not be copied from as the cache describes it."""


class _Copier:
    """Byte ranges of the previous build's files appended to ``target``: adjacent ranges in one system call."""

    def __init__(self, target: int, previous_folder: Path | None) -> None:
        self.target = target
        self.previous_folder = previous_folder
        self.sources: dict[str, int] = {}
        self.home: str | None = None
        self.start = self.length = 0
        self.can_copy_in_kernel = hasattr(os, "copy_file_range")

    def add(self, home: str, offset: int, length: int) -> None:
        if home == self.home and offset == self.start + self.length:
            self.length += length
            return
        self.flush()
        self.home, self.start, self.length = home, offset, length

    def flush(self) -> None:
        if self.home is None:
            return
        assert self.previous_folder is not None, "only a rebuild has parts to copy"
        path = self.previous_folder / self.home
        try:
            source = self.sources.get(self.home)
            if source is None:
                source = self.sources[self.home] = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            offset, remaining = self.start, self.length
            while remaining:
                copied = self._copy(source, offset, remaining)
                if not copied:
                    raise PreviousFileChanged("the file is shorter than the previous build left it")
                offset += copied
                remaining -= copied
        except OSError as error:
            raise PreviousFileChanged(f"could not copy from {path}, written by the previous build ({error})") from error
        self.home = None

    def _copy(self, source: int, offset: int, count: int) -> int:
        if self.can_copy_in_kernel:
            try:
                copied = os.copy_file_range(source, self.target, count, offset)
                if copied:
                    return copied
            except OSError as error:
                if error.errno not in _CANNOT_COPY_IN_KERNEL:
                    raise
            self.can_copy_in_kernel = False  # and read through here, which also tells a short file from the rest
        if hasattr(os, "pread"):
            data = os.pread(source, min(count, READ_BLOCK), offset)
        else:  # Windows
            os.lseek(source, offset, os.SEEK_SET)
            data = os.read(source, min(count, READ_BLOCK))
        write_all(self.target, data)
        return len(data)

    def close(self) -> None:
        for descriptor in self.sources.values():
            os.close(descriptor)


def write_parts(folder: str, name: str, parts: Iterable[str | Part], previous_folder: Path | None) -> Locations | None:
    """Write text and parts to ``folder``/``name``, copying each part that has no text from ``previous_folder``;
    return where the parts whose home is ``name`` now lie in it (None when it is no home)."""
    path = os.path.join(folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    own: Locations | None = None
    batch: list[bytes] = []
    batched = position = 0
    target = create_file(path)
    copier = _Copier(target, previous_folder)

    def write_batch() -> None:
        nonlocal batch, batched
        if batch:
            write_all(target, b"".join(batch))
            batch, batched = [], 0

    try:
        for part in parts:
            if type(part) is str:
                data = part.encode("utf-8")
            elif part.text is None:  # copied from the previous build
                if part.home == name:
                    own = own if own is not None else {}
                    own[part.key] = (position, part.length)
                write_batch()
                copier.add(part.home, part.offset, part.length)
                position += part.length
                continue
            else:
                data = part.text.encode("utf-8")
                if part.home == name:
                    own = own if own is not None else {}
                    own[part.key] = (position, len(data))
            copier.flush()
            batch.append(data)
            batched += len(data)
            position += len(data)
            if batched >= TEXT_BATCH:
                write_batch()
        copier.flush()
        write_batch()
    finally:
        copier.close()
        os.close(target)
    return own
