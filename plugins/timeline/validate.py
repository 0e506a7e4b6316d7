"""Check event records against the schema, the registries and each other: every problem, in one pass."""

from __future__ import annotations

import datetime
import difflib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from .loader import PathKey, Position, YamlFile, load_yaml_file
from .markup import is_safe_url, markup_problems
from .model import PartialDate, Registry
from .problems import Problem, Severity, did_you_mean
from .registry import display_path
from .schema import schema_problems

PLACEHOLDER = "TODO"  # what `make new` writes where the contributor still has to fill in a value
CROSS_RECORD_FIELDS = frozenset({"title", "related", "distinct_from", "previous_ids"})  # positions they report
CROSS_RECORD_DATA = CROSS_RECORD_FIELDS | {"date", "actors"}  # and the fields they read
DATE_FIELDS = frozenset({"date", "end_date", "added", "updated"})
EVENT_ID = re.compile(r"[0-9]{4}(-[0-9]{2}){0,2}-[a-z0-9]+(-[a-z0-9]+)*")
YEAR_FOLDER = re.compile(r"[0-9]{4}")


def find_event_files(events_path: Path, registry_path: Path) -> tuple[list[str], list[Problem]]:
    """Every record file under ``events_path``, and a problem for each file in the wrong place.

    The paths are text, as the system gives them: making ten thousand Path objects took a twentieth of a rebuild,
    and only a record read again needs one."""
    paths, problems = [], []
    root = str(events_path)
    registry = _comparable(registry_path)
    folders = [(root, 0)]
    while folders:
        folder, depth = folders.pop()
        in_year_folder = depth == 1 and YEAR_FOLDER.fullmatch(os.path.basename(folder)) is not None
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if _comparable(entry.path) != registry:
                        folders.append((entry.path, depth + 1))
                    continue
                name = entry.name
                if name.startswith(".") or not entry.is_file():
                    continue
                if name.endswith(".yml"):
                    path = Path(entry.path)
                    problems.append(
                        Problem(
                            display_path(path), 1, 1, "record files end in .yaml.", f"Rename it to {path.stem}.yaml."
                        )
                    )
                elif not name.endswith(".yaml"):
                    continue
                elif not in_year_folder:
                    year = name[:4] if name[:4].isdigit() else "<year>"
                    problems.append(
                        Problem(
                            display_path(entry.path),
                            1,
                            1,
                            "record is not in a year folder.",
                            f"Move it to {display_path(events_path / year / name)}.",
                        )
                    )
                else:
                    paths.append(entry.path)
    return sorted(paths), problems


def _comparable(path: str | Path) -> str:
    """A folder's path as the system compares it (without case on Windows)."""
    return os.path.normcase(os.path.normpath(path))


def load_event_file(path: Path, *, max_bytes: int, raw: bytes | None = None) -> YamlFile:
    return load_yaml_file(path, display_path(path), max_bytes=max_bytes, text_keys=DATE_FIELDS, raw=raw)


def validate_events(documents: Iterable[YamlFile], registry: Registry, build_date: datetime.date) -> list[Problem]:
    """Problems in each record on its own, then across records (unique ids, related events exist).

    ``documents`` may be a generator: each record is checked as it is read, before the next is loaded.
    """
    check = RecordCheck(registry, build_date)
    checked: list[YamlFile] = []
    problems: list[Problem] = []
    for document in documents:
        checked.append(document)
        problems.extend(check(document))
    problems.extend(collection_problems(checked))
    return problems


class RecordCheck:
    """The checks of one record on its own: syntax, file name, schema, dates, links and registry keys.

    Their result depends only on the file, the registries and the build date, which is what lets the build cache
    keep it; the checks across records (``collection_problems``) run on every build.
    """

    def __init__(self, registry: Registry, build_date: datetime.date) -> None:
        self.registry = registry
        self.build_date = build_date

    def __call__(self, document: YamlFile) -> list[Problem]:
        problems = [*document.problems, *_file_name_problems(document)]
        if document.data is None:
            return problems
        problems.extend(schema_problems(document, "event.schema.json", placeholder=PLACEHOLDER))
        problems.extend(_record_problems(document, self.registry, self.build_date))
        return problems


class RecordDocument(Protocol):
    """A record as the checks across records read it: a YamlFile just loaded and checked, or what the build cache
    kept of an unchanged one (``recordcache.StoredRecord``, which has no Path: ten thousand of them took a
    fiftieth of a rebuild)."""

    @property
    def display_path(self) -> str: ...

    @property
    def data(self) -> dict[str, Any] | None: ...

    def position(self, path: PathKey) -> Position: ...


