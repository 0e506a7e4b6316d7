"""The documents contributors read stay true to the code: every field is described, the example validates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BUILD_DATE, PROJECT
from timeline.registry import load_registry
from timeline.schema import load_schema
from timeline.validate import load_event_file, validate_events

CONTRIBUTING = (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")
README = (PROJECT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", sorted(load_schema("event.schema.json")["properties"]))
def test_every_record_field_is_described_in_contributing(field: str) -> None:
    assert re.search(rf"^\| `{field}` \|", CONTRIBUTING, re.MULTILINE)


def test_readme_opens_with_the_two_setup_commands() -> None:
    opening = "\n".join(README.splitlines()[:12])
    assert "make serve" in opening and "make test" in opening


def test_the_example_in_contributing_validates(tmp_path: Path) -> None:
    example = re.search(r"```yaml\n(.*?)```", CONTRIBUTING, re.DOTALL).group(1)
    path = tmp_path / "2021" / "2021-03-22-canada-sanctions-example.yaml"
    path.parent.mkdir()
    path.write_text(example, encoding="utf-8")
    registry, problems = load_registry(PROJECT / "events" / "registry", max_bytes=65536)
    assert registry is not None, problems
    document = load_event_file(path, max_bytes=65536)
    assert [problem.format() for problem in validate_events([document], registry, BUILD_DATE)] == []


def test_readme_quotes_the_current_coverage() -> None:
    from timeline.dataset import load_dataset
    from timeline.settings import read_settings
    from timeline.stats import coverage, coverage_table

    dataset, _ = load_dataset(read_settings({"TIMELINE_EVENTS_PATH": str(PROJECT / "events")}))
    quoted = README.split("<!-- stats:start -->\n", 1)[1].split("\n<!-- stats:end -->", 1)[0]
    assert quoted == coverage_table(coverage(dataset)).strip(), "run `make stats` and paste its output into README.md"
