"""Read YAML records strictly, remembering the line and column of every field.

PyYAML's usual loaders turn ``NO`` into ``False``, ``2021-03-22`` into a date and
``1:20`` into 80, expand aliases, and keep the last of two duplicate keys. Each of
those silently changes a record, so this module builds values itself from the parser's
event stream and reports every such trap as a Problem instead.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

try:  # libyaml is much faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _ParserLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _ParserLoader

PathKey = tuple[str | int, ...]

MAX_DEPTH = 16
SHARED_TEXT_LENGTH = 24  # shorter scalars are interned: most are keys and dates that many records repeat
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE_FALSE = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_PLAIN_INTEGER = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_YAML_1_2_OCTAL = re.compile(r"[-+]?0o[0-7]+")  # a number to YAML 1.2 tools such as editors, text to PyYAML
_BYTE_ORDER_MARK = b"\xef\xbb\xbf"
# C0/C1 controls other than tab and newlines, plus the bidirectional overrides that can
# make text read differently from what it holds ("Trojan source").
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_RESOLVER = yaml.resolver.Resolver()
_STRING_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    column: int


@dataclass
class YamlFile:
    """A file's top-level mapping (or None if unreadable) with the position of each value.

    ``positions`` maps a path such as ``("sources", 0, "url")`` to where its key was
    written (for list items, where the item starts). ``()`` is the start of the file.
    """

    path: Path
    display_path: str
    data: dict[str, Any] | None
    positions: dict[PathKey, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def position(self, path: PathKey) -> Position:
        return nearest_position(self.positions, path)


def nearest_position(positions: Mapping[PathKey, Position], path: PathKey) -> Position:
    """The position of ``path``, or of its nearest written ancestor."""
    while path not in positions and path:
        path = path[:-1]
    return positions.get(path, Position(1, 1))


def load_yaml_file(
    path: Path,
    display_path: str,
    *,
    max_bytes: int,
    text_keys: frozenset[str] = frozenset(),
    raw: bytes | None = None,
) -> YamlFile:
    """Load one YAML file whose top level must be a mapping.

    Values under a key in ``text_keys`` are kept exactly as written (so dates stay text:
    YAML would make 2021-03-22 a date but 2021-03 a string, and 2021 a number).
    ``raw`` is the file's bytes when the caller has already read them.
    """
    result = YamlFile(path=path, display_path=display_path, data=None, positions={(): Position(1, 1)})
    if raw is None:
        raw = path.read_bytes()
    text = _decode(raw, result, max_bytes)
    if text is None:
        return result
    text = _check_characters(text, result)
    builder = _TreeBuilder(result, text_keys)
    try:
        root = builder.build(yaml.parse(text, Loader=_ParserLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = (error.problem or error.context or "unreadable YAML").rstrip(".")
        result.problems.append(
            Problem(
                display_path,
                line,
                column,
                f"YAML syntax error: {reason}.",
                "Check the indentation, and put text that contains ': ' or ' #' in quotes.",
            )
        )
        return result
    except yaml.YAMLError as error:
        result.problems.append(Problem(display_path, 1, 1, f"YAML syntax error: {error}.", ""))
        return result
    if not builder.has_document or root is None:
        result.problems.append(
            Problem(display_path, 1, 1, "file is empty.", "Write the record's fields, one per line (name: value).")
        )
    elif not isinstance(root, dict):
        found = "a list" if isinstance(root, list) else "a single value"
        result.problems.append(
            Problem(
                display_path,
                1,
                1,
                f"expected fields (name: value) at the top of the file, found {found}.",
                "Write one field per line, starting at the left margin, such as date: 2021-03-22.",
            )
        )
    else:
        result.data = root
    return result


def _decode(raw: bytes, result: YamlFile, max_bytes: int) -> str | None:
    name = result.display_path
    if len(raw) > max_bytes:
        result.problems.append(
            Problem(
                name,
                1,
                1,
                f"file is {len(raw):,} bytes, over the limit of {max_bytes:,}.",
                "A record describes one event: shorten the summary or note.",
            )
        )
        return None
    if raw.startswith(_BYTE_ORDER_MARK):
        result.problems.append(
            Problem(
                name,
                1,
                1,
                "file starts with a byte-order mark (BOM).",
                'Save it as UTF-8 without BOM (often called "UTF-8" rather than "UTF-8 with BOM").',
            )
        )
        raw = raw[len(_BYTE_ORDER_MARK) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        result.problems.append(
            Problem(
                name,
                line,
                column,
                f"file is not UTF-8 text (byte 0x{raw[error.start]:02x}).",
                "Save it with the UTF-8 encoding.",
            )
        )
        return None
    if not text.strip():
        result.problems.append(
            Problem(name, 1, 1, "file is empty.", "Write the record's fields, one per line (name: value).")
        )
        return None
    return text


def _check_characters(text: str, result: YamlFile) -> str:
    """Report tabs and control characters, and return the text with each replaced by a space.

    Parsing the cleaned text (columns unchanged) reports the file's other problems in the
    same run, instead of a syntax error that only repeats the first.
    """
    for line_number, line in enumerate(text.split("\n"), start=1):  # not splitlines(): it splits on \x0c and others
        tab = line.find("\t")
        if tab >= 0:
            result.problems.append(
                Problem(
                    result.display_path,
                    line_number,
                    tab + 1,
                    "tab character.",
                    "YAML needs spaces: replace the tab with spaces.",
                )
            )
        control = _CONTROL_CHARACTERS.search(line)
        if control:
            result.problems.append(
                Problem(
                    result.display_path,
                    line_number,
                    control.start() + 1,
                    f"invisible control character U+{ord(control.group()):04X}.",
                    "Delete it; it was probably pasted in by accident.",
                )
            )
    return _CONTROL_CHARACTERS.sub(" ", text.replace("\t", " "))


class _TreeBuilder:
    """Builds plain values from parser events, recording positions and traps."""

    def __init__(self, result: YamlFile, text_keys: frozenset[str]) -> None:
        self.result = result
        self.text_keys = text_keys
        self.has_document = False
        self.reported_aliases: set[str] = set()

    def problem(self, mark: Any, message: str, hint: str) -> None:
        self.result.problems.append(Problem(self.result.display_path, mark.line + 1, mark.column + 1, message, hint))

    def build(self, events: Iterator[yaml.Event]) -> Any:
        root = None
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                if self.has_document:
                    self.problem(
                        event.start_mark,
                        "a second YAML document starts here.",
                        "Keep one event per file: remove the line with --- and move the rest to a new file.",
                    )
                    for _ in events:  # read on, so that syntax errors further down still surface
                        pass
                    break
                self.has_document = True
            elif isinstance(event, (yaml.NodeEvent, yaml.CollectionStartEvent)):
                root = self.node(event, events, (), None, depth=0)
        return root

    def node(self, event: yaml.Event, events: Iterator[yaml.Event], path: PathKey, key: str | None, depth: int) -> Any:
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.reported_aliases:  # once per name: "billion laughs" files repeat them
                self.reported_aliases.add(event.anchor)
                self.problem(
                    event.start_mark,
                    f'alias "*{event.anchor}" is not allowed.',
                    "Write the value out in full: records must read the same without YAML's shortcuts.",
                )
            return f"*{event.anchor}"  # a stand-in, so that no second error follows from the alias
        if event.anchor is not None:
            self.problem(
                event.start_mark,
                f'anchor "&{event.anchor}" is not allowed.',
                "Write the value out in full: records must read the same without YAML's shortcuts.",
            )
        if event.tag not in (None, "!"):
            self.problem(
                event.start_mark,
                f'tag "{event.tag.replace("tag:yaml.org,2002:", "!!")}" is not allowed.',
                "Remove it: records hold only text, whole numbers, true/false and lists.",
            )
        if depth > MAX_DEPTH:
            self.problem(event.start_mark, "the record is nested too deeply.", "Records need only a few levels.")
            self.skip(event, events)
            return None
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, key)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            for item_event in events:
                if isinstance(item_event, yaml.SequenceEndEvent):
                    break
                item_path = (*path, len(items))
                self.result.positions[item_path] = _position(item_event.start_mark)
                items.append(self.node(item_event, events, item_path, key, depth + 1))
            return items
        return self.mapping(event, events, path, depth)

    def mapping(self, event: yaml.Event, events: Iterator[yaml.Event], path: PathKey, depth: int) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key_event in events:
            if isinstance(key_event, yaml.MappingEndEvent):
                break
            if not isinstance(key_event, yaml.ScalarEvent):
                self.problem(key_event.start_mark, "a field name must be plain text.", "Write name: value.")
                self.skip(key_event, events)
                self.skip(next(events), events)
                continue
            name = sys.intern(key_event.value)  # ten thousand records share one copy of each field name
            value_event = next(events)
            if not key_event.style and name == "<<":
                self.problem(key_event.start_mark, 'merge key "<<" is not allowed.', "Write each field out in full.")
                self.skip(value_event, events)
                continue
            if name in values:
                first = self.result.positions[(*path, name)]
                self.problem(
                    key_event.start_mark,
                    f'field "{name}" appears twice (first on line {first.line}).',
                    "Keep one of them.",
                )
                self.skip(value_event, events)
                continue
            self.result.positions[(*path, name)] = _position(key_event.start_mark)
            values[name] = self.node(value_event, events, (*path, name), name, depth + 1)
        return values

    def scalar(self, event: yaml.ScalarEvent, key: str | None) -> Any:
        value = event.value
        if len(value) <= SHARED_TEXT_LENGTH:
            value = sys.intern(value)  # actor and type keys, dates, publishers: one copy for all the records
        if event.style or event.tag not in (None, "!"):  # quoted or block text, or tagged
            return value
        if key in self.text_keys:
            return None if value in _NULLS else value
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            if value in _TRUE_FALSE:
                return _TRUE_FALSE[value]
            meaning = "true" if yaml.safe_load(value) else "false"
            self.problem(
                event.start_mark,
                f"YAML reads unquoted {value} as {meaning} (a yes/no value).",
                f'Write "{value}" in quotes if you mean the text, or true / false.',
            )
            return value
        if tag == "tag:yaml.org,2002:int":
            if _PLAIN_INTEGER.fullmatch(value):
                return int(value)
            self.problem(
                event.start_mark,
                f"YAML reads unquoted {value} as the number {yaml.safe_load(value)}.",
                f'Write "{value}" in quotes if you mean the text, or a plain whole number such as 1000.',
            )
            return value
        if tag == "tag:yaml.org,2002:timestamp":
            self.problem(event.start_mark, f"YAML reads unquoted {value} as a date.", f'Write "{value}" in quotes.')
            return value
        if _YAML_1_2_OCTAL.fullmatch(value):
            self.problem(
                event.start_mark,
                f"YAML 1.2 tools read unquoted {value} as the number {int(value.replace('0o', ''), 8)}.",
                f'Write "{value}" in quotes if you mean the text, or a plain whole number.',
            )
        return value

    def skip(self, event: yaml.Event, events: Iterator[yaml.Event]) -> None:
        """Consume the rest of a node whose start ``event`` has been read."""
        if not isinstance(event, yaml.CollectionStartEvent):
            return
        depth = 1
        for inner in events:
            if isinstance(inner, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(inner, yaml.CollectionEndEvent):
                depth -= 1
                if depth == 0:
                    return


def _position(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)