def record_id(document: RecordDocument) -> str:
    """The event id that the file name gives: ``2021-03-22-eu-sanctions`` for ``2021/2021-03-22-eu-sanctions.yaml``."""
    return os.path.basename(document.display_path).removesuffix(".yaml")


def keep_for_collection_checks(document: YamlFile) -> None:
    """Drop what the checks across records do not read, once the record's own checks and its event are done.

    Every record stays in memory until those checks have seen them all, so on a large dataset the parts they do not
    read (sources, summaries, the positions of other fields) are most of the memory that loading takes."""
    document.positions = {
        path: position for path, position in document.positions.items() if not path or path[0] in CROSS_RECORD_FIELDS
    }
    if isinstance(document.data, dict):
        document.data = {name: value for name, value in document.data.items() if name in CROSS_RECORD_DATA}


def collection_problems(documents: Sequence[RecordDocument], titles: TitleComparisons | None = None) -> list[Problem]:
    """Problems across records: ids used twice, old ids reused, links to missing events, likely duplicates.

    ``titles`` may hold the comparisons of titles a previous run made (the build cache keeps them)."""
    return [*_collection_problems(documents), *_duplicate_warnings(documents, titles or TitleComparisons())]


class TitleComparisons:
    """Whether two titles are similar, as a previous run found (``known``), and the pairs this run asked about
    (``asked``, what the build cache keeps for the next). Comparing titles is most of the duplicate check, and a
    rebuild asks about the same pairs again: the records on one date that share an actor."""

    def __init__(self, known: dict[tuple[str, str], bool] | None = None) -> None:
        self.known = known or {}
        self.asked: dict[tuple[str, str], bool] = {}

    def similar(self, title: str, other: str) -> bool:
        pair = (title, other)
        same = self.known.get(pair)
        if same is None:
            same = _similar(title, other)
        self.asked[pair] = same
        return same


def _at(document: RecordDocument, path: tuple, message: str, hint: str = "") -> Problem:
    position = document.position(path)
    return Problem(document.display_path, position.line, position.column, message, hint)


def _file_name_problems(document: YamlFile) -> list[Problem]:
    if EVENT_ID.fullmatch(record_id(document)):
        return []
    return [
        _at(
            document,
            (),
            f'file name "{document.path.name}" is not a valid event id.',
            "Name it after the date and a few lower-case words joined by hyphens, "
            "such as 2021-03-22-eu-sanctions-xinjiang-officials.yaml.",
        )
    ]


def _parse_date(document: YamlFile, path: tuple, value: object, problems: list[Problem]) -> PartialDate | None:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value):
        return None  # the schema has reported it
    try:
        return PartialDate.parse(value)
    except ValueError:
        problems.append(_at(document, path, f'"{value}" is not a real calendar date.', "Check the month and day."))
        return None


def _record_problems(document: YamlFile, registry: Registry, build_date: datetime.date) -> list[Problem]:
    data = document.data or {}
    problems: list[Problem] = []
    event_id = record_id(document)

    dates = {}
    for name in ("date", "end_date", "added", "updated"):
        if name in data:
            dates[name] = _parse_date(document, (name,), data[name], problems)
    for name, value in dates.items():
        if value and value.earliest > build_date:
            problems.append(
                _at(
                    document,
                    (name,),
                    f"{name} {value.iso} is in the future.",
                    f"Dates must be on or before {build_date}.",
                )
            )
    date = dates.get("date")
    if date:
        if not event_id.startswith(f"{date.iso}-"):
            problems.append(
                _at(
                    document,
                    ("date",),
                    f"date {date.iso} does not match the file name, which starts with {event_id[:10].rstrip('-')}.",
                    f"Correct the date, or rename the file so that it starts with {date.iso}-.",
                )
            )
        if document.path.parent.name != f"{date.year:04d}":
            problems.append(
                _at(
                    document,
                    ("date",),
                    f"the record is in folder {document.path.parent.name}/ but its date is in {date.year}.",
                    f"Move it to the {date.year}/ folder.",
                )
            )
    end_date = dates.get("end_date")
    if date and end_date and not (end_date.latest > date.latest and end_date.earliest >= date.earliest):
        problems.append(
            _at(
                document,
                ("end_date",),
                f"end_date {end_date.iso} is not after date {date.iso}.",
                "Correct it, or remove end_date for a one-day event.",
            )
        )
    added, updated = dates.get("added"), dates.get("updated")
    if added and updated and updated.earliest < added.earliest:
        problems.append(_at(document, ("updated",), f"updated {updated.iso} is before added {added.iso}.", ""))

    problems.extend(_placeholder_problems(document, data))
    problems.extend(_registry_key_problems(document, "type", registry.types, "types.yaml"))
    problems.extend(_registry_key_problems(document, "stance", registry.stances, "stances.yaml"))
    actors = data.get("actors")
    if isinstance(actors, list):
        for index, key in enumerate(actors):
            if isinstance(key, str) and key not in registry.actors:
                hint = did_you_mean(key, registry.actors) or "Add the actor to registry/actors.yaml first."
                problems.append(_at(document, ("actors", index), f'unknown actor "{key}".', hint))

    for name in ("summary", "note"):
        if isinstance(data.get(name), str):
            for message, hint in markup_problems(data[name]):
                problems.append(_at(document, (name,), f"{name}: {message}", hint))

    related = data.get("related")
    if isinstance(related, list) and event_id in related:
        problems.append(
            _at(document, ("related", related.index(event_id)), "an event cannot be related to itself.", "Remove it.")
        )

    sources = data.get("sources")
    if isinstance(sources, list):
        for index, source in enumerate(sources):
            if isinstance(source, dict):
                problems.extend(_source_problems(document, index, source, build_date))
    return problems


