"""The build cache (generator/cache.py): a warm build gives the cold build's bytes, and a cache that
cannot be read is ignored, never trusted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import cache as cache_module
from generator.build.pipeline import BuildOptions, build
from generator.common.errors import GlossError, GlossErrors

def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    golden_src = Path(__file__).parent.parent / "content"
    shutil.copytree(golden_src, root / "content")
    return root


def run(root: Path, output: str = "output", cache: bool = True) -> dict[str, bytes]:
    build(BuildOptions(root=root, content=root / "content", output=root / output,
                       cache=root / ".gloss-cache" if cache else None))
    return tree(root / output)


def test_warm_equals_cold(site: Path) -> None:
    cold = run(site, "cold", cache=False)
    first = run(site, "first")  # fills the cache
    warm = run(site, "warm")  # reads it
    assert cold == first == warm
    assert any((site / ".gloss-cache" / "article").iterdir())


@pytest.mark.parametrize("damage", ["truncate", "garbage", "version", "empty"])
def test_damaged_cache_is_ignored(site: Path, damage: str) -> None:
    cold = run(site, "cold", cache=False)
    run(site, "first")
    for entry in (site / ".gloss-cache").rglob("*.bin"):
        data = entry.read_bytes()
        if damage == "truncate":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            entry.write_bytes(data[:-40] + b"\x00garbage" * 5)
        elif damage == "version":
            entry.write_bytes(b"GLOSS-CACHE\x00" + data[12:])
        else:
            entry.write_bytes(b"")
    assert run(site, "after") == cold
    # The damaged entries were replaced by good ones.
    assert run(site, "again") == cold


def test_other_code_key_is_ignored(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(site, "first")
    monkeypatch.setattr(cache_module, "code_key", lambda: b"\x01" * 32)
    seen = cache_module.Cache(site / ".gloss-cache")
    key = next((site / ".gloss-cache" / "article").iterdir()).stem
    assert seen.get("article", key) is None


def test_edit_one_article_changes_expected_files(site: Path) -> None:
    before = run(site)
    first = sorted((site / "content").glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nA new closing sentence.\n", encoding="utf-8")
    after = run(site)
    cold = run(site, "cold", cache=False)
    assert after == cold
    changed = {path for path in after if before.get(path) != after[path]}
    assert f"articles/{first.stem}/index.html" in changed or any(p.startswith("articles/") for p in changed)
    assert "feed.xml" in changed
    # No other article page changed.
    assert len([p for p in changed if p.startswith("articles/")]) == 1


def test_template_change_invalidates_rendered_pages(site: Path) -> None:
    run(site)
    templates = site / "templates"
    shutil.copytree(Path(__file__).parent.parent / "templates", templates)
    with (templates / "base.html").open("a", encoding="utf-8") as f:
        f.write("\n<!-- edited -->\n")
    warm = run(site)
    assert warm == run(site, "cold", cache=False)
    articles = [data for path, data in warm.items() if path.startswith("articles/")]
    assert articles and all(b"<!-- edited -->" in data for data in articles)


def test_duplicate_slug_reported_on_warm_build(site: Path) -> None:
    run(site)
    first = sorted((site / "content").glob("*.md"))[0]
    text = first.read_text(encoding="utf-8")
    # A copy with the same slug: its own bytes are new, the original is a cache hit.
    copy = site / "content" / "zz-copy.md"
    slug_line = next((line for line in text.splitlines() if line.startswith("slug:")), None)
    copy.write_text(text if slug_line else text.replace("---\n", f"---\nslug: {first.stem}\n", 1), encoding="utf-8")
    with pytest.raises((GlossError, GlossErrors), match="slug"):
        run(site)


def test_failed_build_writes_no_cache(site: Path) -> None:
    first = sorted((site / "content").glob("*.md"))[0]
    first.write_text("---\ntitle: [broken\n---\nbody\n", encoding="utf-8")
    with pytest.raises((GlossError, GlossErrors)):
        run(site)
    assert not (site / ".gloss-cache").exists()
