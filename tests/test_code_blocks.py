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
