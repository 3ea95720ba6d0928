"""Code blocks scroll sideways, so each one is a named keyboard stop (axe scrollable-region-focusable)."""

from __future__ import annotations

import re

import pytest

from generator.content.markdown import make_parser

CASES = [
    ("```python\nprint(1)\n```\n", "Code: python"),
    ("```\nplain\n```\n", "Code"),
    ("```no-such-language\nx\n```\n", "Code: no-such-language"),
    ("    indented code\n", "Code"),
    ("```python title=\"x\"\nprint(1)\n```\n", "Code: python"),
]


@pytest.mark.parametrize(("text", "label"), CASES)
def test_every_code_block_is_focusable_and_named(text: str, label: str) -> None:
    html = make_parser().render(text)
    pres = re.findall(r"<pre\b[^>]*>", html)
    assert pres == [f'<pre tabindex="0" role="group" aria-label="{label}"'
                    + (' class="highlight">' if label == "Code: python" else ">")], html


def test_the_language_in_the_label_is_escaped() -> None:
    html = make_parser().render('```"><img/src=x>\nx\n```\n')
    assert "<img" not in html
    assert 'aria-label="Code: &quot;&gt;&lt;img/src=x&gt;"' in html


def test_inline_code_is_not_a_keyboard_stop() -> None:
    assert "tabindex" not in make_parser().render("Run `gloss build`.\n")


def test_code_background_is_not_opaque() -> None:
    """An opaque scrolling box gets its own compositing layer, and headless Chromium then hangs on a
    full-page screenshot of a tall page (the browser harness's screenshots of long articles with code)."""
    from generator.content.markdown import pygments_css

    backgrounds = re.findall(r"^\.highlight \{ background: ([^;}]+)", pygments_css(), re.M)
    assert backgrounds == ["rgba(248, 248, 248, 0.99)", "rgba(39, 40, 34, 0.99)"]


def test_check_warns_where_a_block_is_too_long_to_highlight(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """A block past its lexer's highlight limit is built as plain text; ``gloss check`` says where."""
    from generator.cli import main
    from generator.scaffold import scaffold

    root = tmp_path / "site"
    scaffold(root)
    article = root / "content" / "welcome.md"
    text = article.read_text(encoding="utf-8")
    long_unit = "```systemd\n" + "[Unit]\nDescription=x\n" * 60 + "```\n"
    short_unit = "```systemd\n[Unit]\nDescription=short\n```\n"
    text += "\n" + short_unit + "\n" + long_unit
    article.write_text(text, encoding="utf-8")
    fence_line = text.splitlines().index("```systemd", text.splitlines().index("Description=short") + 1) + 1
    monkeypatch.chdir(root)
    assert main(["check"]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if "highlights" in line]
    assert err == [
        f"content/welcome.md:{fence_line}:1: warning: this systemd block is 1,260 characters, more than the 500 "
        "Gloss highlights for systemd; it is shown as plain text (hint: split the block, or tag it ```text to say "
        "plain text is meant)"
    ]
