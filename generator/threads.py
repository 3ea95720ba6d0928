"""Site-model stage: a flat, dated comment list becomes reply trees.

``reply_to`` always names an earlier comment (the content stage checks it),
so one pass in source order builds the forest; roots and replies keep source
order. Rendered HTML for each body is attached by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import Comment


@dataclass(frozen=True, slots=True)
class Thread:
    """A comment with the replies below it."""

    comment: Comment
    """The comment itself."""
    body_html: str
    """Its rendered body."""
    replies: tuple[Thread, ...]
    """Direct replies, in source order."""
    depth: int
    """0 for a top-level comment."""
    parent: Comment | None
    """The comment it answers, when there is one."""

    @property
    def reply_count(self) -> int:
        """All replies in this branch, however deep."""
        return sum(1 + reply.reply_count for reply in self.replies)


def build_threads(comments: Sequence[Comment], bodies: Mapping[str, str]) -> tuple[Thread, ...]:
    """Nest ``comments`` by ``reply_to``; ``bodies`` maps comment id to its HTML."""
    by_id = {c.id: c for c in comments}
    children: dict[str | None, list[Comment]] = {}
    for comment in comments:
        parent = comment.reply_to if comment.reply_to in by_id else None
        children.setdefault(parent, []).append(comment)

    def grow(comment: Comment, depth: int) -> Thread:
        parent = by_id.get(comment.reply_to) if comment.reply_to else None
        replies = tuple(grow(child, depth + 1) for child in children.get(comment.id, ()))
        return Thread(comment, bodies[comment.id], replies, depth, parent)

    return tuple(grow(root, 0) for root in children.get(None, ()))