def _placeholder_problems(document: YamlFile, value: object, path: tuple = ()) -> list[Problem]:
    """Fields that `make new` left as TODO."""
    if isinstance(value, dict):
        return [
            problem for key, item in value.items() for problem in _placeholder_problems(document, item, (*path, key))
        ]
    if isinstance(value, list):
        return [
            problem
            for index, item in enumerate(value)
            for problem in _placeholder_problems(document, item, (*path, index))
        ]
    if value == PLACEHOLDER:
        return [
            _at(
                document,
                path,
                f'"{path[-1]}" still says {PLACEHOLDER}.',
                "Replace it: the comment above it says what to write.",
            )
        ]
    return []


def _registry_key_problems(document: YamlFile, name: str, choices: dict, registry_file: str) -> list[Problem]:
    value = (document.data or {}).get(name)
    if not isinstance(value, str) or value in choices or value == PLACEHOLDER:
        return []
    hint = did_you_mean(value, choices) or f"Use a key of registry/{registry_file}: {', '.join(choices)}."
    return [_at(document, (name,), f'unknown {name} "{value}".', hint)]


def url_problem(url: str, *, allow_http: bool) -> str:
    """Why ``url`` is not an acceptable source address, or an empty string."""
    checked = "https://" + url[len("http://") :] if allow_http and url.startswith("http://") else url
    if not is_safe_url(checked):
        return "is not https." if url.startswith("http://") else "is not an absolute https:// address."
    parts = urlsplit(checked)
    if not parts.hostname or "." not in parts.hostname or parts.username or parts.password:
        return "does not name a web site."
    return ""


def _source_problems(document: YamlFile, index: int, source: dict, build_date: datetime.date) -> list[Problem]:
    problems: list[Problem] = []
    where = f"source {index + 1}"
    url = source.get("url")
    no_https = source.get("no_https") is True
    if isinstance(url, str) and url != PLACEHOLDER:
        reason = url_problem(url, allow_http=no_https)
        if reason == "is not https.":
            problems.append(
                _at(
                    document,
                    ("sources", index, "url"),
                    f"{where}: url {url} is not https.",
                    "Use the https:// address. Only if the publisher has no https version, add no_https: true.",
                )
            )
        elif reason:
            problems.append(
                _at(
                    document,
                    ("sources", index, "url"),
                    f"{where}: url {url[:80]} {reason}",
                    "Copy the full address from the browser, starting with https://.",
                )
            )
        elif no_https and url.startswith("https://"):
            problems.append(
                _at(
                    document,
                    ("sources", index, "no_https"),
                    f"{where}: no_https is set but the url is already https.",
                    "Remove the no_https line.",
                )
            )
    archive = source.get("archive_url")
    if isinstance(archive, str) and url_problem(archive, allow_http=False):
        problems.append(
            _at(
                document,
                ("sources", index, "archive_url"),
                f"{where}: archive_url {archive[:80]} is not an absolute https:// address.",
                "Use the https:// address of the archived copy.",
            )
        )
    published = _parse_date(document, ("sources", index, "date"), source.get("date"), problems)
    if published and published.earliest > build_date:
        problems.append(
            _at(document, ("sources", index, "date"), f"{where}: date {published.iso} is in the future.", "")
        )
    return problems


