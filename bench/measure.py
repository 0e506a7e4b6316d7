"""Run one build in this process and print its wall time and peak memory as JSON (used by bench/run.py)."""

from __future__ import annotations

import json
import resource
import sys
import time


def rebuild_while_serving(events: str, output: str, cache: str, changed: str) -> tuple[float, int]:
    """What `timeline serve` does on an edit: a build with the cache kept in memory, then the rebuild (timed)."""
    from pathlib import Path

    from timeline import buildcache, cli

    memory = buildcache.Memory()
    arguments = ("pelicanconf.py", events, output, {"TIMELINE_CACHE_PATH": cache})
    cli.build(*arguments, memory=memory)
    record = Path(changed)
    record.write_text(record.read_text(encoding="utf-8").replace('title: "', 'title: "Edited: ', 1), encoding="utf-8")
    start = time.perf_counter()
    return start, cli.build(*arguments, memory=memory)


def main() -> None:
    kind, *arguments = sys.argv[1:]
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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"code": code, "wall": wall, "peak_mib": peak}))


if __name__ == "__main__":
    main()
