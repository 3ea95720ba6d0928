"""The design notes live in the repository: every citation of ``docs/design.md §N`` names a section there.

Code, tests and ``bench/`` explain decisions by citing sections of ``docs/design.md``; a citation of a
section that does not exist (or of the old, out-of-repository ``DESIGN`` file) would send a reader nowhere.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITED_FROM = ("generator", "tests", "bench", "templates", "README.md", "docs/architecture.md")
CITATION = re.compile(r"docs/design\.md ((?:§\d+(?:, )?)+)")


def _files() -> list[Path]:
    found: list[Path] = []
    for name in CITED_FROM:
        path = ROOT / name
        if path.is_file():
            found.append(path)
        else:
            found += [p for p in sorted(path.rglob("*")) if p.suffix in (".py", ".md", ".html", ".txt")
                      and "golden" not in p.parts and "fixtures" not in p.parts]
    return found


def sections() -> set[int]:
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    return {int(n) for n in re.findall(r"^## (\d+)\. ", text, re.MULTILINE)}


def test_every_design_citation_names_a_section() -> None:
    known = sections()
    assert known == set(range(1, max(known) + 1)), f"sections are numbered 1..N without gaps: {sorted(known)}"
    cited, wrong = 0, []
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.name != "test_docs.py" and re.search(r"\bDESIGN §", text):
            wrong.append(f"{path.relative_to(ROOT)} cites DESIGN, a file not in the repository")
        for match in CITATION.finditer(text):
            for number in re.findall(r"§(\d+)", match.group(1)):
                cited += 1
                if int(number) not in known:
                    wrong.append(f"{path.relative_to(ROOT)} cites docs/design.md §{number}, which does not exist")
    assert not wrong, "\n".join(wrong)
    assert cited >= 10, "the citations were not found: is the pattern still right?"


def test_architecture_names_only_modules_that_exist() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [name for name in sorted(set(re.findall(r"`((?:common|importing|content|site|render|build|preview)/\w+\.py)`", text)))
               if not (ROOT / "generator" / name).is_file()]
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"