def _collection_problems(documents: Sequence[RecordDocument]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, RecordDocument] = {}
    for document in documents:
        event_id = record_id(document)
        if event_id in seen:
            problems.append(
                _at(
                    document,
                    (),
                    f'event id "{event_id}" is already used by {seen[event_id].display_path}.',
                    "Give one of them a different name.",
                )
            )
        else:
            seen[event_id] = document
    owners: dict[str, RecordDocument] = {}
    for document in documents:
        previous = (document.data or {}).get("previous_ids")
        if not isinstance(previous, list):
            continue
        for index, old in enumerate(previous):
            if not isinstance(old, str):
                continue
            if old in seen:
                problems.append(
                    _at(
                        document,
                        ("previous_ids", index),
                        f'previous id "{old}" is the id of an existing event.',
                        "An old address must not be reused: remove it here, or rename the other record.",
                    )
                )
            elif old in owners:
                problems.append(
                    _at(
                        document,
                        ("previous_ids", index),
                        f'previous id "{old}" is also listed by {owners[old].display_path}.',
                        "An old address can lead to one record only.",
                    )
                )
            else:
                owners[old] = document
    for document in documents:
        for field, label in (("related", "related event"), ("distinct_from", "event")):
            others = (document.data or {}).get(field)
            if not isinstance(others, list):
                continue
            for index, other in enumerate(others):
                if isinstance(other, str) and other not in seen and EVENT_ID.fullmatch(other):
                    hint = did_you_mean(other, seen) or "Write the file name of an existing event, without .yaml."
                    problems.append(_at(document, (field, index), f'{label} "{other}" does not exist.', hint))
    return problems


SIMILAR_TITLE = 0.6


def _warning(document: RecordDocument, path: tuple, message: str, hint: str = "") -> Problem:
    position = document.position(path)
    return Problem(document.display_path, position.line, position.column, message, hint, Severity.WARNING)


def _similar(title: str, other: str) -> bool:
    matcher = difflib.SequenceMatcher(None, title.lower(), other.lower())
    # The quick upper bounds rule out most pairs before the costly exact ratio.
    return (
        matcher.real_quick_ratio() >= SIMILAR_TITLE
        and matcher.quick_ratio() >= SIMILAR_TITLE
        and matcher.ratio() >= SIMILAR_TITLE
    )


def _duplicate_warnings(documents: Sequence[RecordDocument], titles: TitleComparisons) -> list[Problem]:
    """Likely duplicates: the same date and a shared actor with a similar title, unless marked distinct."""
    by_date: dict[str, list] = {}
    for document in documents:
        data = document.data
        if isinstance(data, dict) and isinstance(date := data.get("date"), str):
            by_date.setdefault(date, []).append((document, data))
    warnings = []
    for group in by_date.values():
        if len(group) < 2:  # most dates have one event: nothing to compare
            continue
        group = [
            (document, data)
            for document, data in group
            if isinstance(data.get("title"), str) and isinstance(data.get("actors"), list)
        ]
        for index, (document, data) in enumerate(group):
            for other_document, other in group[:index]:
                other_id = record_id(other_document)
                marked = other_id in _id_list(data, "distinct_from") or record_id(document) in _id_list(
                    other, "distinct_from"
                )
                shares_actor = set(map(str, data["actors"])) & set(map(str, other["actors"]))
                if shares_actor and not marked and titles.similar(data["title"], other["title"]):
                    warnings.append(
                        _warning(
                            document,
                            ("title",),
                            f"this event may duplicate {other_id} (same date and actor, similar title).",
                            f"If they are separate acts, add: distinct_from: [{other_id}]",
                        )
                    )
    return warnings


def _id_list(record: dict, field: str) -> list:
    value = record.get(field)
    return value if isinstance(value, list) else []


def review_warnings(document: YamlFile) -> list[Problem]:
    """What a reviewer asks of a new or changed record: a primary source, and archived copies of sources."""
    sources = (document.data or {}).get("sources")
    if not isinstance(sources, list):
        return []
    warnings = []
    if not any(isinstance(source, dict) and source.get("primary") is True for source in sources):
        warnings.append(
            _warning(
                document,
                ("sources",),
                "no source is marked primary.",
                "Add the acting body's own publication (press release, gazette, UN document) "
                "with primary: true, if one exists.",
            )
        )
    for index, source in enumerate(sources):
        if isinstance(source, dict) and isinstance(source.get("url"), str) and not source.get("archive_url"):
            warnings.append(
                _warning(
                    document,
                    ("sources", index, "url"),
                    f"source {index + 1} has no archive_url.",
                    f"Save the page at https://web.archive.org/save/{source['url']} "
                    "and add its address as archive_url.",
                )
            )
    return warnings
