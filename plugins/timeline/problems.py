"""Problems found in records: collected as values, reported once, sorted by file and line."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file. ``hint`` says what to write instead."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        label = "" if self.is_error else "warning: "
        text = f"{self.path}:{self.line}:{self.column}: {label}{self.message}"
        if self.hint:
            text += f" {self.hint}"
        return text


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.message))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.is_error for problem in problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "Did you mean ...?" sentence for the closest valid choice, or an empty string."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f'Did you mean "{matches[0]}"?' if matches else ""
