"""Work a rebuild no longer does, checked by counting it (never by timing): whether the templates
read the listing is answered from the cache while their bytes stay the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import generator.build.theme as theme
from generator.build.pipeline import BuildOptions, build

SMALL = Path(__file__).resolve().parent / "fixtures" / "sites" / "small"


def test_templates_are_parsed_again_only_when_they_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "site"
    shutil.copytree(SMALL, root)
    options = BuildOptions(root=root, content=root / "content", output=root / "output",
                           cache=root / ".gloss-cache")
    parsed: list[str | None] = []
    real = theme.reads_listing

    def counting(env, source, name=None):  # type: ignore[no-untyped-def]
        parsed.append(name)
        return real(env, source, name)

    monkeypatch.setattr(theme, "reads_listing", counting)
    build(options)
    assert parsed  # the first build parses the templates
    parsed.clear()

    article = root / "content" / "harbour-bridge.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    build(options)
    assert parsed == []  # same templates: the cached answer

    # A template that lists the articles on every page: parsed, and every page then depends on the listing.
    (root / "templates").mkdir(exist_ok=True)
    footer = "<p>{% for a in site.articles %}listed: {{ a.url }} {% endfor %}</p>"
    base = (Path(theme.__file__).resolve().parents[2] / "templates" / "base.html").read_text(encoding="utf-8")
    (root / "templates" / "base.html").write_text(base.replace("</body>", footer + "</body>"), encoding="utf-8")
    build(options)
    assert "base.html" in parsed
    page = next((root / "output" / "articles").glob("*/index.html")).read_text(encoding="utf-8")
    assert "listed: " in page


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
