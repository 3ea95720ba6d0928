"""``common.atomic_write``: the one way Gloss replaces a file in a site (import, init, theme copy)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.common.atomic_write import write_atomically


def test_text_is_utf8_with_lf_and_parents_are_made(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "x.md"
    write_atomically(target, "one\ntwo — ü\n")
    assert target.read_bytes() == "one\ntwo — ü\n".encode("utf-8")
    write_atomically(target, b"\x00bytes\r\n")
    assert target.read_bytes() == b"\x00bytes\r\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.md"]


def test_a_failed_replace_leaves_the_old_file_and_the_next_write_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.md"
    target.write_text("old\n", encoding="utf-8")
    (tmp_path / ".x.md.tmp-99999").write_text("half of a killed write", encoding="utf-8")
    (tmp_path / ".y.md.tmp-1").write_text("another file's", encoding="utf-8")

    def killed(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    monkeypatch.undo()
    write_atomically(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    # Its own leftovers are gone (the killed one's and this process's); another file's are not touched.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".y.md.tmp-1", "x.md"]
