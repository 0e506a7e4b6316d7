"""Command line: validate the records, or build the site all-or-nothing. Used by the Makefile and the PR check."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings as read_pelican_settings

from .buildcache import SETTING_KEY as BUILD_CACHE_KEY
from .buildcache import BuildCache, Memory
from .cachefiles import locked
from .dataset import InvalidDataset, load_dataset
from .export import published_event_schema
from .linkcheck import archive_suggestion, check_urls
from .model import Registry
from .parts import PreviousFileChanged
from .problems import Problem, did_you_mean, sorted_problems
from .registry import display_path, load_registry
from .scaffold import NewEvent, check_new_event, write_new_event
from .serve import serve as serve_and_watch
from .settings import SettingsError, TimelineSettings, read_settings
from .stats import coverage, coverage_table
from .timelinejs import DraftDefaults
from .timelinejs import import_timelinejs as read_and_import
from .validate import find_event_files, load_event_file, review_warnings


def _pelican_settings(settings_file: str, events: str | None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    overrides = {"TIMELINE_EVENTS_PATH": str(Path(events).absolute())} if events else {}
    return read_pelican_settings(settings_file, override={**(extra or {}), **overrides})


def _setting_overrides(pairs: Sequence[str]) -> dict[str, Any]:
    """NAME=VALUE pairs, VALUE as JSON when it parses (like pelican -e), else as text."""
    overrides = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            overrides[name] = json.loads(value)
        except json.JSONDecodeError:
            overrides[name] = value
    return overrides


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command: the problem appears on the changed line of the pull request."""
    level = "error" if problem.is_error else "warning"
    text = f"{problem.message} {problem.hint}".strip().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} file={problem.path},line={problem.line},col={problem.column}::{text}"


def report(problems: Sequence[Problem], checked: int | None, stream: TextIO, output_format: str = "text") -> None:
    for problem in problems:
        print(github_annotation(problem) if output_format == "github" else problem.format(), file=stream)
    errors = sum(1 for problem in problems if problem.is_error)
    warnings = len(problems) - errors
    if errors:
        print(f"{errors} error(s), {warnings} warning(s). Fix the errors above; nothing was built.", file=stream)
    elif checked is not None:
        print(f"Checked {checked} event records: no errors, {warnings} warning(s).", file=stream)


def _registry_or_report(settings: TimelineSettings) -> Registry | None:
    """The registries, or None after printing what is wrong with them."""
    registry, problems = load_registry(settings.registry_path, max_bytes=settings.max_file_bytes)
    if registry is None:
        report(problems, None, sys.stderr)
    return registry


def validate(
    settings_file: str,
    events: str | None,
    review: Sequence[str] = (),
    output_format: str = "text",
    extra: dict[str, Any] | None = None,
) -> int:
    """Check every record; with ``review``, also ask of those files what a reviewer would (warnings only)."""
    settings = read_settings(_pelican_settings(settings_file, events, extra))
    cache = BuildCache(settings.cache_path)
    cache.read_ahead()
    dataset, problems = load_dataset(settings, cache)
    for name in review:
        path = Path(name)
        if path.suffix == ".yaml" and path.is_file() and settings.registry_path not in path.absolute().parents:
            problems.extend(review_warnings(load_event_file(path, max_bytes=settings.max_file_bytes)))
    problems = sorted_problems(problems)
    stream = sys.stdout if dataset else sys.stderr
    report(problems, len(dataset.events) if dataset else None, stream, output_format)
    return 0 if dataset else 1


