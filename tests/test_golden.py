"""Golden site: a small site built and diffed file by file against tests/golden/.

Set GLOSS_UPDATE_GOLDEN=1 to rewrite the golden tree after an intended change,
then read the diff before committing it.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build

HERE = Path(__file__).parent
SITES = HERE / "fixtures" / "sites"
GOLDEN = HERE / "golden"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(p.name for p in SITES.iterdir() if p.is_dir()))
def test_site_matches_golden_tree(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = SITES / name
    monkeypatch.chdir(site)
    output = tmp_path / "output"
    build(BuildOptions(root=site, content=site / "content", output=output))
    built = tree(output)
    golden_dir = GOLDEN / name
    if os.environ.get("GLOSS_UPDATE_GOLDEN"):
        shutil.rmtree(golden_dir, ignore_errors=True)
        shutil.copytree(output, golden_dir)
    expected = tree(golden_dir)
    assert sorted(built) == sorted(expected), "the set of built files differs from the golden tree"
    for path, data in expected.items():
        if built[path] != data:
            diff = difflib.unified_diff(
                data.decode(errors="replace").splitlines(),
                built[path].decode(errors="replace").splitlines(),
                f"golden/{name}/{path}",
                f"built/{path}",
                lineterm="",
            )
            pytest.fail("\n".join(list(diff)[:80]))


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = SITES / "small"
    monkeypatch.chdir(site)
    first, second = tmp_path / "a", tmp_path / "b"
    build(BuildOptions(root=site, content=site / "content", output=first))
    build(BuildOptions(root=site, content=site / "content", output=second))
    assert tree(first) == tree(second)


PAGED_ARTICLES = 161
"""Nine index pages of 20: page 5 shows a gap on both sides of its neighbours."""
PAGED_GOLDEN = GOLDEN / "paged-index"
"""Only the index pages of the generated many-article site (its 161 article pages would add nothing)."""


def _paged_site(root: Path) -> Path:
    content = root / "content"
    content.mkdir(parents=True)
    template = (SITES.parent / "paged-article.md.in").read_text(encoding="utf-8")
    for n in range(1, PAGED_ARTICLES + 1):
        day = f"2020-{1 + (n - 1) // 28:02d}-{1 + (n - 1) % 28:02d}"
        (content / f"story-{n:03d}.md").write_text(template.format(n=n, day=day), encoding="utf-8")
    (root / "site.yaml").write_text('title: "Many stories"\n', encoding="utf-8")
    return root


def test_index_pages_show_a_window_of_page_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _paged_site(tmp_path / "site")
    monkeypatch.chdir(site)
    output = tmp_path / "output"
    build(BuildOptions(root=site, content=site / "content", output=output))
    built = {path: data for path, data in tree(output).items()
             if path == "index.html" or (path.startswith("page/") and path.endswith("/index.html"))}
    assert len(built) == 9
    if os.environ.get("GLOSS_UPDATE_GOLDEN"):
        shutil.rmtree(PAGED_GOLDEN, ignore_errors=True)
        for path, data in built.items():
            (PAGED_GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (PAGED_GOLDEN / path).write_bytes(data)
    assert tree(PAGED_GOLDEN) == built
