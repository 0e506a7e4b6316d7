"""The benchmark's synthetic records are valid records: a small run of the generator passes validation. Its memory
figures count a build's `tar`, not a copy of the build."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from conftest import PROJECT
from timeline import cli

sys.path.insert(0, str(PROJECT / "bench"))
from measure import ChildMemory  # noqa: E402
from synthetic import write_dataset  # noqa: E402


def test_synthetic_records_validate_without_problems(tmp_path: Path, capsys) -> None:
    paths = write_dataset(tmp_path / "events", 120, PROJECT / "events" / "registry")
    assert len(paths) == 120 and len({path.stem for path in paths}) == 120
    assert cli.main(["validate", "--events", str(tmp_path / "events")]) == 0
    assert capsys.readouterr().out == "Checked 120 event records: no errors, 0 warning(s).\n"


def test_the_bench_counts_a_child_program_but_not_a_child_still_running_this_program() -> None:
    memory = ChildMemory(in_background=False)
    copy = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        time.sleep(0.3)
        memory.sample()
        assert memory.peak_kib == 0  # a fork not yet another program shares this process's memory
    finally:
        copy.kill()
        copy.wait()
    program = subprocess.Popen(["sleep", "5"])
    try:
        time.sleep(0.3)
        memory.sample()
        assert memory.peak_kib > 0
    finally:
        program.kill()
        program.wait()
