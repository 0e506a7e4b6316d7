"""The file writer: every page handed to it is on disk, in folders it makes, and a failed write fails the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from timeline.output import FileWriter


def test_every_file_handed_to_the_writer_is_written_in_the_folders_it_makes(tmp_path: Path) -> None:
    writer = FileWriter(tmp_path / "site")
    for number in range(300):
        writer.write(f"events/{number}/index.html", f"<p>event {number} · ü</p>")
    writer.write("big.json", "x" * 5_000_000)
    writer.write("events/299/index.html", "<p>rewritten</p>")
    assert (tmp_path / "site" / "events" / "298" / "index.html").read_text(encoding="utf-8") == "<p>event 298 · ü</p>"
    assert (tmp_path / "site" / "events" / "299" / "index.html").read_text(encoding="utf-8") == "<p>rewritten</p>"
    assert len(list((tmp_path / "site" / "events").iterdir())) == 300
    assert (tmp_path / "site" / "big.json").stat().st_size == 5_000_000


def test_a_file_that_cannot_be_written_fails_the_build_and_names_the_path(tmp_path: Path) -> None:
    (tmp_path / "events").write_text("a file where a folder should be", encoding="utf-8")
    writer = FileWriter(tmp_path)
    with pytest.raises(NotADirectoryError) as failure:
        writer.write("events/one/index.html", "<p>one</p>")
    assert failure.value.filename == str(tmp_path / "events" / "one")
