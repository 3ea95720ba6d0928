"""The Nu HTML checker (npm vnu-jar) finds 0 errors in every HTML, CSS and SVG file of the output.

All documents are checked in ONE java call per session (CSS in a second call that runs alongside,
see checks.run_vnu); each file is then its own test so a failure names it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .checks import fail_on, run_vnu
from .sitebuild import checkable_files


@pytest.fixture(scope="session")
def vnu_problems(built_site: Path) -> list[str]:
    files = checkable_files(built_site)
    problems = run_vnu([built_site / rel for rel in files], root=built_site)
    known = set(files)
    stray = [p for p in problems if p.split(":", 1)[0] not in known]
    if stray:  # the checker itself failed: no file may pass
        pytest.fail("the Nu HTML checker did not run cleanly:\n  " + "\n  ".join(stray), pytrace=False)
    return problems


def test_file_is_valid(checked_file, vnu_problems):
    mine = [p for p in vnu_problems if p.split(":", 1)[0] == checked_file]
    fail_on(mine, f"Nu HTML checker errors in {checked_file} (file:line:col: message)")
