"""The file writer: every page handed to it is on disk when it closes, and a failed write fails the build."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest
from timeline.output import HANDOVER_FILES, FileWriter


def test_every_file_handed_to_tar_is_written_when_the_writer_closes(tmp_path: Path) -> None:
    writer = FileWriter(tmp_path / "site")
    for number in range(HANDOVER_FILES + 100):
        writer.write(f"events/{number}/index.html", f"<p>event {number} · ü</p>")
    writer.write("big.json", "x" * 5_000_000)
    writer.write(f"embed/{'long-name-' * 20}/index.html", "<p>a path longer than a plain tar header holds</p>")
    assert writer.process is not None, "the files after the first few go to tar"
    writer.close()
    site = tmp_path / "site"
    assert (site / "events" / "299" / "index.html").read_text(encoding="utf-8") == "<p>event 299 · ü</p>"
    assert len(list((site / "events").iterdir())) == HANDOVER_FILES + 100
    assert (site / "big.json").stat().st_size == 5_000_000
    assert (site / "embed" / ("long-name-" * 20) / "index.html").is_file()
    umask = os.umask(0)
    os.umask(umask)
    written_here = site / "events" / "0" / "index.html"
    written_by_tar = site / "events" / "299" / "index.html"
    assert written_here.stat().st_mode & 0o777 == written_by_tar.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_few_files_are_written_without_starting_tar(tmp_path: Path) -> None:
    writer = FileWriter(tmp_path)
    writer.write("events/one/index.html", "<p>one</p>")
    writer.write("oembed/one.json", "{}")
    writer.close()
    assert writer.process is None
    assert (tmp_path / "events" / "one" / "index.html").read_text(encoding="utf-8") == "<p>one</p>"
    assert (tmp_path / "oembed" / "one.json").read_text(encoding="utf-8") == "{}"


def test_a_file_that_cannot_be_written_fails_the_build_and_names_the_path(tmp_path: Path) -> None:
    (tmp_path / "events").write_text("a file where a folder should be", encoding="utf-8")
    writer = FileWriter(tmp_path)
    with pytest.raises(NotADirectoryError) as failure:
        writer.write("events/one/index.html", "<p>one</p>")
    assert failure.value.filename == str(tmp_path / "events" / "one")


def test_a_file_tar_cannot_write_fails_the_build_with_tars_message(tmp_path: Path) -> None:
    (tmp_path / "events").write_text("a file where a folder should be", encoding="utf-8")
    writer = FileWriter(tmp_path)
    for number in range(HANDOVER_FILES):
        writer.write(f"pages/{number}.html", "<p>page</p>")
    writer.write("events/one/index.html", "<p>one</p>")
    with pytest.raises(OSError, match="events/one"):
        writer.close()


def test_without_tar_every_file_is_written_by_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    writer = FileWriter(tmp_path / "site")
    for number in range(HANDOVER_FILES + 10):
        writer.write(f"events/{number}/index.html", "<p>event</p>")
    writer.close()
    assert writer.process is None
    assert len(list((tmp_path / "site" / "events").iterdir())) == HANDOVER_FILES + 10


def test_abandoning_the_writer_stops_tar_quietly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    writer = FileWriter(tmp_path)
    for number in range(HANDOVER_FILES + 20):
        writer.write(f"events/{number}/index.html", "x" * 9_000)  # more than the pipe's buffer holds
    process = writer.process
    assert process is not None
    writer.abandon()
    assert process.returncode is not None
    assert process.stdin is not None and process.stdin.closed
    del writer
    gc.collect()
    assert unraisable == [], "an error was printed after the build had already failed"


def test_a_writer_whose_tar_has_died_reports_it_and_then_stops_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    writer = FileWriter(tmp_path)
    for number in range(HANDOVER_FILES + 1):
        writer.write(f"events/{number}/index.html", "<p>event</p>")
    process = writer.process
    assert process is not None
    process.kill()
    process.wait()
    with pytest.raises(OSError, match="tar could not write"):
        for number in range(1000):  # 9 MB: more than the pipe and its buffer hold
            writer.write(f"more/{number}.html", "x" * 9_000)
    writer.abandon()
    assert process.stdin is not None and process.stdin.closed
    del writer
    gc.collect()
    assert unraisable == []
