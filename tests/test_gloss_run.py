"""The fast loop's shortcut: ``gloss`` through ``cli.main`` in the test process says what a new process says.

``tests/gloss_run.py`` runs the command-line tests in process outside CI; if the two ways ever differed
(exit code, standard output, standard error), those tests would check something a user never sees. Each
case here runs both ways, in every run, and compares.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gloss_run import _in_process, new_process

SMALL = Path(__file__).resolve().parent / "fixtures" / "sites" / "small"

CASES = [
    ["--version"],  # argparse exits with SystemExit(0)
    ["build", "--no-such-option"],  # a usage error: exit 2 and argparse's message
    ["check"],  # success, a summary on stdout
    ["dump", "content/missing.md"],  # a located one-line error, exit 1
    ["review", "content/old-news.md"],  # reads standard input (an empty pipe here); nothing left to review
]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_in_process_and_new_process_agree(args: list[str], tmp_path: Path) -> None:
    results = []
    for way in ("process", "in-process"):
        site = tmp_path / way / "site"
        shutil.copytree(SMALL, site)
        if way == "process":
            result = new_process(*args, cwd=site, env={"NO_COLOR": "1"})
        else:
            result = _in_process(tuple(args), site, {"NO_COLOR": "1"}, "")
        results.append((result.returncode, result.stdout, result.stderr))
    assert results[0] == results[1]
    assert "Traceback" not in results[0][2]


def test_the_environment_and_directory_are_given_back(tmp_path: Path) -> None:
    here, before = os.getcwd(), dict(os.environ)
    _in_process(("--version",), tmp_path, {"GLOSS_TEST_VARIABLE": "1"}, "")
    assert (os.getcwd(), dict(os.environ)) == (here, before)