def new(settings_file: str, arguments: argparse.Namespace) -> int:
    """Scaffold a record; ask for what the command line did not give, when someone is there to answer."""
    settings = read_settings(_pelican_settings(settings_file, arguments.events))
    registry = _registry_or_report(settings)
    if registry is None:
        return 1
    answers = {}
    questions = (
        ("date", "Date of the act (YYYY-MM-DD, or YYYY-MM / YYYY)"),
        ("type", f"Type ({', '.join(registry.types)})"),
        ("actors", "Actor keys, comma-separated (see events/registry/actors.yaml)"),
        ("title", "Title (who did what, one line)"),
    )
    for name, question in questions:
        value = getattr(arguments, name) or ""
        if not value and sys.stdin.isatty():
            value = input(f"{question}: ").strip()
        answers[name] = value
    draft = NewEvent(
        date=answers["date"],
        type=answers["type"],
        actors=tuple(key.strip() for key in answers["actors"].split(",") if key.strip()),
        title=answers["title"],
        stance=arguments.stance or "",
        summary=arguments.summary or "",
        source_url=arguments.source_url or "",
        source_title=arguments.source_title or "",
        source_publisher=arguments.source_publisher or "",
    )
    errors = check_new_event(draft, registry, settings.build_date)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 2
    try:
        path = write_new_event(draft, settings.events_path, settings.build_date)
    except FileExistsError as clash:
        print(clash, file=sys.stderr)
        return 2
    print(f"Wrote {display_path(path)}. Fill in every TODO, then run make validate.")
    return 0


def linkcheck(settings_file: str, events: str | None, timeout: float, workers: int) -> int:
    """Report dead and redirected source addresses with the file and line that cite them."""
    settings = read_settings(_pelican_settings(settings_file, events))
    paths, _ = find_event_files(settings.events_path, settings.registry_path)
    citations: list[tuple[str, Problem]] = []
    for path in paths:
        document = load_event_file(Path(path), max_bytes=settings.max_file_bytes)
        for index, source in enumerate((document.data or {}).get("sources") or []):
            if isinstance(source, dict) and isinstance(source.get("url"), str):
                position = document.position(("sources", index, "url"))
                citations.append((source["url"], Problem(document.display_path, position.line, position.column, "")))
    results = check_urls([url for url, _ in citations], timeout=timeout, workers=workers)
    bad = 0
    for url, where in citations:
        result = results[url]
        if result.status == "ok":
            continue
        bad += 1
        if result.status == "redirected":
            hint = f"If the new address is the same page, use it: {result.final_url}"
        else:
            hint = archive_suggestion(url)
        print(f"{where.path}:{where.line}:{where.column}: {result.status}: {url} ({result.detail}). {hint}")
    print(f"Checked {len(results)} addresses cited {len(citations)} times: {bad} need a look.")
    return 1 if bad else 0


def write_schema(settings_file: str, events: str | None) -> int:
    """Write events/event.schema.json, the schema editors use, with the registries' keys as allowed values."""
    settings = read_settings(_pelican_settings(settings_file, events))
    registry = _registry_or_report(settings)
    if registry is None:
        return 1
    target = settings.events_path / "event.schema.json"
    target.write_text(published_event_schema(registry), encoding="utf-8")
    print(f"Wrote {display_path(target)}.")
    return 0


def stats(settings_file: str, events: str | None) -> int:
    dataset, problems = load_dataset(read_settings(_pelican_settings(settings_file, events)))
    if dataset is None:
        report(problems, None, sys.stderr)
        return 1
    print(coverage_table(coverage(dataset)))
    return 0


def import_timelinejs(settings_file: str, arguments: argparse.Namespace) -> int:
    """Draft records from a TimelineJS timeline; the person importing chooses type, stance and actors."""
    settings = read_settings(_pelican_settings(settings_file, arguments.events))
    registry = _registry_or_report(settings)
    if registry is None:
        return 1
    actors = tuple(key.strip() for key in arguments.actors.split(",") if key.strip())
    errors = [
        f'unknown {what} "{value}". {did_you_mean(value, choices)}'.strip()
        for what, value, choices in (
            [("type", arguments.type, registry.types), ("stance", arguments.stance, registry.stances)]
            + [("actor", actor, registry.actors) for actor in actors]
        )
        if value not in choices
    ]
    if not actors:
        errors.append("give at least one actor key: ACTORS=key[,key...]")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 2
    defaults = DraftDefaults(arguments.type, arguments.stance, actors, settings.build_date)
    written, skipped = read_and_import(Path(arguments.file), settings.events_path, defaults)
    for path in written:
        print(f"wrote {path}")
    for reason in skipped:
        print(f"skipped {reason}", file=sys.stderr)
    print(f"{len(written)} draft record(s) written; check each against its source, then run make validate.")
    return 0


