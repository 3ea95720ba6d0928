"""Work and memory a build no longer spends, checked by what it holds (never by timing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


SMALL = Path(__file__).resolve().parent / "fixtures" / "sites" / "small"


def test_the_scan_keeps_no_content_bytes_and_reading_checks_them(tmp_path: Path) -> None:
    """A cold build of 10,000 articles held every content file's bytes from the scan to the end
    (360 MB); now they are read again where they are parsed, and must still be what was hashed."""
    from generator.build.inputs import scan
    from generator.common.errors import GlossError

    root = tmp_path / "site"
    shutil.copytree(SMALL, root)
    inputs = scan(root / "content", root / "site.yaml", [], {}, root)
    assert inputs.articles and all(file.data is None for file in inputs.articles)
    first = inputs.articles[0]
    assert first.read() == Path(first.path).read_bytes()
    Path(first.path).write_bytes(first.read() + b"\nEdited after the scan.\n")
    with pytest.raises(GlossError, match="changed while the site was being built"):
        first.read()


def test_templates_are_parsed_for_their_reads_once_then_answered_by_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each ``gloss build`` is a new process: what every template reads (for the keys) comes from
    the build cache unless the template changed; an edited template is parsed again."""
    from generator.build import theme
    from generator.build.pipeline import BuildOptions, build

    root = tmp_path / "site"
    shutil.copytree(SMALL, root)
    parsed: list[str] = []
    real = theme.analyse

    def counting(env: object, source: str, name: str | None = None, digest: str = "") -> object:
        parsed.append(name or "")
        return real(env, source, name, digest)  # type: ignore[arg-type]

    monkeypatch.setattr(theme, "analyse", counting)
    options = BuildOptions(root=root, content=root / "content", output=root / "output", cache=root / ".gloss-cache")
    theme._analysed.clear()
    build(options)
    assert "article.html" in parsed
    parsed.clear()
    theme._analysed.clear()  # as a new process starts
    (root / "content" / "extra.md").write_text('---\ntitle: "More"\ndate: 2024-06-19\n---\nText.\n', encoding="utf-8")
    build(options)
    assert parsed == []
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "tags.html").write_text('{% extends "gloss/tags.html" %}', encoding="utf-8")
    theme._analysed.clear()
    build(options)
    assert parsed == ["tags.html"]
