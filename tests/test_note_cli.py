"""``gloss note add|edit|rm`` and the file layer under it (``generator.editing.note_file``).

Each test works on a copy of ``tests/fixtures/sites/small/``; the CLI runs in-process through ``main``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.editing.note_file import Conflict, read_content, write_content

SMALL = Path(__file__).parent / "fixtures" / "sites" / "small"
ARTICLE = Path("content") / "harbour-bridge.md"


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SMALL, tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    return tmp_path / "site"


def test_add_edit_rm_round_trip_keeps_the_file_valid_and_restores_it(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = ARTICLE.read_bytes()
    assert main(["note", "add", str(ARTICLE), "--quote", "Who paid", "--kind", "claim", "--verdict", "Unverified",
                 "--body", "Nobody *knows*.", "--source", "Council minutes", "https://example.org/m", "2025-03-01",
                 "--claimant", "A reader"]) == 0
    assert capsys.readouterr().out == "who-paid\n"
    text = ARTICLE.read_text(encoding="utf-8")
    assert "      [Who paid]{.claim #who-paid} for it?\n" in text
    assert main(["check"]) == 0
    assert main(["note", "edit", str(ARTICLE), "who-paid", "--verdict", "Disputed", "--no-sources"]) == 0
    edited = ARTICLE.read_text(encoding="utf-8")
    assert '    verdict: "Disputed"\n' in edited and "Council minutes" not in edited and "A reader" in edited
    assert main(["check"]) == 0
    assert main(["note", "rm", str(ARTICLE), "who-paid"]) == 0
    assert ARTICLE.read_bytes() == before


def test_occurrence_and_in_choose_where_the_span_goes(site: Path) -> None:
    # "it" occurs in the article and in comments; --in c3 with the first occurrence there.
    assert main(["note", "add", str(ARTICLE), "--quote", "for it", "--in", "c3", "--kind", "fact",
                 "--verdict", "Accurate", "--body", "x", "--id", "paid"]) == 0
    assert "Who paid [for it]{.fact #paid}?" in ARTICLE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quote", "no such words", "--kind", "fact", "--verdict", "Accurate", "--body", "x"], "is not in the text"),
        (["--quote", "Who paid", "--kind", "fact", "--verdict", "Supported", "--body", "x"], "does not fit a fact"),
        (["--quote", "ten minutes for me. See", "--kind", "fact", "--verdict", "Accurate", "--body", "x"],
         "crosses a paragraph break"),
    ],
)
def test_refused_adds_print_one_located_line_and_write_nothing(
    site: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = ARTICLE.read_bytes()
    assert main(["note", "add", str(ARTICLE), *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{ARTICLE}:") and message in err and len(err.strip().splitlines()) == 1
    assert ARTICLE.read_bytes() == before
    assert not [p for p in ARTICLE.parent.iterdir() if p.name.startswith(".")]  # no temporary left


def test_rm_of_an_unknown_note_fails_cleanly(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["note", "rm", str(ARTICLE), "nope"]) == 1
    assert 'there is no note "nope"' in capsys.readouterr().err


def test_crlf_line_ends_and_a_bom_are_kept(site: Path) -> None:
    original = b"\xef\xbb\xbf" + ARTICLE.read_bytes().replace(b"\n", b"\r\n")
    ARTICLE.write_bytes(original)
    assert main(["note", "add", str(ARTICLE), "--quote", "Who paid", "--kind", "fact", "--verdict", "Accurate",
                 "--body", "two\nlines"]) == 0
    changed = ARTICLE.read_bytes()
    assert changed.startswith(b"\xef\xbb\xbf") and changed.count(b"\n") == changed.count(b"\r\n")
    assert b"      two\r\n      lines\r\n" in changed
    assert main(["note", "rm", str(ARTICLE), "who-paid"]) == 0
    assert ARTICLE.read_bytes() == original


def test_mixed_line_ends_are_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ARTICLE.write_bytes(ARTICLE.read_bytes().replace(b"\n", b"\r\n", 3))
    assert main(["note", "rm", str(ARTICLE), "cost"]) == 1
    assert "mixes line ends" in capsys.readouterr().err


def test_a_file_changed_since_it_was_read_is_not_overwritten(site: Path) -> None:
    file = read_content(ARTICLE)
    ARTICLE.write_text(file.text + "\nAn editor's own save.\n", encoding="utf-8")
    theirs = ARTICLE.read_bytes()
    with pytest.raises(Conflict, match="changed on disk"):
        write_content(file, file.text.replace("Who paid", "Who [paid]"))
    assert ARTICLE.read_bytes() == theirs
    assert not [p for p in ARTICLE.parent.iterdir() if p.name.startswith(".")]


def test_the_file_mode_is_kept(site: Path) -> None:
    ARTICLE.chmod(0o640)
    assert main(["note", "rm", str(ARTICLE), "cost"]) == 0
    assert ARTICLE.stat().st_mode & 0o777 == 0o640


def test_the_note_commands_cost_other_commands_no_imports() -> None:
    """`gloss build` with nothing to do must not import YAML or the Markdown stage for `gloss note`'s sake."""
    import subprocess
    import sys

    code = "import sys, generator.cli; print(sorted(m for m in ('yaml', 'markdown_it', 'jinja2') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parent.parent)
    assert result.stdout.strip() == "[]"


def test_the_claim_is_stored_edited_and_removed(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = ARTICLE.read_bytes()
    assert main(["note", "add", str(ARTICLE), "--quote", "Who paid", "--kind", "claim", "--verdict", "Unverified",
                 "--body", "Nobody knows.", "--claim", "The council paid for the bridge"]) == 0
    note_id = capsys.readouterr().out.strip()
    assert note_id == "council-paid-bridge"
    assert '    verdict: "Unverified"\n    claim: "The council paid for the bridge"\n' in ARTICLE.read_text("utf-8")
    assert main(["note", "edit", str(ARTICLE), note_id, "--claim", "The city paid"]) == 0
    text = ARTICLE.read_text("utf-8")
    assert '    claim: "The city paid"\n' in text and "The council paid" not in text
    assert main(["check"]) == 0
    assert main(["note", "edit", str(ARTICLE), note_id, "--no-claim"]) == 0
    assert "claim:" not in ARTICLE.read_text("utf-8").split("comments:")[0].split(f"{note_id}:")[1]
    assert main(["note", "rm", str(ARTICLE), note_id]) == 0
    assert ARTICLE.read_bytes() == before
