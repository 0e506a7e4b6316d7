"""Command line: validate the records, or build the site all-or-nothing. Used by the Makefile and the PR check."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings as read_pelican_settings

from .dataset import InvalidDataset, load_dataset
from .problems import Problem
from .settings import SettingsError, read_settings
from .problems import did_you_mean
from .registry import load_registry
from .stats import coverage, coverage_table
from .timelinejs import DraftDefaults
from .timelinejs import import_timelinejs as read_and_import


def _pelican_settings(settings_file: str, events: str | None) -> dict[str, Any]:
    overrides = {"TIMELINE_EVENTS_PATH": str(Path(events).absolute())} if events else {}
    return read_pelican_settings(settings_file, override=overrides)


def report(problems: Sequence[Problem], checked: int | None, stream: TextIO) -> None:
    for problem in problems:
        print(problem.format(), file=stream)
    errors = sum(1 for problem in problems if problem.is_error)
    warnings = len(problems) - errors
    if errors:
        print(f"{errors} error(s), {warnings} warning(s). Fix the errors above; nothing was built.", file=stream)
    elif checked is not None:
        print(f"Checked {checked} event records: no errors, {warnings} warning(s).", file=stream)


def validate(settings_file: str, events: str | None) -> int:
    settings = read_settings(_pelican_settings(settings_file, events))
    dataset, problems = load_dataset(settings)
    report(problems, len(dataset.events) if dataset else None, sys.stdout if dataset else sys.stderr)
    return 0 if dataset else 1


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
    registry, problems = load_registry(settings.registry_path, max_bytes=settings.max_file_bytes)
    if registry is None:
        report(problems, None, sys.stderr)
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


def build(settings_file: str, events: str | None, output: str) -> int:
    """Build into a temporary folder beside ``output`` and swap it in only when the build succeeded."""
    pelican_settings = _pelican_settings(settings_file, events)
    read_settings(pelican_settings)
    target = Path(output).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    pelican_settings["OUTPUT_PATH"] = str(staging)
    try:
        Pelican(pelican_settings).run()
    except InvalidDataset as invalid:
        shutil.rmtree(staging)
        report(invalid.problems, None, sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging)
        raise
    previous = None
    if target.exists():
        previous = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        target.rename(previous / target.name)
    staging.rename(target)
    if previous:
        shutil.rmtree(previous)
    print(f"Built the site into {output}.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="timeline", description=__doc__)
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file (default: pelicanconf.py)")
    commands = parser.add_subparsers(dest="command", required=True)
    validate_parser = commands.add_parser("validate", help="check every event record and report all problems")
    validate_parser.add_argument("--events", help="events folder (default: TIMELINE_EVENTS_PATH)")
    stats_parser = commands.add_parser("stats", help="print the number of events per year, type, stance and region")
    stats_parser.add_argument("--events", help="events folder (default: TIMELINE_EVENTS_PATH)")
    import_parser = commands.add_parser("import-timelinejs", help="turn a TimelineJS JSON or CSV file into draft records")
    import_parser.add_argument("file", help="TimelineJS JSON, or its Google Sheets template saved as CSV")
    import_parser.add_argument("--type", required=True, help="type key for every draft")
    import_parser.add_argument("--stance", required=True, help="stance key for every draft")
    import_parser.add_argument("--actors", required=True, help="actor keys, comma-separated")
    import_parser.add_argument("--events", help="events folder to write into (default: TIMELINE_EVENTS_PATH)")
    build_parser = commands.add_parser("build", help="validate, then build the site")
    build_parser.add_argument("--events", help="events folder (default: TIMELINE_EVENTS_PATH)")
    build_parser.add_argument("--output", default="output", help="output folder (default: output)")
    arguments = parser.parse_args(argv)
    init_logging(level=logging.WARNING)
    try:
        if arguments.command == "validate":
            return validate(arguments.settings, arguments.events)
        if arguments.command == "stats":
            return stats(arguments.settings, arguments.events)
        if arguments.command == "import-timelinejs":
            return import_timelinejs(arguments.settings, arguments)
        return build(arguments.settings, arguments.events, arguments.output)
    except SettingsError as error:
        print(f"{arguments.settings}: {error}", file=sys.stderr)
        return 2