def build(
    settings_file: str,
    events: str | None,
    output: str,
    extra: dict[str, Any] | None = None,
    full: bool = False,
    memory: Memory | None = None,
) -> int:
    """Build into a temporary folder beside ``output``; only when the build has succeeded, swap it in.

    When the cache shows that ``output`` holds the previous build, the temporary folder receives only the files that
    changed, and they are moved into ``output`` (with the files of deleted events removed). ``full`` ignores the
    cache and writes every file; ``memory`` keeps the cache in this process from one build to the next (``serve``).
    """
    pelican_settings = _pelican_settings(settings_file, events, extra)
    settings = read_settings(pelican_settings)
    target = Path(output).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(settings.cache_path):
        cache = BuildCache(settings.cache_path, target, fresh=full, memory=memory)
        cache.read_ahead()
        try:
            return _build_into(target, pelican_settings, cache)
        except PreviousFileChanged as error:  # the output folder changed under the cache's feet
            if full:
                raise
            print(f"{error}; building every file again.", file=sys.stderr)
            fresh = BuildCache(settings.cache_path, target, fresh=True, memory=memory)
            return _build_into(target, pelican_settings, fresh)


def _build_into(target: Path, pelican_settings: dict[str, Any], cache: BuildCache) -> int:
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    pelican_settings["OUTPUT_PATH"] = str(staging)
    pelican_settings[BUILD_CACHE_KEY] = cache
    try:
        Pelican(pelican_settings).run()
    except InvalidDataset as invalid:
        shutil.rmtree(staging)
        cache.discard()
        report(invalid.problems, None, sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging)
        cache.discard()
        raise
    site = cache.site
    if site is not None and site.incremental:
        site.forget()  # until the new manifest is saved, an interrupted move means a full build next time
        try:
            moved = _move_into(staging, target)
            removed = site.removed()
            _remove_files(target, removed)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        print(f"Updated {target}: {moved} file(s) written, {len(removed)} removed; the rest was unchanged.")
    else:
        previous = None
        if target.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
            target.rename(previous / target.name)
        staging.rename(target)
        if previous:
            _remove_in_background(previous)
        print(f"Built the site into {target}.")
    if site is not None:
        site.save(target)
    return 0


def serve(
    settings_file: str, events: str | None, output: str, host: str, port: int, extra: dict[str, Any] | None = None
) -> int:
    """Build, serve on ``host``:``port`` and rebuild when the records, theme, content pages or settings change."""
    pelican_settings = _pelican_settings(settings_file, events, extra)
    settings = read_settings(pelican_settings)
    watched = [
        settings.events_path,
        settings.registry_path,
        Path(pelican_settings["THEME"]).absolute(),
        Path(pelican_settings["PATH"]).absolute(),
        Path(settings_file).absolute(),
    ]
    return serve_and_watch(
        partial(build, settings_file, events, output, extra),
        sorted(set(watched)),
        Path(output).absolute(),
        host,
        port,
    )


def _move_into(staging: Path, target: Path) -> int:
    """Move every file of ``staging`` to the same place in ``target``, each replaced in one step: the deepest
    first, so that a listing never links to an event page that is not there yet."""
    files = [Path(folder) / name for folder, _, names in os.walk(staging) for name in names]
    files.sort(key=lambda path: len(path.parts), reverse=True)
    for path in files:
        destination = target / path.relative_to(staging)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)
    return len(files)


def _remove_files(target: Path, names: Sequence[str]) -> None:
    """Delete the files no longer built, and the folders that leaves empty."""
    for name in names:
        path = target / name
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == target or any(folder.iterdir()):
                break
            folder.rmdir()


