"""Packaging: every dependency is imported by Gloss and every import is a dependency; tools stay out of
the public extras; one version."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def _name(requirement: str) -> str:
    """``markdown-it-py~=4.0`` → ``markdown-it-py``; names compared in their normalised form."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def _imported_distributions() -> dict[str, set[str]]:
    """Distributions whose modules generator/ imports, each with the files importing it."""
    owners = metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == "generator":
                    continue
                assert top in owners, f"{path.relative_to(REPO)} imports {top}, which no installed distribution provides"
                for dist in owners[top]:
                    found.setdefault(_name(dist), set()).add(str(path.relative_to(REPO)))
    return found


def test_dependencies_are_exactly_what_generator_imports() -> None:
    imported = _imported_distributions()
    declared = {_name(r) for r in PROJECT["dependencies"]}
    search = {_name(r) for r in PROJECT["optional-dependencies"]["search"]}
    # pagefind is imported only to find its binary, and only with the search extra installed.
    assert set(imported) - declared == {"pagefind-bin"} and "pagefind" in search, imported
    assert declared - set(imported) == set(), "declared but never imported"


def test_installed_metadata_lists_no_dependency_that_nothing_imports() -> None:
    shown = subprocess.run([sys.executable, "-m", "pip", "show", "gloss-ssg"], capture_output=True, text=True,
                           timeout=120)
    assert shown.returncode == 0, "install Gloss first: pip install -e . --group test\n" + shown.stderr
    (line,) = [l for l in shown.stdout.splitlines() if l.startswith("Requires:")]
    requires = {_name(n.strip()) for n in line.removeprefix("Requires:").split(",") if n.strip()}
    assert requires == set(_imported_distributions()) - {"pagefind-bin"}
    assert not {"livereload", "mdit-py-plugins"} & requires


def test_tools_are_dependency_groups_not_public_extras() -> None:
    assert set(PROJECT["optional-dependencies"]) == {"search"}
    groups = PYPROJECT["dependency-groups"]
    assert {"test", "bench"} <= set(groups)
    assert "pytest" in {_name(r) for r in groups["test"]}


def test_name_license_and_version() -> None:
    assert PROJECT["name"] == "gloss-ssg"
    assert PROJECT["scripts"] == {"gloss": "generator.cli:main"}
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert PROJECT["license"] == "MIT"
    import generator
    from generator.common.version import gloss_version

    assert generator.__version__ == gloss_version() == PROJECT["version"] == metadata.version("gloss-ssg")
