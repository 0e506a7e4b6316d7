"""A rebuild that reuses the cache writes the same site as a full build, whatever changed, and touches only what
the change concerns."""

from __future__ import annotations

import gc
import html
import marshal
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BUILD_DATE, PROJECT, SITE_EVENTS
from timeline import buildcache, cachefiles, cli, model, parts
from timeline.buildcache import BuildCache, Memory
from timeline.dataset import load_dataset
from timeline.model import Registry
from timeline.recordcache import CachedRecord, RecordCache
from timeline.settings import read_settings
from timeline.sitecache import SITE_FILE, SiteCache
from timeline.validate import CROSS_RECORD_DATA

EU_SANCTIONS = "2021/2021-03-22-eu-sanctions-xinjiang.yaml"
OHCHR = "2022/2022-08-31-ohchr-xinjiang-assessment.yaml"


def build(events: Path, output: Path, cache: Path | None, *, full: bool = False, **settings: object) -> None:
    overrides = {"TIMELINE_CACHE_PATH": str(cache) if cache else "", "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()}
    assert cli.build("pelicanconf.py", str(events), str(output), {**overrides, **settings}, full=full) == 0


def site_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_title(events: Path) -> dict:
    replace_in(events / EU_SANCTIONS, "title: EU imposes", "title: The EU imposes")
    return {}


def add_event(events: Path) -> dict:
    text = (events / OHCHR).read_text(encoding="utf-8").replace("2022-08-31", "2023-09-01")
    (events / "2023").mkdir()
    (events / "2023" / "2023-09-01-ohchr-follow-up.yaml").write_text(
        text.replace("title: ", "title: Follow-up to ", 1), encoding="utf-8"
    )
    return {}


def add_event_same_year(events: Path) -> dict:
    text = (events / OHCHR).read_text(encoding="utf-8").replace("2022-08-31", "2022-09-01")
    (events / "2022" / "2022-09-01-ohchr-follow-up.yaml").write_text(
        text.replace("title: ", "title: Follow-up to ", 1), encoding="utf-8"
    )
    return {}


def delete_event(events: Path) -> dict:
    (events / OHCHR).unlink()
    return {}


def rename_event(events: Path) -> dict:
    old = events / OHCHR
    new = old.with_name("2022-08-31-ohchr-assessment.yaml")
    new.write_text(old.read_text(encoding="utf-8") + "previous_ids: [2022-08-31-ohchr-xinjiang-assessment]\n")
    old.unlink()
    return {}


def link_related(events: Path) -> dict:
    # The linked event's page, data and cards change too: related links are shown both ways.
    path = events / OHCHR
    path.write_text(path.read_text(encoding="utf-8") + "related: [2021-03-22-eu-sanctions-xinjiang]\n")
    return {}


def move_to_another_year(events: Path) -> dict:
    old = events / OHCHR
    (events / "2023").mkdir()
    text = old.read_text(encoding="utf-8").replace("date: 2022-08-31", "date: 2023-01-31", 1)
    (events / "2023" / "2023-01-31-ohchr-xinjiang-assessment.yaml").write_text(text, encoding="utf-8")
    old.unlink()
    return {}


def mark_updated(events: Path) -> dict:
    # The record moves to the top of the feeds and of /changes/, which list the latest changes only.
    path = events / EU_SANCTIONS
    path.write_text(path.read_text(encoding="utf-8") + f"updated: {BUILD_DATE.isoformat()}\n", encoding="utf-8")
    return {}


def change_actor_and_type(events: Path) -> dict:
    # The event leaves one actor's and one type's pages and joins others: both sides change.
    path = events / OHCHR
    text = path.read_text(encoding="utf-8")
    actors = next(line for line in text.splitlines() if line.startswith("actors:"))
    kind = next(line for line in text.splitlines() if line.startswith("type:"))
    path.write_text(
        text.replace(actors, "actors: [european-union]").replace(kind, "type: un-statement"), encoding="utf-8"
    )
    return {}


def relabel_type(events: Path) -> dict:
    replace_in(events / "registry" / "types.yaml", "label: ", "label: Renamed ")
    return {}


def change_setting(events: Path) -> dict:
    return {"SITENAME": "Another timeline"}


# Each change, and whether the rebuild can write only what it touches ("Updated") or must write everything
# ("Built": a site-wide input changed, such as the registries, the settings or the years covered).
CHANGES: dict[str, tuple[Callable[[Path], dict], str]] = {
    "a title edited": (edit_title, "Updated"),
    "an event added": (add_event, "Built"),
    "an event added in a year already covered": (add_event_same_year, "Updated"),
    "an event deleted": (delete_event, "Built"),
    "an event renamed": (rename_event, "Updated"),
    "an event moved to another year": (move_to_another_year, "Built"),
    "a related link added": (link_related, "Updated"),
    "a record marked updated": (mark_updated, "Updated"),
    "an actor and a type changed": (change_actor_and_type, "Updated"),
    "a registry label changed": (relabel_type, "Built"),
    "a setting changed": (change_setting, "Built"),
}


@pytest.fixture
def events(tmp_path: Path) -> Path:
    copy = tmp_path / "events"
    shutil.copytree(SITE_EVENTS, copy)
    return copy


@pytest.mark.parametrize("change", CHANGES)
def test_a_rebuild_after_a_change_writes_the_same_site_as_a_full_build(
    tmp_path: Path, events: Path, change: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache)
    make_change, kind_of_build = CHANGES[change]
    settings = make_change(events)
    capsys.readouterr()
    build(events, site, cache, **settings)
    assert kind_of_build in capsys.readouterr().out
    build(events, tmp_path / "full", None, **settings)
    assert site_files(site) == site_files(tmp_path / "full")


def test_a_rebuild_replaces_only_the_files_a_change_touches(
    tmp_path: Path, events: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache)
    files_before = {path: path.stat().st_ino for path in site.rglob("*") if path.is_file()}
    edit_title(events)
    capsys.readouterr()
    build(events, site, cache)
    replaced = {
        path.relative_to(site).as_posix() for path, inode in files_before.items() if path.stat().st_ino != inode
    }
    assert "events/2021-03-22-eu-sanctions-xinjiang/index.html" in replaced
    assert "index.html" in replaced and "data/events.json" in replaced
    # The event after it links to it by title; the unrelated event's own page and embed do not change.
    assert "events/2022-08-31-ohchr-xinjiang-assessment/index.html" in replaced
    assert "embed/events/2022-08-31-ohchr-xinjiang-assessment/index.html" not in replaced
    assert "oembed/events/2022-08-31-ohchr-xinjiang-assessment.json" not in replaced
    assert "overview/index.html" not in replaced  # it counts events, and names only the joint statements
    assert "Updated" in capsys.readouterr().out


def test_rebuilds_with_the_cache_kept_in_memory_write_the_same_site_as_a_full_build(
    tmp_path: Path, events: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As ``timeline serve`` rebuilds: nothing read back from the cache folder, the data files copied from the
    site it serves."""
    site, memory = tmp_path / "site", Memory()
    overrides = {"TIMELINE_CACHE_PATH": str(tmp_path / "cache"), "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()}
    assert cli.build("pelicanconf.py", str(events), str(site), overrides, memory=memory) == 0
    copied: list[str] = []
    real_add = parts._Copier.add

    def recording_add(self: parts._Copier, home: str, offset: int, length: int) -> None:
        copied.append(home)
        real_add(self, home, offset, length)

    monkeypatch.setattr(parts._Copier, "add", recording_add)
    for number, make_change in enumerate((edit_title, link_related, change_actor_and_type)):
        make_change(events)
        capsys.readouterr()
        copied.clear()
        assert cli.build("pelicanconf.py", str(events), str(site), overrides, memory=memory) == 0
        assert "Updated" in capsys.readouterr().out
        assert "data/events.json" in copied  # the unchanged events' parts came from the served site
        build(events, tmp_path / f"full-{number}", None)
        assert site_files(site) == site_files(tmp_path / f"full-{number}")


def test_the_overview_is_written_again_when_an_event_its_statement_chart_names_is_edited(
    tmp_path: Path, events: Path
) -> None:
    """The overview counts events and names only the joint statements (here, the UN reports): a rebuild rewrites
    it for an edit to one of those, not for an edit to any other event (see the test above)."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    settings = {"TIMELINE_STATEMENT_TYPE": "un-report"}
    build(events, site, cache, **settings)
    overview = site / "overview" / "index.html"
    inode = overview.stat().st_ino
    replace_in(events / OHCHR, "title: OHCHR publishes", "title: The OHCHR publishes")
    build(events, site, cache, **settings)
    assert overview.stat().st_ino != inode and "The OHCHR publishes" in overview.read_text(encoding="utf-8")
    build(events, tmp_path / "full", None, **settings)
    assert site_files(site) == site_files(tmp_path / "full")


def test_a_rebuild_after_a_template_change_writes_the_same_site_as_a_full_build(tmp_path: Path, events: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT / "theme", theme)
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache, THEME=str(theme))
    replace_in(theme / "templates" / "event.html", "{% block content %}", "{% block content %}<p>Changed theme</p>")
    build(events, site, cache, THEME=str(theme))
    build(events, tmp_path / "full", None, THEME=str(theme))
    assert "Changed theme" in (site / "events" / "2021-03-22-eu-sanctions-xinjiang" / "index.html").read_text()
    assert site_files(site) == site_files(tmp_path / "full")


def test_the_cache_of_one_output_folder_does_not_shorten_the_build_of_another(tmp_path: Path, events: Path) -> None:
    cache = tmp_path / "cache"
    build(events, tmp_path / "first", cache)
    build(events, tmp_path / "second", cache)
    assert site_files(tmp_path / "second") == site_files(tmp_path / "first")


def test_a_full_build_rewrites_files_the_cache_believes_are_there(tmp_path: Path, events: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache)
    page = site / "events" / "2021-03-22-eu-sanctions-xinjiang" / "index.html"
    page.unlink()
    build(events, site, cache, full=True)
    assert page.is_file()


def test_a_crash_during_a_rebuild_leaves_the_previous_site_and_the_next_build_catches_up(
    tmp_path: Path, events: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache)
    before = site_files(site)
    edit_title(events)

    def crash(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr("timeline.generator.event_json_ld", crash)  # only pages being written call it
        with pytest.raises(RuntimeError, match="disk full"):
            build(events, site, cache)
    assert site_files(site) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "events", "site"]
    build(events, site, cache)
    build(events, tmp_path / "full", None)
    assert site_files(site) == site_files(tmp_path / "full")


def test_records_read_from_the_cache_give_the_same_events_and_problems(tmp_path: Path) -> None:
    events = tmp_path / "events"
    shutil.copytree(PROJECT / "tests" / "fixtures" / "events" / "duplicates", events)
    shutil.copytree(SITE_EVENTS / "registry", events / "registry")
    settings = read_settings(
        {"TIMELINE_EVENTS_PATH": str(events), "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()}, environment={}
    )
    first, first_problems = load_dataset(settings, BuildCache(tmp_path / "cache"))
    cache = BuildCache(tmp_path / "cache")
    second, second_problems = load_dataset(settings, cache)
    assert first is not None and second is not None
    assert cache.records is not None and cache.records.events_chunks == 1  # the second run read the cache
    assert second.events == first.events
    assert [problem.format() for problem in second_problems] == [problem.format() for problem in first_problems]
    assert any(not problem.is_error for problem in first_problems)  # the fixture's duplicate warnings


def test_a_record_changed_since_the_last_run_is_checked_again(tmp_path: Path, events: Path) -> None:
    settings = read_settings(
        {"TIMELINE_EVENTS_PATH": str(events), "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()}, environment={}
    )
    assert load_dataset(settings, BuildCache(tmp_path / "cache"))[0] is not None
    replace_in(events / EU_SANCTIONS, "type: sanction", "type: sanctions")
    dataset, problems = load_dataset(settings, BuildCache(tmp_path / "cache"))
    assert dataset is None
    assert any('"sanctions"' in problem.message for problem in problems)


def test_a_record_rewritten_at_once_with_the_same_size_and_time_is_read_again(tmp_path: Path, events: Path) -> None:
    # An editor saving twice within one timestamp tick: size and time match, the bytes do not.
    settings = read_settings(
        {"TIMELINE_EVENTS_PATH": str(events), "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()}, environment={}
    )
    path = events / EU_SANCTIONS
    replace_in(path, "title: EU imposes", "title: EU applies")  # saved just now
    status = path.stat()
    assert load_dataset(settings, BuildCache(tmp_path / "cache"))[0] is not None
    replace_in(path, "title: EU applies", "title: EU enacts ")  # saved again: same length
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size
    dataset, _ = load_dataset(settings, BuildCache(tmp_path / "cache"))
    assert dataset is not None
    assert any(event.title.startswith("EU enacts ") for event in dataset.events)


@pytest.mark.parametrize("damage", ["cut short", "an older format"])
def test_a_damaged_or_older_cache_is_ignored_and_the_build_is_the_same(
    tmp_path: Path, events: Path, damage: str
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    build(events, site, cache)
    for name in ("site.marshal", "records.marshal", "events.pickle"):
        path = cache / name
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if damage == "cut short" else marshal.dumps((3, "environment")) + data)
    edit_title(events)
    build(events, site, cache)
    build(events, tmp_path / "full", None)
    assert site_files(site) == site_files(tmp_path / "full")


def test_loading_the_cached_events_leaves_the_garbage_collector_as_it_was(tmp_path: Path) -> None:
    """The cached Events are kept from the collector while the records are checked; a long-running
    ``timeline serve`` must not be left with them, or anything else, out of its reach."""
    settings = read_settings({"TIMELINE_EVENTS_PATH": str(SITE_EVENTS), "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()})
    assert load_dataset(settings, BuildCache(tmp_path / "cache"))[0] is not None
    cache = BuildCache(tmp_path / "cache")
    assert load_dataset(settings, cache)[0] is not None
    assert cache.records is not None and cache.records.events_chunks  # the Events came from the cache
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_build_asks_for_its_cache_files_ahead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache files a build will read are handed to the system to read ahead; a validation does not ask for the
    site's pieces, and neither does a full build or a ``serve`` that holds them."""
    asked: list[list[str]] = []
    monkeypatch.setattr(buildcache, "warm", lambda paths: asked.append([path.name for path in paths]))
    folder = tmp_path / "cache"
    BuildCache(folder, tmp_path / "output").read_ahead()
    BuildCache(folder).read_ahead()
    BuildCache(folder, tmp_path / "output", fresh=True).read_ahead()
    BuildCache(folder, tmp_path / "output", memory=Memory(site=("environment", None, {}, {}, 0, {}))).read_ahead()
    BuildCache(None, tmp_path / "output").read_ahead()
    assert asked == [
        ["records.marshal", "events.pickle", "site.marshal", "parts.marshal"],
        ["records.marshal", "events.pickle"],
    ]


def test_reading_ahead_skips_a_missing_cache_file(tmp_path: Path) -> None:
    (tmp_path / "records.marshal").write_bytes(b"x" * 100_000)
    cachefiles._read_ahead((tmp_path / "missing", tmp_path / "records.marshal"))  # raises nothing


def test_the_record_cache_keeps_the_title_comparisons_a_run_asked_for(tmp_path: Path, registry: Registry) -> None:
    first = RecordCache(tmp_path, "environment")
    assert first.titles.similar("EU imposes sanctions", "EU imposes sanctions on four officials")
    first.save([], registry)
    assert RecordCache(tmp_path, "environment").titles.known == {
        ("EU imposes sanctions", "EU imposes sanctions on four officials"): True
    }
    assert RecordCache(tmp_path, "another environment").titles.known == {}  # another version may compare otherwise


def test_a_build_without_a_cache_handles_more_files_and_pieces_than_one_chunk(tmp_path: Path) -> None:
    site = SiteCache(None, "environment")
    for number in range(2 * SiteCache.CHUNK + 1):
        assert not site.unchanged(f"events/{number}/index.html", "digest")
        assert site.piece("card", str(number), lambda: "<article></article>") == "<article></article>"
    site.save(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_site_cache_reads_back_every_piece_and_file_across_chunks(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    count = 2 * SiteCache.CHUNK + 1
    first = SiteCache(tmp_path / "cache" / SITE_FILE, "environment")
    for number in range(count):
        first.unchanged(f"events/{number}/index.html", f"digest {number}")
        first.piece("card", str(number), lambda number=number: f"<article>{number}</article>")
        first.piece("slide", str(number), lambda number=number: f"{{{number}}}")
    first.save(output)

    second = SiteCache.load(tmp_path / "cache", "environment", output)
    assert second.incremental
    assert second.previous_pieces["card"] == {str(number): f"<article>{number}</article>" for number in range(count)}
    assert len(second.previous_pieces["slide"]) == count
    assert second.piece("card", "7", lambda: "made again") == "<article>7</article>"
    for number in range(1, count):  # the file of event 0 is no longer written
        assert second.unchanged(f"events/{number}/index.html", f"digest {number}")
    assert not second.unchanged("events/new/index.html", "digest")
    assert second.removed() == ["events/0/index.html"]
    assert not SiteCache.load(tmp_path / "cache", "another environment", output).incremental


def site_cache_run(cache: Path, output: Path, files: dict[str, str], cards: dict[str, str]) -> SiteCache:
    """One build's use of the site cache: the files it writes, with their digests, and the cards it shows."""
    site = SiteCache.load(cache, "environment", output)
    for name, key in files.items():
        site.unchanged(name, key)
    for key, card in cards.items():
        site.piece("card", key, lambda card=card: card)
    return site


def finish(site: SiteCache, output: Path) -> None:
    """What cli.build does once the pages are made: mark the folder, change it, save."""
    site.forget()
    site.save(output)


def test_a_rebuild_appends_to_the_site_cache_and_the_next_build_reads_the_whole_state(tmp_path: Path) -> None:
    cache, output = tmp_path / "cache", tmp_path / "output"
    output.mkdir()
    finish(site_cache_run(cache, output, {"a.html": "1", "b.html": "1"}, {"x": "<p>X</p>" * 500}), output)
    written_whole = (cache / SITE_FILE).stat().st_size

    second = site_cache_run(cache, output, {"a.html": "1", "c.html": "1"}, {"x": "unused", "y": "<p>Y</p>"})
    assert second.incremental and second.appending
    assert second.removed() == ["b.html"]
    finish(second, output)
    appended = (cache / SITE_FILE).stat().st_size - written_whole
    assert 0 < appended < written_whole / 10  # the new card and the changed files, not the whole cache again

    third = SiteCache.load(cache, "environment", output)
    assert third.incremental
    assert third.previous_manifest == {"a.html": "1", "c.html": "1"}
    assert third.previous_pieces["card"] == {"x": "<p>X</p>" * 500, "y": "<p>Y</p>"}


def test_a_rebuild_cut_short_leaves_the_site_cache_as_the_last_finished_build_left_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, output = tmp_path / "cache", tmp_path / "output"
    output.mkdir()
    finish(site_cache_run(cache, output, {"a.html": "1", "b.html": "1"}, {}), output)
    monkeypatch.setattr(SiteCache, "CHUNK", 1)  # every changed file is appended at once
    failed = site_cache_run(cache, output, {"a.html": "2"}, {"y": "<p>Y</p>"})
    failed.writer.discard()  # the build failed before its pages were moved into the output folder

    after = site_cache_run(cache, output, {"a.html": "1", "b.html": "1"}, {})
    assert after.incremental
    finish(after, output)
    assert SiteCache.load(cache, "environment", output).previous_manifest == {"a.html": "1", "b.html": "1"}


def test_a_rebuild_stopped_while_changing_the_output_folder_makes_the_next_build_full(tmp_path: Path) -> None:
    cache, output = tmp_path / "cache", tmp_path / "output"
    output.mkdir()
    finish(site_cache_run(cache, output, {"a.html": "1"}, {}), output)
    stopped = site_cache_run(cache, output, {"a.html": "2"}, {})
    stopped.forget()  # and then the process is killed while moving files
    assert not SiteCache.load(cache, "environment", output).incremental


def test_the_site_cache_is_written_whole_again_after_many_appended_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SiteCache, "MAX_APPENDS", 2)
    cache, output = tmp_path / "cache", tmp_path / "output"
    output.mkdir()
    finish(site_cache_run(cache, output, {"a.html": "1"}, {"old": "<p>old</p>"}), output)
    for number in (2, 3):
        rebuild = site_cache_run(cache, output, {"a.html": str(number)}, {str(number): f"<p>{number}</p>"})
        assert rebuild.appending
        finish(rebuild, output)
    whole = site_cache_run(cache, output, {"a.html": "4"}, {"3": "unused"})
    assert whole.incremental and not whole.appending
    finish(whole, output)
    again = SiteCache.load(cache, "environment", output)
    assert again.previous_pieces["card"] == {"3": "<p>3</p>"}  # what no build asks for any more is gone
    assert again.previous_manifest == {"a.html": "4"} and again.appending


def test_a_cached_record_gives_the_checks_across_records_the_fields_a_fresh_record_keeps() -> None:
    settings = read_settings({"TIMELINE_EVENTS_PATH": str(SITE_EVENTS), "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()})
    dataset, _ = load_dataset(settings)
    assert dataset is not None
    event = dataset.events[0]
    cached = CachedRecord("digest", 0, 0, {}, [], event).document(f"{event.id}.yaml")
    assert set(cached.data) == CROSS_RECORD_DATA


def test_cached_events_unpickle_their_summaries_and_sources_only_when_something_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = read_settings({"TIMELINE_EVENTS_PATH": str(SITE_EVENTS), "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()})
    fresh, _ = load_dataset(settings, BuildCache(tmp_path / "cache"))
    loaded = record_text_loads(monkeypatch)
    cached, _ = load_dataset(settings, BuildCache(tmp_path / "cache"))
    assert fresh is not None and cached is not None
    assert loaded == []
    first = cached.events[0]
    assert (first.summary_html, first.sources, first.note_html) == (
        fresh.events[0].summary_html,
        fresh.events[0].sources,
        fresh.events[0].note_html,
    )
    assert loaded == [first.text]
    assert cached.events == fresh.events  # compares every text, loading the rest
    assert len(loaded) == len(cached.events)


def test_a_rebuild_unpickles_the_texts_of_only_the_events_that_the_files_it_writes_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events, site, cache = tmp_path / "events", tmp_path / "site", tmp_path / "cache"
    shutil.copytree(PROJECT / "events", events)
    build(events, site, cache)
    before = {path: path.stat().st_ino for path in site.rglob("*") if path.is_file()}
    edit_title(events)
    loaded = record_text_loads(monkeypatch)
    build(events, site, cache)
    written = [
        path.read_text(encoding="utf-8")
        for path in site.rglob("*")
        if path.is_file() and before.get(path) != path.stat().st_ino
    ]
    records = [path for path in events.glob("*/*.yaml") if path.parent.name != "registry"]
    assert 0 < len(loaded) < len(records) // 5
    for text in loaded:
        assert any(text.summary_html in page or html.escape(text.summary_html) in page for page in written)


def test_events_kept_in_memory_are_cached_pointing_at_the_registry_not_at_copies_of_it(
    tmp_path: Path, events: Path
) -> None:
    """``timeline serve`` keeps the Events of unchanged records from build to build, and each build loads the
    registry again; when the events cache is written whole, those Events must still name their entries."""
    memory = Memory()
    overrides = {"TIMELINE_CACHE_PATH": str(tmp_path / "cache"), "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()}
    assert cli.build("pelicanconf.py", str(events), str(tmp_path / "site"), overrides, memory=memory) == 0
    edit_title(events)
    replace_in(events / OHCHR, "title: OHCHR", "title: The OHCHR")  # two of three records: the cache is written whole
    assert cli.build("pelicanconf.py", str(events), str(tmp_path / "site"), overrides, memory=memory) == 0
    settings = read_settings(
        {"TIMELINE_EVENTS_PATH": str(events), "TIMELINE_BUILD_DATE": BUILD_DATE.isoformat()}, environment={}
    )
    cache = BuildCache(tmp_path / "cache")
    dataset, _ = load_dataset(settings, cache)
    assert dataset is not None and cache.records is not None and cache.records.events_chunks == 1
    registry = dataset.registry
    for event in dataset.events:
        assert event.type is registry.types[event.type.key]
        assert event.stance is registry.stances[event.stance.key]
        assert all(actor is registry.actors[actor.key] for actor in event.actors)
        assert all(actor.region is registry.regions[actor.region.key] for actor in event.actors)


def record_text_loads(monkeypatch: pytest.MonkeyPatch) -> list[model.EventText]:
    """Each event text unpickled from now on (``model.EventText``), as it is loaded."""
    loaded: list[model.EventText] = []
    load = model.EventText._loaded

    def recording_load(text: model.EventText) -> tuple:
        if text._values is None:
            loaded.append(text)
        return load(text)

    monkeypatch.setattr(model.EventText, "_loaded", recording_load)
    return loaded
