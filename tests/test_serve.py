"""`make serve`: the site is served, and an edited record shows on the next request without restarting."""

from __future__ import annotations

import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from conftest import BUILD_DATE, SITE_EVENTS
from timeline import cli
from timeline.serve import serve, watch

EU_SANCTIONS = Path("2021") / "2021-03-22-eu-sanctions-xinjiang.yaml"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local test server
        return response.read().decode("utf-8")


def wait_for(condition, timeout: float = 30.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


@contextmanager
def serving(build: Callable[..., int], watched: Path, output: Path) -> Iterator[str]:
    """Run `serve` in a thread, looking for changes every 50 ms; yield the site's address."""
    port = free_port()
    stopped = threading.Event()
    server = threading.Thread(
        target=serve,
        args=(build, [watched], output, "127.0.0.1", port),
        kwargs={"interval": 0.05, "stop": stopped.is_set},
    )
    server.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        stopped.set()
        server.join()


def test_watching_rebuilds_once_for_each_change_to_a_watched_file(tmp_path: Path) -> None:
    (tmp_path / "record.yaml").write_text("title: one\n", encoding="utf-8")
    rebuilds: list[float] = []
    stopped = threading.Event()
    watcher = threading.Thread(
        target=watch,
        args=([tmp_path], lambda: rebuilds.append(time.monotonic())),
        kwargs={"interval": 0.05, "stop": stopped.is_set},
    )
    watcher.start()
    try:
        time.sleep(0.3)
        assert rebuilds == []  # nothing changed yet
        (tmp_path / "record.yaml").write_text("title: two, a longer title\n", encoding="utf-8")
        assert wait_for(lambda: len(rebuilds) == 1, timeout=5)
        (tmp_path / "new.yaml").write_text("title: three\n", encoding="utf-8")
        assert wait_for(lambda: len(rebuilds) == 2, timeout=5)
    finally:
        stopped.set()
        watcher.join()


def test_an_edited_record_is_served_after_the_rebuild(tmp_path: Path) -> None:
    events = tmp_path / "events"
    shutil.copytree(SITE_EVENTS, events)
    output = tmp_path / "output"
    settings = {"TIMELINE_CACHE_PATH": str(tmp_path / "cache"), "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()}
    build = partial(cli.build, "pelicanconf.py", str(events), str(output), settings)
    with serving(build, events, output) as site:
        page = f"{site}events/2021-03-22-eu-sanctions-xinjiang/"
        assert wait_for(lambda: "EU imposes travel bans" in fetch(page))
        record = events / EU_SANCTIONS
        record.write_text(
            record.read_text(encoding="utf-8").replace("title: EU imposes", "title: The EU imposes"), encoding="utf-8"
        )
        assert wait_for(lambda: "The EU imposes travel bans" in fetch(page))


def test_a_failed_rebuild_is_reported_and_the_last_site_stays_served(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    watched, output = tmp_path / "events", tmp_path / "output"
    watched.mkdir()
    output.mkdir()
    builds: list[int] = []

    def build(memory: object) -> int:
        builds.append(len(builds))
        if len(builds) == 2:
            raise RuntimeError("template error")
        (output / "index.html").write_text(f"build {len(builds)}", encoding="utf-8")
        return 0

    with serving(build, watched, output) as site:
        assert wait_for(lambda: fetch(site) == "build 1")
        (watched / "record.yaml").write_text("one", encoding="utf-8")
        assert wait_for(lambda: len(builds) == 2)
        assert fetch(site) == "build 1"
        (watched / "record.yaml").write_text("two, longer", encoding="utf-8")
        assert wait_for(lambda: fetch(site) == "build 3")
    assert "The rebuild failed, the site is unchanged: RuntimeError: template error" in capsys.readouterr().out
