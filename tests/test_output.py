"""The file writer: every page handed to it is on disk when it closes, and a failed write fails the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from timeline.output import HANDOVER_FILES, FileWriter


def test_every_file_handed_to_the_writer_process_is_written_when_it_closes(tmp_path: Path) -> None:
    writer = FileWriter(tmp_path)
    for number in range(HANDOVER_FILES + 100):
        writer.write(f"events/{number}/index.html", f"<p>event {number} · ü</p>")
    writer.write("big.json", "x" * 5_000_000)  # larger than the pipe's buffer
    assert writer.process is not None
    writer.close()
    assert (tmp_path / "events" / "299" / "index.html").read_text(encoding="utf-8") == "<p>event 299 · ü</p>"
    assert len(list((tmp_path / "events").iterdir())) == HANDOVER_FILES + 100
    assert (tmp_path / "big.json").stat().st_size == 5_000_000


def test_a_few_files_are_written_without_starting_a_process(tmp_path: Path) -> None:
    writer = FileWriter(tmp_path)
    writer.write("events/one/index.html", "<p>one</p>")
    writer.write("oembed/one.json", "{}")
    writer.close()
    assert writer.process is None
    assert (tmp_path / "events" / "one" / "index.html").read_text(encoding="utf-8") == "<p>one</p>"
    assert (tmp_path / "oembed" / "one.json").read_text(encoding="utf-8") == "{}"


def test_a_file_that_cannot_be_written_fails_the_build(tmp_path: Path) -> None:
    (tmp_path / "events").write_text("a file where a folder should be", encoding="utf-8")
    writer = FileWriter(tmp_path)
    writer.write("events/one/index.html", "<p>one</p>")
    with pytest.raises(NotADirectoryError) as failure:
        writer.close()
    assert failure.value.filename == str(tmp_path / "events" / "one")


def test_the_writer_process_reports_the_file_it_could_not_write(tmp_path: Path) -> None:
    (tmp_path / "events").write_text("a file where a folder should be", encoding="utf-8")
    writer = FileWriter(tmp_path)
    for number in range(HANDOVER_FILES):
        writer.write(f"pages/{number}.html", "<p>page</p>")
    writer.write("events/one/index.html", "<p>one</p>")
    with pytest.raises(NotADirectoryError) as failure:
        writer.close()
    assert failure.value.filename == str(tmp_path / "events" / "one")


def test_a_failed_write_stops_the_build_before_it_renders_every_page(tmp_path: Path) -> None:
    (tmp_path / "events").write_text("a file where a folder should be", encoding="utf-8")
    writer = FileWriter(tmp_path)
    writer.write("events/one/index.html", "<p>one</p>")
    for number in range(HANDOVER_FILES):
        writer.write(f"pages/{number}.html", "<p>page</p>")
    assert writer.process is not None
    with pytest.raises(NotADirectoryError):
        for number in range(1000):  # 10 MB: more than the pipe and its buffer hold
            writer.write(f"pages/more-{number}.html", "x" * 10_000)
    writer.abandon()
