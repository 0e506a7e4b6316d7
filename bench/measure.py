"""Run one build in this process and print its wall time and peak memory as JSON (used by bench/run.py)."""

from __future__ import annotations

import json
import resource
import sys
import threading
import time
from pathlib import Path


def rebuild_while_serving(events: str, output: str, cache: str, changed: str) -> tuple[float, int]:
    """What `timeline serve` does on an edit: a build with the cache kept in memory, then the rebuild (timed)."""
    from timeline import buildcache, cli

    memory = buildcache.Memory()
    arguments = ("pelicanconf.py", events, output, {"TIMELINE_CACHE_PATH": cache})
    cli.build(*arguments, memory=memory)
    record = Path(changed)
    record.write_text(record.read_text(encoding="utf-8").replace('title: "', 'title: "Edited: ', 1), encoding="utf-8")
    start = time.perf_counter()
    return start, cli.build(*arguments, memory=memory)


class ChildMemory:
    """The peak memory of this process's children (the build's `tar`), sampled every 50 ms: their resource usage
    would count the parent's memory at the moment they were started, before they became `tar`. A child that lives
    less than 50 ms can be missed; a build's `tar` lives for most of the build.

    A child still running this program's code (a fork that has not yet started `tar`, which shares or copies this
    process's memory) is not counted: one 50,000-event run sampled a child in that moment and reported 625 MiB, this
    process's 320 MiB twice over."""

    def __init__(self, in_background: bool = True) -> None:
        self.peak_kib = 0
        self.own_name = _status_field(Path("/proc/self/status").read_text(), "Name:")
        if in_background:
            threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.sample()
            time.sleep(0.05)

    def sample(self) -> None:
        for children in Path("/proc/self/task").glob("*/children"):
            for pid in children.read_text().split():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                peak = _status_field(status, "VmHWM:")
                if _status_field(status, "Name:") != self.own_name and peak:
                    self.peak_kib = max(self.peak_kib, int(peak.split()[0]))


def _status_field(status: str, name: str) -> str:
    """A field of /proc/<pid>/status, such as "Name:" or "VmHWM:" ("" when absent, as for a process ending)."""
    for line in status.splitlines():
        if line.startswith(name):
            return line[len(name) :].strip()
    return ""


def main() -> None:
    kind, *arguments = sys.argv[1:]
    children = ChildMemory()
    start = time.perf_counter()
    if kind == "serving":
        start, code = rebuild_while_serving(*arguments)
    elif kind == "timeline":
        from timeline import cli

        code = cli.main(arguments)
    else:
        from pelican import main as pelican_main

        code = 0
        try:
            pelican_main(arguments)
        except SystemExit as exit_:
            code = exit_.code or 0
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Counted as if both peaked at once, which overstates a little.
    print(json.dumps({"code": code, "wall": wall, "peak_mib": own + children.peak_kib / 1024, "own_peak_mib": own}))


if __name__ == "__main__":
    main()
