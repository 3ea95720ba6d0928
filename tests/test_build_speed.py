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
