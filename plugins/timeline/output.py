"""Files written from background threads while the build renders the next page.

A build of ten thousand events creates some forty thousand files and thirty thousand folders; on a typical disk
each costs as much as rendering a small page. The kernel does that work without Python's lock, so handing the
finished text to a few threads lets rendering and file creation overlap.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

WORKERS = 8  # the disk, not the processor, limits: more files in flight overlap better (measured with 1, 2, 4 and 8)
QUEUED_CHARACTERS = 1_000_000  # text waiting to be written at most (a larger text waits alone): bounds memory


class FileWriter:
    """Write text files under ``root``; ``close`` waits for all of them and raises the first error."""

    def __init__(self, root: Path, workers: int = WORKERS) -> None:
        self.root = root
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="timeline-write")
        self.queued = 0
        self.queue_changed = threading.Condition()
        self.futures: list[Future] = []
        self.folders: set[str] = set()  # made already: saves a system call per file

    def write(self, name: str, text: str) -> None:
        size = len(text)
        with self.queue_changed:
            self.queue_changed.wait_for(lambda: not self.queued or self.queued + size <= QUEUED_CHARACTERS)
            self.queued += size
        future = self.pool.submit(self._write, os.path.join(self.root, name), text)
        future.add_done_callback(lambda _: self._written(size))
        self.futures.append(future)
        if len(self.futures) > 1000:
            self._collect(wait=False)

    def _written(self, size: int) -> None:
        with self.queue_changed:
            self.queued -= size
            self.queue_changed.notify_all()

    def _write(self, path: str, text: str) -> None:
        folder = os.path.dirname(path)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        with open(path, "w", encoding="utf-8", newline="") as file:
            file.write(text)

    def _collect(self, *, wait: bool) -> None:
        pending = []
        for future in self.futures:
            if wait or future.done():
                future.result()  # raises the error of a failed write
            else:
                pending.append(future)
        self.futures = pending

    def close(self) -> None:
        try:
            self._collect(wait=True)
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def abandon(self) -> None:
        """Stop after a failure elsewhere: wait for the threads, and let that failure be the one reported."""
        self.pool.shutdown(wait=True, cancel_futures=True)
