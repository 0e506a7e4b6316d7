"""Whatever a file holds, loading and validating it gives a valid event or clean problems, never a traceback."""

from __future__ import annotations

import datetime
import json
import re
import tempfile
from pathlib import Path

import yaml
from conftest import BUILD_DATE, FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timeline.markup import render_markdown
from timeline.model import Registry, event_from_record
from timeline.validate import load_event_file, validate_events

VALID_RECORD = yaml.safe_load((FIXTURES / "events" / "valid" / "2021" / "2021-03-22-complete-record.yaml").read_text())
VALID_RECORD = json.loads(json.dumps(VALID_RECORD, default=str))  # dates as text, as the loader reads them
for cross_reference in ("related", "distinct_from"):  # they name another file, absent when one file is checked
    del VALID_RECORD[cross_reference]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 10**6)
    | st.text(max_size=40)
    | st.sampled_from(
        [
            "2021-03-22",
            "2021-02-30",
            "NO",
            "on",
            "https://example.org/",
            "javascript:alert(1)",
            "<script>x</script>",
            "TODO",
            "european-union",
            "sanction",
            "critical",
            "1:20",
            "0o12",
            "\t",
            "\x00",
            "~",
        ]
    ),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def check(content: bytes, registry: Registry) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "2021" / "2021-03-22-fuzzed.yaml"
        path.parent.mkdir()
        path.write_bytes(content)
        document = load_event_file(path, max_bytes=65536)
        problems = validate_events([document], registry, BUILD_DATE)
        for problem in problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message
        if not any(problem.is_error for problem in problems):
            event = event_from_record(path.stem, document.data, registry, "events/2021/2021-03-22-fuzzed.yaml")
            assert event.date.year == 2021 and event.sources


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes(registry: Registry, content: bytes) -> None:
    check(content, registry)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab:- \n\t[]{}&*!#'\"|>%@`09.,?<=~\\\x00\ufeff\u202e")), max_size=300))
def test_random_yaml_like_text(registry: Registry, text: str) -> None:
    check(text.encode("utf-8"), registry)


@FUZZ
@given(
    st.sampled_from(sorted(VALID_RECORD)),
    values,
    st.sampled_from(["replace", "delete", "add"]),
    st.sampled_from(["yaml", "json"]),
)
def test_mutated_records(registry: Registry, field: str, value: object, mutation: str, style: str) -> None:
    record = json.loads(json.dumps(VALID_RECORD))
    if mutation == "delete":
        del record[field]
    elif mutation == "replace":
        record[field] = value
    else:
        record[f"{field}_extra"] = value
    text = yaml.safe_dump(record, allow_unicode=True) if style == "yaml" else json.dumps(record)
    check(text.encode("utf-8"), registry)


@FUZZ
@given(st.text(max_size=300))
def test_rendered_markdown_never_holds_active_content(text: str) -> None:
    html = render_markdown(text).lower()
    for marker in ("<script", "<iframe", "<img", "<svg", "<style", 'href="javascript:', 'href="data:'):
        assert marker not in html
    assert all(attribute.startswith(("href=", "rel=")) for attribute in re.findall(r"<\w+ ([a-z-]+=)", html))


def test_the_unmutated_record_is_valid(registry: Registry) -> None:
    check(yaml.safe_dump(VALID_RECORD).encode(), registry)
    assert datetime.date.fromisoformat(VALID_RECORD["added"])
