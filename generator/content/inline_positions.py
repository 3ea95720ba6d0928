"""Markdown stage helper: offsets in an inline token's text back to source lines and columns.

markdown-it gives inline tokens no positions, only their block's first and last
line; the span plugin (``annotations.py``) needs the exact line and column of
each ``[`` to report problems where the editor has to look.
"""

from __future__ import annotations

from bisect import bisect_right


class InlineWhere:
    """Maps offsets in one inline token's content to (line, column) in the source.

    Line k of the content comes from source line ``map[0] + k`` (paragraph, heading,
    table cell: markdown-it joins whole lines and never merges or drops one). Each
    content line is the source line minus a prefix (blockquote ``>``, list indent,
    heading ``#``, table ``|``) and maybe trailing space or a heading's closing ``#``s;
    a tab in the indent may have been expanded to spaces. So the stripped content line
    is found in the source line: as its suffix when it is one (always for paragraph
    lines, which makes it exact), else by searching from where the previous inline
    token on the same line ended (table cells, ATX headings with closing ``#``s).
    """

    def __init__(
        self, content: str, first_line: int, lines: list[str], cursor: dict[int, int]
    ) -> None:
        self.pieces = content.split("\n")
        self.starts = [0]
        for piece in self.pieces[:-1]:
            self.starts.append(self.starts[-1] + len(piece) + 1)
        self.first_line, self.lines, self.cursor = first_line, lines, cursor
        self.cols: dict[int, int] = {}

    def column_of_line(self, k: int) -> int:
        """Source column of the first non-space character of content line ``k``."""
        if k not in self.cols:
            line = self.first_line + k
            source = self.lines[line] if line < len(self.lines) else ""
            core, body = self.pieces[k].strip(), source.rstrip()
            if core and body.endswith(core):
                col = len(body) - len(core)
            else:
                col = source.find(core, self.cursor.get(line, 0))
                col = source.find(core) if col < 0 else col
                col = max(col, 0)  # text not literally in the source: approximate
            self.cursor[line] = col + len(core)
            self.cols[k] = col
        return self.cols[k]

    def at(self, offset: int) -> tuple[int, int]:
        k = bisect_right(self.starts, offset) - 1
        piece = self.pieces[k]
        lead = len(piece) - len(piece.lstrip())
        return self.first_line + k, self.column_of_line(k) + offset - self.starts[k] - lead
