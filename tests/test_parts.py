"""The whole-dataset files are assembled from parts: text made now, or bytes copied from where the previous build
wrote them. The file is the same either way, and says where its own parts lie for the next build."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import SITE_EVENTS
from test_rebuild import build, edit_title, site_files
from timeline import parts
from timeline.cachefiles import read_values
from timeline.parts import Part, PreviousFileChanged, separated_key, write_parts
from timeline.sitecache import PARTS_FILE, _read_homes


@pytest.fixture
def events(tmp_path: Path) -> Path:
    shutil.copytree(SITE_EVENTS, tmp_path / "events")
    return tmp_path / "events"


def write_previous(folder: Path) -> dict[str, tuple[int, int]]:
    locations = write_parts(
        str(folder),
        "data/lines.txt",
        [
            "[",
            Part("data/lines.txt", "a", "alpha"),
            Part("data/lines.txt", "b", ",beta"),
            Part("data/lines.txt", "c", ",gamma"),
            "]",
        ],
        None,
    )
    assert (folder / "data" / "lines.txt").read_text() == "[alpha,beta,gamma]"
    assert locations == {"a": (1, 5), "b": (6, 5), "c": (11, 6)}
    return locations


def copy_file_range_refused(*arguments: object) -> int:
    raise OSError(errno.EXDEV, "Invalid cross-device link")


@pytest.mark.parametrize("system", ["copy_file_range", "copy_file_range refused", "pread", "seek and read"])
def test_parts_without_text_are_copied_from_the_previous_build_and_located_in_the_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system: str
) -> None:
    previous = write_previous(tmp_path / "previous")
    if system == "copy_file_range refused":
        monkeypatch.setattr(os, "copy_file_range", copy_file_range_refused, raising=False)
    elif system != "copy_file_range":  # macOS has pread only, Windows neither
        monkeypatch.delattr(os, "copy_file_range", raising=False)
        if system == "seek and read":
            monkeypatch.delattr(os, "pread", raising=False)
    home = "data/lines.txt"
    located = write_parts(
        str(tmp_path / "new"),
        home,
        [
            "[",
            Part(home, "a", None, *previous["a"]),
            Part(home, "b2", ",BETA"),  # made again: the event changed
            Part(home, "c", None, *previous["c"]),
            Part(home, "d", ",delta"),
            "]",
        ],
        tmp_path / "previous",
    )
    assert (tmp_path / "new" / home).read_text() == "[alpha,BETA,gamma,delta]"
    assert located == {"a": (1, 5), "b2": (6, 5), "c": (11, 6), "d": (17, 6)}


def test_a_slice_copies_the_parts_of_its_events_from_their_home_and_locates_nothing(tmp_path: Path) -> None:
    previous = write_previous(tmp_path / "previous")
    home = "data/lines.txt"
    located = write_parts(
        str(tmp_path / "new"),
        "data/slices/some.txt",
        ["[", Part(home, separated_key("a", is_first=True), "alpha"), Part(home, "c", None, *previous["c"]), "]"],
        tmp_path / "previous",
    )
    assert (tmp_path / "new" / "data" / "slices" / "some.txt").read_text() == "[alpha,gamma]"
    assert located is None


def test_adjacent_parts_are_copied_in_one_system_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    previous = write_previous(tmp_path / "previous")
    calls = []
    real_copy = parts._Copier._copy

    def counting_copy(self: parts._Copier, source: int, offset: int, count: int) -> int:
        calls.append((offset, count))
        return real_copy(self, source, offset, count)

    monkeypatch.setattr(parts._Copier, "_copy", counting_copy)
    home = "data/lines.txt"
    write_parts(
        str(tmp_path / "new"),
        home,
        ["[", *(Part(home, key, None, *previous[key]) for key in "abc"), "]"],
        tmp_path / "previous",
    )
    assert (tmp_path / "new" / home).read_text() == "[alpha,beta,gamma]"
    assert calls == [(1, 16)]


def test_a_previous_file_shorter_than_its_parts_is_reported(tmp_path: Path) -> None:
    previous = write_previous(tmp_path / "previous")
    (tmp_path / "previous" / "data" / "lines.txt").write_text("[al")
    home = "data/lines.txt"
    with pytest.raises(PreviousFileChanged, match="shorter than the previous build left it"):
        write_parts(str(tmp_path / "new"), home, [Part(home, "c", None, *previous["c"])], tmp_path / "previous")


def test_each_located_part_of_a_built_site_is_its_event_in_the_file(tmp_path: Path, events: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache)
    edit_title(events)
    build(events, site, cache)
    _, environment = next(read_values(cache / PARTS_FILE))
    homes = _read_homes(cache / PARTS_FILE, environment)
    assert set(homes) == {"data/events.json", "data/events.csv", "data/sources.csv", "data/timelinejs/timeline.json"}
    data = (site / "data" / "events.json").read_bytes()
    ids = []
    for offset, length in sorted(homes["data/events.json"][1].values()):
        ids.append(json.loads(data[offset : offset + length].decode("utf-8").lstrip(",\n "))["id"])
    assert ids == [event["id"] for event in json.loads(data)["events"]]


def test_a_data_file_changed_in_the_output_folder_is_not_copied_from(tmp_path: Path, events: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache)
    events_json = site / "data" / "events.json"
    events_json.write_bytes(events_json.read_bytes().replace(b'"id"', b'"ID"'))  # same length, another file
    edit_title(events)
    build(events, site, cache)
    build(events, tmp_path / "full", None)
    assert site_files(site) == site_files(tmp_path / "full")


def test_a_rebuild_that_cannot_copy_from_the_previous_files_builds_every_file_again(
    tmp_path: Path, events: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache)
    edit_title(events)

    def failing_copy(self: parts._Copier, source: int, offset: int, count: int) -> int:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(parts._Copier, "_copy", failing_copy)
    capsys.readouterr()
    build(events, site, cache)
    captured = capsys.readouterr()
    assert "could not copy from" in captured.err and "data/" in captured.err
    assert "building every file again" in captured.err and "Built the site" in captured.out
    build(events, tmp_path / "full", None)
    assert site_files(site) == site_files(tmp_path / "full")
