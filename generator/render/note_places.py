"""Render stage: where each note's markup goes in a rendered body.

The site stage leaves a marker after each span (``NOTE_MARKER``). Here each
marker becomes two pieces:

* the *inline* piece, where the marker is: the note number, the phone label
  and the wide-screen margin note (phrasing content, so the paragraph stays one
  paragraph);
* the *drawer* piece, the note a phone opens, placed after the block that holds
  the span (after its ``</p>`` or heading, or at the end of its list item or
  table cell). A note opened inside a paragraph would end the line mid-sentence
  and start the sentence's tail on a new line; after the paragraph, the text
  reads on.

And each span that may be one becomes a ``<label>`` for its note's checkbox,
so tapping the highlighted words opens the note without JavaScript. It may
not when it sits inside a link (a label is interactive content, which a link
may not hold), inside another such label, or when it holds another span's
note (labels may not nest).

Raw HTML is off in user Markdown, so the HTML here is markdown-it's own,
well-formed output; a tag scan is exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_BLOCK = re.compile(
    r"<(/?)(p|h[1-6]|li|td|th|ul|ol|blockquote|pre|table|thead|tbody|tr|div|hr|dl|dt|dd|figure)\b[^>]*>"
)
_AFTER = {"p", "h1", "h2", "h3", "h4", "h5", "h6"}
"""Closing tags a drawer goes after (a <div> may not sit inside them); before any other block tag."""
_GLOSS_SPAN = re.compile(r'<span class="(gloss-span gloss-(?:fact|claim))" id="span-([A-Za-z0-9_-]+)" data-note="\2">')


def place_notes(html: str, marker: re.Pattern[str], inline: Callable[[str], str],
                drawer: Callable[[str], str]) -> str:
    """Replace each marker (group 1: the note id) with ``inline(id)`` and put ``drawer(id)`` after its block.

    The drawers of one block share one ``<div class="note-drawer">``, in reading order.
    """
    drawers: dict[int, list[str]] = {}
    for match in marker.finditer(html):
        block = _BLOCK.search(html, match.end())
        if block is None:
            at = len(html)
        elif block.group(1) == "/" and block.group(2) in _AFTER:
            at = block.end()
        else:
            at = block.start()
        drawers.setdefault(at, []).append(match.group(1))
    out: list[str] = []
    last = 0
    points = sorted(drawers)
    for at in points:
        out.append(marker.sub(lambda m: inline(m.group(1)), html[last:at]))
        out.append('<div class="note-drawer">' + "".join(drawer(i) for i in drawers[at]) + "</div>")
        last = at
    out.append(marker.sub(lambda m: inline(m.group(1)), html[last:]))
    return "".join(out)


def spans_as_labels(html: str, marker: re.Pattern[str], extra_class: Callable[[str], str]) -> str:
    """Turn each gloss span that may be a label into ``<label for="toggle-<id>">`` (module docstring).

    ``extra_class(id)`` adds classes (the verdict group) to every gloss span, label or not.
    """
    if "gloss-span" not in html:
        return html
    # Pair every <span>/</span> and note where links and markers are.
    opens: list[tuple[int, re.Match[str]]] = []  # (index in tags, match)
    tags = list(_TAG.finditer(html))
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, tag in enumerate(tags):
        if tag.group(2) != "span":
            continue
        if tag.group(1):
            if stack:
                pairs[stack.pop()] = i
        else:
            stack.append(i)
            opens.append((i, tag))
    link_depth = 0
    link_at: list[int] = []  # link depth before each tag
    for tag in tags:
        link_at.append(link_depth)
        if tag.group(2) == "a":
            link_depth += -1 if tag.group(1) else 1
    edits: dict[int, str] = {}
    label_until = -1  # index of the closing tag of the label we are inside
    for i, tag in opens:
        found = _GLOSS_SPAN.match(tag.group(0))
        if found is None:
            continue
        classes, note = found.group(1), found.group(2)
        close = pairs.get(i)
        inside = html[tag.end():tags[close].start()] if close is not None else ""
        can_label = (
            close is not None and link_at[i] == 0 and i > label_until
            and "gloss-span" not in inside and marker.search(inside) is None
        )
        more = extra_class(note)
        if can_label and close is not None:
            edits[i] = (f'<label class="{classes} {more}" id="span-{note}" data-note="{note}" '
                        f'for="toggle-{note}">')
            edits[close] = "</label>"
            label_until = close
        else:
            edits[i] = f'<span class="{classes} {more}" id="span-{note}" data-note="{note}">'
    out: list[str] = []
    last = 0
    for i, tag in enumerate(tags):
        if i in edits:
            out.append(html[last:tag.start()])
            out.append(edits[i])
            last = tag.end()
    out.append(html[last:])
    return "".join(out)
