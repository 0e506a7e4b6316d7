"""Files written by a second process while the build renders the next page.

A build of ten thousand events creates some thirty thousand files in twenty thousand folders. On a virtual disk the
kernel spends 0.2 to 0.3 ms creating each file or folder, as long as rendering a small page takes, so the build
hands finished pages through a pipe to a process of its own, which creates them on the other processor core.
Threads were tried first: every system call of a writer thread has to take Python's lock back from the rendering
thread, and those handovers cost the kernel more time than the files themselves.

A build that writes only a few files, such as a rebuild after one edit, writes them itself: starting the process
would take longer.

Run as a script, this module is that process: it reads frames (path and content lengths, path, content) from its
standard input and writes each file; on an error it prints the error as JSON on standard error and exits with 1.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

HANDOVER_FILES = 200  # files held in memory before the writer process starts; a smaller build writes them itself
PIPE_BUFFER = 1 << 20  # bytes gathered before each write to the pipe
FRAME = struct.Struct("<II")  # lengths in bytes of the path and of the content that follow


class FileWriter:
    """Write text files under ``root``; ``close`` waits for all of them and raises the first error as an OSError."""

    def __init__(self, root: Path) -> None:
        self.root = os.fspath(root)
        self.held: list[tuple[str, bytes]] = []
        self.process: subprocess.Popen | None = None

    def write(self, name: str, text: str) -> None:
        path = os.path.join(self.root, name)
        content = text.encode("utf-8")
        if self.process is None:
            self.held.append((path, content))
            if len(self.held) >= HANDOVER_FILES:
                self._start_process()
            return
        self._send(path, content)

    def _start_process(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", __file__],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=PIPE_BUFFER,
        )
        held, self.held = self.held, []
        for path, content in held:
            self._send(path, content)

    def _send(self, path: str, content: bytes) -> None:
        assert self.process is not None and self.process.stdin is not None
        try:
            encoded = os.fsencode(path)
            self.process.stdin.write(FRAME.pack(len(encoded), len(content)) + encoded)
            self.process.stdin.write(content)
        except BrokenPipeError:
            raise self._failure() from None  # the process stopped at a file it could not write

    def _failure(self) -> OSError:
        assert self.process is not None and self.process.stderr is not None
        report = self.process.stderr.read().decode("utf-8", "replace")
        self.process.wait()
        try:
            number, message, filename = json.loads(report)
        except ValueError:
            return OSError(
                f"the process writing the site's files stopped (exit status {self.process.returncode}): {report}"
            )
        return OSError(number, message, filename)

    def close(self) -> None:
        if self.process is None:
            folders: set[str] = set()
            for path, content in self.held:
                write_file(path, content, folders)
            return
        assert self.process.stdin is not None
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        if self.process.wait() != 0:
            raise self._failure()

    def abandon(self) -> None:
        """Stop after a failure elsewhere, so that failure is the one reported."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()


def write_file(path: str, content: bytes, folders: set[str]) -> None:
    """Write ``content`` to ``path``, making its folder unless ``folders`` says it was made already.

    Plain descriptors take three system calls a file; a Python file object adds four more (stat, seek, terminal
    check)."""
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


def write_frames(stream: BinaryIO) -> None:
    folders: set[str] = set()
    while header := stream.read(FRAME.size):
        path_length, content_length = FRAME.unpack(header)
        path = os.fsdecode(stream.read(path_length))
        write_file(path, stream.read(content_length), folders)


if __name__ == "__main__":
    try:
        write_frames(open(sys.stdin.fileno(), "rb", buffering=PIPE_BUFFER, closefd=False))
    except OSError as error:
        sys.stderr.write(json.dumps([error.errno, error.strerror, error.filename]))
        sys.exit(1)