def _remove_in_background(folder: Path) -> None:
    """Delete the replaced site without making the reader of the build wait (tens of thousands of files)."""
    if os.name == "posix" and shutil.which("rm"):
        subprocess.Popen(["rm", "-rf", str(folder)], start_new_session=True)  # noqa: S603, S607 - fixed arguments
    else:
        shutil.rmtree(folder)


def _events_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--events", help="events folder (default: TIMELINE_EVENTS_PATH)")


def _set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override a setting (VALUE as JSON)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="timeline", description=__doc__)
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file (default: pelicanconf.py)")
    commands = parser.add_subparsers(dest="command", required=True)
    validate_parser = commands.add_parser("validate", help="check every event record and report all problems")
    _events_option(validate_parser)
    validate_parser.add_argument(
        "--review", nargs="*", default=(), metavar="FILE", help="also warn about these records as a reviewer would"
    )
    validate_parser.add_argument(
        "--format", choices=("text", "github"), default="text", help="github: workflow annotations"
    )
    _set_option(validate_parser)
    new_parser = commands.add_parser("new", help="scaffold a new record")
    for name in (
        "date",
        "type",
        "actors",
        "title",
        "stance",
        "summary",
        "source-url",
        "source-title",
        "source-publisher",
    ):
        new_parser.add_argument(f"--{name}", default="")
    _events_option(new_parser)
    link_parser = commands.add_parser("linkcheck", help="check that every source address still answers")
    _events_option(link_parser)
    link_parser.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for each answer")
    link_parser.add_argument("--workers", type=int, default=4, help="addresses checked at the same time")
    schema_parser = commands.add_parser("schema", help="write events/event.schema.json for editors")
    _events_option(schema_parser)
    stats_parser = commands.add_parser("stats", help="print the number of events per year, type, stance and region")
    _events_option(stats_parser)
    import_parser = commands.add_parser(
        "import-timelinejs", help="turn a TimelineJS JSON or CSV file into draft records"
    )
    import_parser.add_argument("file", help="TimelineJS JSON, or its Google Sheets template saved as CSV")
    import_parser.add_argument("--type", required=True, help="type key for every draft")
    import_parser.add_argument("--stance", required=True, help="stance key for every draft")
    import_parser.add_argument("--actors", required=True, help="actor keys, comma-separated")
    import_parser.add_argument("--events", help="events folder to write into (default: TIMELINE_EVENTS_PATH)")
    build_parser = commands.add_parser("build", help="validate, then build the site")
    _events_option(build_parser)
    build_parser.add_argument("--output", default="output", help="output folder (default: output)")
    _set_option(build_parser)
    build_parser.add_argument(
        "--full", action="store_true", help="write every file, ignoring what the previous build left in the cache"
    )
    serve_parser = commands.add_parser("serve", help="build, serve on localhost and rebuild when files change")
    _events_option(serve_parser)
    serve_parser.add_argument("--output", default="output", help="output folder (default: output)")
    serve_parser.add_argument("--bind", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    _set_option(serve_parser)
    arguments = parser.parse_args(argv)
    init_logging(level=logging.WARNING)
    try:
        if arguments.command == "validate":
            return validate(
                arguments.settings,
                arguments.events,
                arguments.review,
                arguments.format,
                _setting_overrides(arguments.set),
            )
        if arguments.command == "new":
            return new(arguments.settings, arguments)
        if arguments.command == "linkcheck":
            return linkcheck(arguments.settings, arguments.events, arguments.timeout, arguments.workers)
        if arguments.command == "schema":
            return write_schema(arguments.settings, arguments.events)
        if arguments.command == "stats":
            return stats(arguments.settings, arguments.events)
        if arguments.command == "import-timelinejs":
            return import_timelinejs(arguments.settings, arguments)
        if arguments.command == "serve":
            return serve(
                arguments.settings,
                arguments.events,
                arguments.output,
                arguments.bind,
                arguments.port,
                _setting_overrides(arguments.set),
            )
        return build(
            arguments.settings, arguments.events, arguments.output, _setting_overrides(arguments.set), arguments.full
        )
    except SettingsError as error:
        print(f"{arguments.settings}: {error}", file=sys.stderr)
        return 2
