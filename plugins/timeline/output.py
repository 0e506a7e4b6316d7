"""The site's files, written with as few system calls as possible.

A build of ten thousand events creates some thirty thousand files in twenty thousand folders; on a virtual disk the
kernel takes a tenth of a millisecond or more to create each, about as long as rendering a small page. A Python file
object adds a stat, two seeks and a terminal check to every file; a plain descriptor needs only open, write and
close, and a folder made once is not made again.

Writing from background threads and from a second process were both measured (1,000 to 10,000 events) and dropped:
with threads, every system call of a writer has to take Python's lock back from the rendering thread, and those
handovers cost the kernel more time than the files themselves; a writer process gained nothing on a quiet disk and
added a Python process's memory to the build.
"""

from __future__ import annotations

import os
from pathlib import Path


class FileWriter:
    """Write text files under ``root``, making their folders as needed."""

    def __init__(self, root: Path) -> None:
        self.root = os.fspath(root)
        self.folders: set[str] = set()  # made already: saves a system call per file

    def write(self, name: str, text: str) -> None:
        write_file(os.path.join(self.root, name), text.encode("utf-8"), self.folders)


def write_file(path: str, content: bytes, folders: set[str]) -> None:
    """Write ``content`` to ``path``, making its folder unless ``folders`` says it was made already."""
    folder = os.path.dirname(path)
    if folder not in folders:
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        remaining = memoryview(content)
        while remaining:
            remaining = remaining[os.write(descriptor, remaining) :]
    finally:
        os.close(descriptor)
