"""Template errors point at the offending token's column, not column 1 (Jinja gives only lines).

The bad-input corpus (``tests/fixtures/bad-input/tpl-*``) checks whole runs; these check the
column finder on the shapes of Jinja's messages.
"""

from __future__ import annotations

import pytest

from generator.render.renderer import token_column


@pytest.mark.parametrize(("line", "message", "column"), [
    ("<p>{{ no_such_variable }}</p>", "'no_such_variable' is undefined", 7),
    ("<p>{{ page.article.subtitle }}</p>", "'Article object' has no attribute 'subtitle'", 20),
    ("<h1>{{ title | shout }}</h1>", "No filter named 'shout'.", 16),
    ("  {% endfo %}", "Encountered unknown tag 'endfo'.", 6),
    ("<p>{% if x }}y{% endif %}</p>", "unexpected '}'", 12),
    ('{% include "sidebar.html" %}', "'sidebar.html'", 13),
    ("<p>{{ a }}{{ ab }}</p>", "'ab' is undefined", 14),  # the whole name, not the "a" inside another
    ("  <p>{{ x.y }}</p>", "something else", 6),  # no quoted token: the line's first tag
    ("    plain text", "unexpected end of template", 5),  # no tag: the first character
])
def test_token_column(line: str, message: str, column: int) -> None:
    assert token_column(line, message) == column


def test_no_line_is_column_one() -> None:
    assert token_column(None, "'x' is undefined") == 1
