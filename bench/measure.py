"""Run one build in this process and print its wall time and peak memory as JSON (used by bench/run.py)."""

from __future__ import annotations

import json
import resource
import sys
import time


def main() -> None:
    kind, *arguments = sys.argv[1:]
    start = time.perf_counter()
    if kind == "timeline":
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
