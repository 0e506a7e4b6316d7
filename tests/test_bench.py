"""The benchmark's synthetic records are valid records: a small run of the generator passes validation."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import PROJECT
from timeline import cli

sys.path.insert(0, str(PROJECT / "bench"))
from synthetic import write_dataset  # noqa: E402


def test_synthetic_records_validate_without_problems(tmp_path: Path, capsys) -> None:
    paths = write_dataset(tmp_path / "events", 120, PROJECT / "events" / "registry")
    assert len(paths) == 120 and len({path.stem for path in paths}) == 120
    assert cli.main(["validate", "--events", str(tmp_path / "events")]) == 0
    assert capsys.readouterr().out == "Checked 120 event records: no errors, 0 warning(s).\n"
