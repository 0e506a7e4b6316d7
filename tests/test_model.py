"""Dates are shown only as precisely as the record knows them."""

from __future__ import annotations

import datetime

import pytest
from timeline.model import DatePrecision, PartialDate, Vote


@pytest.mark.parametrize(
    ("text", "display", "precision"),
    [
        ("2021-03-22", "22 March 2021", DatePrecision.DAY),
        ("2021-03", "March 2021", DatePrecision.MONTH),
        ("2021", "2021", DatePrecision.YEAR),
    ],
)
def test_dates_display_at_their_precision(text: str, display: str, precision: DatePrecision) -> None:
    date = PartialDate.parse(text)
    assert (date.display, date.precision, date.iso) == (display, precision, text)


@pytest.mark.parametrize("text", ["2021-02-30", "2021-13", "21-03-22", "2021-3-22", "2021/03/22", "", "2021-03-22-01"])
def test_impossible_or_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_a_month_spans_from_its_first_to_its_last_day() -> None:
    date = PartialDate.parse("2024-02")
    assert (date.earliest, date.latest) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))


def test_vote_summary_names_only_the_counts_given() -> None:
    assert Vote(votes_for=318, against=303).summary == "318 for, 303 against"
