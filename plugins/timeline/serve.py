"""`timeline serve` (`make serve`): build, serve the site on localhost, and rebuild when a record, the theme, the
content pages or the settings change.

The process keeps the build cache in memory between builds, so a rebuild after editing one record reads nothing
back from the cache folder and writes only the files the edit changes. A rebuild that finds errors reports them and
leaves the site being served as it was.
"""

from __future__ import annotations

import http.server
import os
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from .buildcache import Memory

Snapshot = dict[str, tuple[int, int]]


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """Each file's modification time and size under ``folders`` (a file stands for itself)."""
    state: Snapshot = {}
    for folder in folders:
        if folder.is_file():
            status = folder.stat()
            state[str(folder)] = (status.st_mtime_ns, status.st_size)
            continue
        for root, _, names in os.walk(folder):
            for name in names:
                if name.startswith("."):
                    continue
                path = os.path.join(root, name)
                try:
                    status = os.stat(path)
                except FileNotFoundError:
                    continue  # deleted while listing: the next look sees it gone
                state[path] = (status.st_mtime_ns, status.st_size)
    return state


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the parent's signature
        pass


def start_server(output: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """Serve ``output`` from a background thread. The folder is looked up by name on each request, so a full
    rebuild that swaps in a new folder is served at once."""
    server = http.server.ThreadingHTTPServer((host, port), partial(_QuietHandler, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


INTERVAL = 0.5  # seconds between looks at the watched files


def watch(
    folders: list[Path],
    rebuild: Callable[[], object],
    *,
    interval: float = INTERVAL,
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Call ``rebuild`` whenever a file under ``folders`` is added, changed or removed, until ``stop()``."""
    seen = snapshot(folders)
    while not stop():
        time.sleep(interval)
        now = snapshot(folders)
        if now != seen:
            time.sleep(interval)  # let an editor finish saving several files
            seen = snapshot(folders)
            rebuild()


def serve(
    build: Callable[..., int],
    watched: list[Path],
    output: Path,
    host: str,
    port: int,
    *,
    interval: float = INTERVAL,
    stop: Callable[[], bool] = lambda: False,
) -> int:
    """Build, then serve and rebuild on changes until interrupted (or ``stop()``). ``build(memory=...)`` runs one
    build."""
    memory = Memory()
    if build(memory=memory) != 0:
        return 1
    server = start_server(output, host, port)
    print(f"Serving {output} at http://{host}:{port}/ and rebuilding on changes; Ctrl-C stops.", flush=True)

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            built = build(memory=memory) == 0
        except Exception as error:  # a template or settings error: report it and keep serving the last site
            memory.records = memory.site = memory.titles = None
            print(f"The rebuild failed, the site is unchanged: {type(error).__name__}: {error}", flush=True)
            return
        if built:
            print(f"Rebuilt in {time.perf_counter() - started:.2f} s.", flush=True)

    try:
        watch(watched, rebuild, interval=interval, stop=stop)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
