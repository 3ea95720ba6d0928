"""Site-model stage: a flat, dated comment list becomes reply trees.

``reply_to`` always names an earlier comment (the content stage checks it and
drops a bad link after reporting it), so source order is already an order in
which every parent comes before its replies. That lets one forward pass find
each comment's depth and one backward pass build the (immutable) trees with no
recursion at all: a 200-deep chain costs the same stack as a flat discussion.

Two depths shape what readers see:

* :data:`INDENT_DEPTH`: replies deeper than this are not indented any further
  (``Thread.flat``), so on a 390 px phone the text column stays wider than
  ~240 px however deep the thread goes.
* :data:`NESTING_DEPTH`: the deepest level rendered as a nested element. A
  reply deeper than that is placed, in source order, among the replies of its
  ancestor at that depth, and its "replying to" link says whom it answers.
  This keeps Jinja's macro recursion (several Python frames per level) and the
  browser's DOM depth bounded: Chromium's HTML parser stops nesting elements
  past 512 levels and would otherwise silently re-parent a very deep branch.

Rendered HTML for each body is attached by the caller.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..common.translatable import N_
from ..content.model import Comment

INDENT_DEPTH = 4
"""Deepest reply that is indented further than its parent."""

NESTING_DEPTH = 12
"""Deepest reply rendered inside its parent; deeper ones sit flat under their ancestor at this depth."""

BASIS_EXPLANATIONS = {
    "vocative": N_("it addresses that comment's author by name"),
    "mention": N_("it names that comment's author"),
    "quote": N_("it quotes that comment"),
    "similarity": N_("its wording closely follows that comment"),
}
"""Why an inferred link was made, in words for readers (``reply_basis`` → reason).

``editor`` (a person confirmed the link) and a missing basis on a hand-written
``reply_to`` are not inferences, so they have no entry here."""


NAME_EXPLANATIONS = {
    "vocative": N_("a later reply addresses this comment's author by this name"),
    "mention": N_("a later reply names this comment's author so"),
    "signature": N_("the comment is signed with this name"),
    "introduction": N_("the comment's author introduces themselves by this name"),
}
"""Why an inferred name was given (``author_basis`` → reason); ``editor`` names are confirmed.

Both tables hold English text that pages show in the site's language (``| translated``)."""


@dataclass(frozen=True, slots=True)
class Thread:
    """A comment with the replies rendered below it."""

    comment: Comment
    """The comment itself."""
    body_html: str
    """Its rendered body."""
    replies: tuple[Thread, ...]
    """Replies rendered inside this comment, in source order: its direct replies, or, at
    :data:`NESTING_DEPTH`, every reply further down the branch (each with no replies of its own)."""
    depth: int
    """How many replies up the chain to a top-level comment (0 for a top-level comment)."""
    parent: Comment | None
    """The comment it answers, when there is one."""
    reply_count: int
    """All replies in this branch, however deep (what collapsing the branch hides)."""

    @property
    def flat(self) -> bool:
        """True when the reply is shown without further indentation (deeper than :data:`INDENT_DEPTH`)."""
        return self.depth > INDENT_DEPTH

    @property
    def name_reason(self) -> str | None:
        """Why the author's name was inferred, or None when it is written or confirmed by a person."""
        if not self.comment.author_inferred:
            return None
        return NAME_EXPLANATIONS.get(self.comment.author_basis or "", N_("the importer inferred it"))

    @property
    def inferred_reason(self) -> str | None:
        """Why the reply link was inferred, or None when it is confirmed or there is no link."""
        if self.parent is None:
            return None
        return BASIS_EXPLANATIONS.get(self.comment.reply_basis or "")


def build_threads(comments: Sequence[Comment], bodies: Mapping[str, str]) -> tuple[Thread, ...]:
    """Nest ``comments`` by ``reply_to``; ``bodies`` maps comment id to its HTML.

    A ``reply_to`` that names no earlier comment (which the content stage has
    already reported) leaves the comment at the top level rather than losing it.
    """
    seen: dict[str, Comment] = {}
    parents: dict[str, Comment | None] = {}
    depth: dict[str, int] = {}
    holder: dict[str, str | None] = {}  # where each comment is rendered: inside this comment, or at the top
    for comment in comments:
        parent = seen.get(comment.reply_to) if comment.reply_to else None
        parents[comment.id] = parent
        depth[comment.id] = 0 if parent is None else depth[parent.id] + 1
        if parent is None:
            holder[comment.id] = None
        elif depth[comment.id] <= NESTING_DEPTH:
            holder[comment.id] = parent.id
        else:
            # The parent is itself at or below NESTING_DEPTH: share its holder, or use the parent when it is the
            # deepest nested level.
            holder[comment.id] = parent.id if depth[parent.id] == NESTING_DEPTH else holder[parent.id]
        seen.setdefault(comment.id, comment)

    shown: dict[str | None, list[str]] = {}
    for comment in comments:
        shown.setdefault(holder[comment.id], []).append(comment.id)

    # Backwards: every reply comes after its parent, so it is complete before its parent needs it.
    built: dict[str, Thread] = {}
    counts: dict[str, int] = {c.id: 0 for c in comments}
    for comment in reversed(comments):
        parent = parents[comment.id]
        built[comment.id] = Thread(
            comment=comment,
            body_html=bodies[comment.id],
            replies=tuple(built[child] for child in shown.get(comment.id, ())),
            depth=depth[comment.id],
            parent=parent,
            reply_count=counts[comment.id],
        )
        if parent is not None:
            counts[parent.id] += 1 + counts[comment.id]
    return tuple(built[root] for root in shown.get(None, ()))


def in_page_order(threads: Sequence[Thread]) -> Iterator[Thread]:
    """Every comment's thread in the order the page shows them: each comment, then its replies.

    The one walk over the trees that the page model's readers share (JSON-LD comments, images
    in comment bodies, the export's rendered text). A stack, not recursion: the order is the
    same and the depth costs nothing.
    """
    stack = list(reversed(threads))
    while stack:
        thread = stack.pop()
        yield thread
        stack.extend(reversed(thread.replies))
