"""The file writer: every page handed to it is on disk when it closes, and a failed write fails the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from timeline.output import FileWriter


def test_every_file_handed_to_the_writer_is_written_when_it_closes(tmp_path: Path) -> None:
    writer = FileWriter(tmp_path)
    for number in range(300):
        writer.write(f"events/{number}/index.html", f"<p>event {number} · ü</p>")
    writer.write("big.json", "x" * 5_000_000)  # larger than the queue: written on its own
    writer.close()
    assert (tmp_path / "events" / "299" / "index.html").read_text(encoding="utf-8") == "<p>event 299 · ü</p>"
    assert len(list((tmp_path / "events").iterdir())) == 300
    assert (tmp_path / "big.json").stat().st_size == 5_000_000


def test_a_file_that_cannot_be_written_fails_the_build(tmp_path: Path) -> None:
    (tmp_path / "events").write_text("a file where a folder should be", encoding="utf-8")
    writer = FileWriter(tmp_path)
    writer.write("events/one/index.html", "<p>one</p>")
    with pytest.raises(OSError):
        writer.close()
