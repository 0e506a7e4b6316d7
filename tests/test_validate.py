"""Each kind of mistake in a record gives the contributor the file, the line and what to write instead."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import BUILD_DATE, FIXTURES
from timeline import validate
from timeline.model import Registry
from timeline.validate import TitleComparisons, collection_problems, load_event_file, validate_events

INVALID = FIXTURES / "events" / "invalid" / "2021"
VALID = FIXTURES / "events" / "valid" / "2021"
PREFIX = "tests/fixtures/events/invalid/2021/"

EXPECTED = {
    "2021-03-22-unknown-field.yaml": [
        '9:1: unknown field "souces". Did you mean "sources"?',
        '1:1: missing required field "sources". Add sources: with at least one entry, each with url, title and publisher.',
    ],
    "2021-03-22-missing-summary.yaml": [
        '1:1: missing required field "summary". Add a line such as: summary: '
        "The Council of the European Union imposed travel bans and asset freezes on ...",
    ],
    "2021-03-22-unknown-type.yaml": ['3:1: unknown type "sanctions". Did you mean "sanction"?'],
    "2021-03-22-unknown-actor.yaml": ['5:10: unknown actor "european-unoin". Did you mean "european-union"?'],
    "2021-02-30-impossible-date.yaml": ['1:1: "2021-02-30" is not a real calendar date. Check the month and day.'],
    "2021-03-23-date-differs-from-file-name.yaml": [
        "1:1: date 2021-03-22 does not match the file name, which starts with 2021-03-23. "
        "Correct the date, or rename the file so that it starts with 2021-03-22-.",
    ],
    "2022-01-05-wrong-year-folder.yaml": [
        "1:1: the record is in folder 2021/ but its date is in 2022. Move it to the 2022/ folder."
    ],
    "2021-03-22-end-date-before-date.yaml": [
        "2:1: end_date 2021-03-01 is not after date 2021-03-22. Correct it, or remove end_date for a one-day event."
    ],
    "2021-03-22-future-added.yaml": ["14:1: added 2099-01-01 is in the future. Dates must be on or before 2026-11-29."],
    "2021-03-22-http-source.yaml": [
        "10:5: source 1: url http://www.observerbd.com/news.php?id=305012 is not https. "
        "Use the https:// address. Only if the publisher has no https version, add no_https: true."
    ],
    "2021-03-22-javascript-link.yaml": [
        '6:1: summary: link "javascript:alert(1)" is not a plain https:// address. '
        "Use the https:// address of the page, copied from the browser."
    ],
    "2021-03-22-html-in-summary.yaml": [
        "6:1: summary: HTML is not allowed (<script>). Write plain Markdown: *emphasis*, [text](https://...)."
    ],
    "2021-03-22-unquoted-no.yaml": [
        '14:10: YAML reads unquoted NO as false (a yes/no value). Write "NO" in quotes if you mean the text, or true / false.'
    ],
    "2021-03-22-duplicate-key.yaml": ['4:1: field "type" appears twice (first on line 3). Keep one of them.'],
    "2021-03-22-unquoted-date-in-title.yaml": [
        '2:8: YAML reads unquoted 2021-03-22 as a date. Write "2021-03-22" in quotes.'
    ],
    "2021-03-22-number-as-title.yaml": ['2:1: "title" must be text, not the number 1984. Put the value in quotes.'],
    "2021-03-22-tab.yaml": ["2:20: tab character. YAML needs spaces: replace the tab with spaces."],
    "2021-03-22-control-character.yaml": [
        "7:71: invisible control character U+0007. Delete it; it was probably pasted in by accident."
    ],
    "2021-03-22-empty.yaml": ["1:1: file is empty. Write the record's fields, one per line (name: value)."],
    "2021-03-22-list-at-top.yaml": [
        "1:1: expected fields (name: value) at the top of the file, found a list. "
        "Write one field per line, starting at the left margin, such as date: 2021-03-22."
    ],
    "2021-03-22-anchor-and-alias.yaml": [
        '2:8: anchor "&t" is not allowed. Write the value out in full: records must read the same without YAML\'s shortcuts.',
        '3:10: alias "*t" is not allowed. Write the value out in full: records must read the same without YAML\'s shortcuts.',
    ],
    "2021-03-22-two-documents.yaml": [
        "15:1: a second YAML document starts here. Keep one event per file: remove the line with --- "
        "and move the rest to a new file."
    ],
    "2021-03-22-python-tag.yaml": [
        '14:10: tag "!!python/object:os.system" is not allowed. '
        "Remove it: records hold only text, whole numbers, true/false and lists."
    ],
    "2021-03-22-related-missing.yaml": [
        '14:11: related event "2021-03-22-no-such-event" does not exist. '
        "Write the file name of an existing event, without .yaml."
    ],
    "2021-03-22-Bad_Name.yaml": [
        '1:1: file name "2021-03-22-Bad_Name.yaml" is not a valid event id. Name it after the date and a few '
        "lower-case words joined by hyphens, such as 2021-03-22-eu-sanctions-xinjiang-officials.yaml."
    ],
    "2021-03-22-negative-vote.yaml": [
        '14:26: YAML reads unquoted 1_000 as the number 1000. Write "1_000" in quotes if you mean the text, '
        "or a plain whole number such as 1000.",
        '14:8: "for" must be 0 or more.',
        '14:17: "against" must be a whole number, not text.',
    ],
    "2021-03-22-sexagesimal.yaml": [
        '14:13: YAML reads unquoted 1:20 as the number 80. Write "1:20" in quotes if you mean the text, '
        "or a plain whole number such as 1000.",
        '14:8: "for" must be a whole number, not text.',
    ],
    "2021-03-22-byte-order-mark.yaml": [
        '1:1: file starts with a byte-order mark (BOM). Save it as UTF-8 without BOM (often called "UTF-8" '
        'rather than "UTF-8 with BOM").'
    ],
    "2021-03-22-merge-key.yaml": ['14:1: merge key "<<" is not allowed. Write each field out in full.'],
    "2021-03-22-yaml12-octal.yaml": [
        '14:13: YAML 1.2 tools read unquoted 0o12 as the number 10. Write "0o12" in quotes if you mean the text, '
        "or a plain whole number.",
        '14:8: "for" must be a whole number, not text.',
    ],
    "2021-03-22-scalar-at-top.yaml": [
        "1:1: expected fields (name: value) at the top of the file, found a single value. "
        "Write one field per line, starting at the left margin, such as date: 2021-03-22."
    ],
    "2021-03-22-title-too-long.yaml": ['2:1: "title" is 215 characters long; the limit is 160. Shorten it.'],
    "2021-03-22-deep-nesting.yaml": [
        "14:23: the record is nested too deeply. Records need only a few levels.",
        '14:8: item 1 of "tags" must be text, not a list.',
    ],
    "2021-03-22-billion-laughs.yaml": [
        '1:4: anchor "&a" is not allowed. Write the value out in full: records must read the same without YAML\'s shortcuts.',
        '2:4: anchor "&b" is not allowed. Write the value out in full: records must read the same without YAML\'s shortcuts.',
        '2:8: alias "*a" is not allowed. Write the value out in full: records must read the same without YAML\'s shortcuts.',
        '3:4: anchor "&c" is not allowed. Write the value out in full: records must read the same without YAML\'s shortcuts.',
        '3:8: alias "*b" is not allowed. Write the value out in full: records must read the same without YAML\'s shortcuts.',
        '4:5: alias "*c" is not allowed. Write the value out in full: records must read the same without YAML\'s shortcuts.',
        '1:1: unknown field "a". Valid fields: date, end_date, title, summary, type, stance, actors, signatories, targets, outcome, vote, tags, related, distinct_from, previous_ids, sources, note, added, updated.',
        '2:1: unknown field "b". Valid fields: date, end_date, title, summary, type, stance, actors, signatories, targets, outcome, vote, tags, related, distinct_from, previous_ids, sources, note, added, updated.',
        '3:1: unknown field "c". Valid fields: date, end_date, title, summary, type, stance, actors, signatories, targets, outcome, vote, tags, related, distinct_from, previous_ids, sources, note, added, updated.',
        '4:1: unknown field "d". Valid fields: date, end_date, title, summary, type, stance, actors, signatories, targets, outcome, vote, tags, related, distinct_from, previous_ids, sources, note, added, updated.',
        '1:1: missing required field "date". Add a line such as: date: 2021-03-22',
        '1:1: missing required field "title". Add a line such as: title: EU sanctions four Chinese officials and one entity over Xinjiang',
        '1:1: missing required field "summary". Add a line such as: summary: The Council of the European Union imposed travel bans and asset freezes on ...',
        '1:1: missing required field "type". Add a line such as: type: sanction',
        '1:1: missing required field "stance". Add a line such as: stance: critical',
        '1:1: missing required field "actors". Add a line such as: actors: [council-of-the-eu]',
        '1:1: missing required field "sources". Add sources: with at least one entry, each with url, title and publisher.',
        '1:1: missing required field "added". Add a line such as: added: 2026-11-29',
    ],
    "2021-03-22-not-utf8.yaml": ["7:72: file is not UTF-8 text (byte 0xe9). Save it with the UTF-8 encoding."],
}


def problems_for(paths: list[Path], registry: Registry, errors_only: bool = False) -> list[str]:
    documents = [load_event_file(path, max_bytes=65536) for path in paths]
    problems = validate_events(documents, registry, BUILD_DATE)
    return [problem.format() for problem in problems if problem.is_error or not errors_only]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_mistake_is_reported_with_file_line_and_fix(name: str, registry: Registry) -> None:
    assert problems_for([INVALID / name], registry) == [f"{PREFIX}{name}:{line}" for line in EXPECTED[name]]


def test_every_invalid_fixture_has_an_expected_message() -> None:
    assert sorted(path.name for path in INVALID.glob("*.yaml")) == sorted(EXPECTED)


def test_valid_records_have_no_problems(registry: Registry) -> None:
    assert problems_for(sorted(VALID.glob("*.yaml")), registry) == []


def test_all_problems_in_all_files_are_reported_in_one_run(registry: Registry) -> None:
    problems = problems_for(sorted(INVALID.glob("*.yaml")), registry, errors_only=True)
    assert len(problems) == sum(len(lines) for lines in EXPECTED.values())


def test_the_same_id_in_two_year_folders_is_refused(registry: Registry, tmp_path: Path) -> None:
    for year in ("2021", "2022"):
        (tmp_path / year).mkdir()
        shutil.copy(VALID / "2021-03-22-minimal-record.yaml", tmp_path / year)
    documents = [load_event_file(path, max_bytes=65536) for path in sorted(tmp_path.glob("*/*.yaml"))]
    messages = [problem.message for problem in validate_events(documents, registry, BUILD_DATE)]
    assert (
        messages.count(
            f'event id "2021-03-22-minimal-record" is already used by {tmp_path}/2021/2021-03-22-minimal-record.yaml.'
        )
        == 1
    )


def test_a_file_over_the_size_limit_is_refused_before_parsing(registry: Registry) -> None:
    path = VALID / "2021-03-22-minimal-record.yaml"
    document = load_event_file(path, max_bytes=100)
    assert document.data is None
    assert [problem.message for problem in document.problems] == [
        f"file is {path.stat().st_size} bytes, over the limit of 100."
    ]


DUPLICATES = FIXTURES / "events" / "duplicates" / "2021"


def test_a_likely_duplicate_is_a_warning_with_the_fix(registry: Registry) -> None:
    assert problems_for(sorted(DUPLICATES.glob("*.yaml")), registry) == [
        "tests/fixtures/events/duplicates/2021/2021-03-22-eu-sanctions-four-officials.yaml:2:1: warning: this event "
        "may duplicate 2021-03-22-eu-imposes-sanctions-on-four-officials (same date and actor, similar title). "
        "If they are separate acts, add: distinct_from: [2021-03-22-eu-imposes-sanctions-on-four-officials]"
    ]


def test_remembered_title_comparisons_give_the_same_warnings_without_comparing_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    documents = [load_event_file(path, max_bytes=65536) for path in sorted(DUPLICATES.glob("*.yaml"))]
    first = TitleComparisons()
    warnings = [problem.format() for problem in collection_problems(documents, first)]
    assert len(warnings) == 1 and first.asked  # the pairs on one date that share an actor

    def no_comparison(title: str, other: str) -> bool:
        raise AssertionError(f"compared again: {title} / {other}")

    monkeypatch.setattr(validate, "_similar", no_comparison)
    again = TitleComparisons(first.asked)
    assert [problem.format() for problem in collection_problems(documents, again)] == warnings
    assert again.asked == first.asked


def test_distinct_events_on_the_same_day_raise_no_warning(registry: Registry) -> None:
    paths = [
        DUPLICATES / "2021-03-22-eu-imposes-sanctions-on-four-officials.yaml",
        DUPLICATES / "2021-03-22-china-answers-with-counter-sanctions.yaml",
    ]
    assert problems_for(paths, registry) == []


def test_review_asks_for_a_primary_source_and_archived_copies(registry: Registry) -> None:
    from timeline.validate import review_warnings

    document = load_event_file(VALID / "2021-03-22-minimal-record.yaml", max_bytes=65536)
    assert [problem.format() for problem in review_warnings(document)] == [
        "tests/fixtures/events/valid/2021/2021-03-22-minimal-record.yaml:9:1: warning: no source is marked primary. "
        "Add the acting body's own publication (press release, gazette, UN document) with primary: true, if one exists.",
        "tests/fixtures/events/valid/2021/2021-03-22-minimal-record.yaml:10:5: warning: source 1 has no archive_url. "
        "Save the page at https://web.archive.org/save/https://www.observerbd.com/news.php?id=305012 and add its "
        "address as archive_url.",
    ]


def test_page_breaks_and_separators_are_reported_on_their_own_lines(tmp_path: Path) -> None:
    from timeline.loader import load_yaml_file

    path = tmp_path / "record.yaml"
    path.write_bytes(b"kind: record\ntitle: page\x0cbreak\nnote: group\x1dseparator\noutcome: a\ttab\n")
    document = load_yaml_file(path, "record.yaml", max_bytes=65536)
    assert [(problem.line, problem.column, problem.message) for problem in document.problems] == [
        (2, 12, "invisible control character U+000C."),
        (3, 12, "invisible control character U+001D."),
        (4, 11, "tab character."),
    ]
