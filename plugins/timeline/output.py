"""The site's files, created by `tar` while the build renders the next page.

A build of ten thousand events creates some thirty thousand files in twenty thousand folders. On a virtual disk the
kernel takes 0.1 to 0.3 ms to create each, as long as rendering a small page takes, and longer still while the disk
is busy writing back what came before. So after its first few files a build streams the rest as a tar archive into
`tar -x`, a small process of its own that creates the folders and files on the other processor core.

Also measured and dropped: writer threads (every system call of a writer has to take Python's lock back from the
rendering thread, and those handovers cost the kernel more time than the files themselves), and a second Python
process (as fast as `tar`, with four times its memory).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

HANDOVER_FILES = 200  # written here before `tar` is started: a rebuild after one edit writes fewer
PIPE_BUFFER = 1 << 16  # bytes gathered before each write to `tar`: the size of a pipe
PIPE_CAPACITY = 1 << 20  # asked of Linux for the pipe: the build renders on while `tar` waits for the disk
END_OF_ARCHIVE = tarfile.NUL * (2 * tarfile.BLOCKSIZE)
FILE_MODE = 0o666  # as open() makes files: the umask decides, for every file, whoever writes it


class FileWriter:
    """Write text files under ``root``; ``close`` waits until they are all written and raises an OSError if one
    could not be. Without `tar` on the machine, every file is written here."""

    def __init__(self, root: Path) -> None:
        self.root = os.fspath(root)
        self.folders: set[str] = set()  # made already: saves a system call per file
        self.written_here = 0
        self.process: subprocess.Popen | None = None
        self.errors: IO[bytes] | None = None
        self.tar = shutil.which("tar")

    def write(self, name: str, text: str) -> None:
        content = text.encode("utf-8")
        if self.process is None and (self.written_here < HANDOVER_FILES or not self.tar):
            write_file(os.path.join(self.root, name), content, self.folders)
            self.written_here += 1
            return
        if self.process is None:
            self._start_tar()
        assert self.process is not None and self.process.stdin is not None
        member = tarfile.TarInfo(name)
        member.size = len(content)
        member.mode = FILE_MODE
        # The archive is written here, a member at a time: TarFile.addfile takes three times as long, and keeps
        # every member's TarInfo until the archive is closed (megabytes for a large site).
        try:
            self.process.stdin.write(member.tobuf(tarfile.GNU_FORMAT, "utf-8", "surrogateescape"))
            self.process.stdin.write(content)
            self.process.stdin.write(tarfile.NUL * (-len(content) % tarfile.BLOCKSIZE))
        except BrokenPipeError:
            raise self._failure() from None

    def _start_tar(self) -> None:
        assert self.tar is not None
        self.errors = tempfile.TemporaryFile()  # not a pipe: a long error report could fill it and stop both sides
        self.process = subprocess.Popen(
            [self.tar, "-x", "-m", "--no-same-owner", "--no-same-permissions", "-f", "-", "-C", self.root],
            stdin=subprocess.PIPE,
            stderr=self.errors,
            bufsize=PIPE_BUFFER,
        )
        if hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux; elsewhere the pipe keeps its size
            with contextlib.suppress(OSError):  # more than the system allows: it keeps its size too
                fcntl.fcntl(self.process.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_CAPACITY)

    def _failure(self) -> OSError:
        assert self.process is not None and self.errors is not None
        self.process.wait()
        self.errors.seek(0)
        report = self.errors.read().decode("utf-8", "replace").strip()
        self.errors.close()
        return OSError(
            f"tar could not write the site's files into {self.root} (exit status {self.process.returncode}): {report}"
        )

    def close(self) -> None:
        if self.process is None:
            return
        assert self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.write(END_OF_ARCHIVE)
        self._close_pipe()
        if self.process.wait() != 0:
            raise self._failure()
        assert self.errors is not None
        self.errors.close()

    def abandon(self) -> None:
        """Stop after a failure elsewhere, so that failure is the one reported."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait()
        self._close_pipe()
        assert self.errors is not None
        self.errors.close()

    def _close_pipe(self) -> None:
        """A broken pipe is left to tar's exit status, read next: tar may stop reading once it has the archive's
        end, or may have stopped at an error, or been stopped by ``abandon``."""
        assert self.process is not None and self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()


def write_file(path: str, content: bytes, folders: set[str]) -> None:
    """Write ``content`` to ``path``, making its folder unless ``folders`` says it was made already.

    A plain descriptor takes three system calls; a Python file object adds a stat, two seeks and a terminal check."""
    folder = os.path.dirname(path)
    if folder not in folders:
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    descriptor = create_file(path)
    try:
        write_all(descriptor, content)
    finally:
        os.close(descriptor)


def create_file(path: str) -> int:
    """A descriptor for writing ``path`` anew, as a plain file (binary on Windows too)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), FILE_MODE)


def write_all(descriptor: int, content: bytes) -> None:
    """Write all of ``content``: a write may take only part of it."""
    remaining = memoryview(content)
    while remaining:
        remaining = remaining[os.write(descriptor, remaining) :]
