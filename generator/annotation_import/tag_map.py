"""Annotation import: which tags make a note a fact or a claim, and which verdict they give.

Without ``--map``, a tag that is a verdict word (``Accurate``, ``Misleading``, …, any case) gives
that verdict and the kind whose scale holds it; ``fact``, ``fact-check``, ``factcheck`` and
``claim`` give the kind. A W3C annotation's motivation counts too (``assessing`` fact,
``questioning`` claim), as Gloss's export writes it. A mapping file adds desk-specific tags::

    fact: ["checked", "sf-fact"]          # tags that make a note a fact check
    claim: ["sf-claim"]                   # tags that make a note a claim
    verdicts:                             # tag → verdict (the kind follows from the verdict)
      "correct": "Accurate"
      "incorrect": "Inaccurate"
      "lacks-context": "Misleading"

Tags are compared case-insensitively. An annotation with no verdict tag becomes a claim that is
``Unverified`` (the summary says so); a fact tag without a fact verdict, or tags that give two
different verdicts or a verdict of the other kind, is reported and not imported.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ..common.errors import GlossError, raise_all
from ..content.note_kinds import KIND, KINDS
from ..content.yamldoc import Fields, YamlDocument, as_text_list

MAP_KEYS = ("fact", "claim", "verdicts")
MOTIVATION_KINDS = {k.motivation: k.name for k in KINDS}
"""W3C motivations that name a kind (the ones ``gloss export`` writes)."""
DEFAULT_KIND_TAGS = {"fact": "fact", "fact-check": "fact", "factcheck": "fact", "claim": "claim"}
UNTAGGED = ("claim", "Unverified")
"""(kind, verdict) of an annotation no tag gives a verdict to."""


@dataclass(frozen=True, slots=True)
class TagMap:
    """Tag meanings (keys casefolded)."""

    kinds: dict[str, str]
    """Tag → ``fact`` or ``claim``."""
    verdicts: dict[str, str]
    """Tag → verdict word (as the verdict scales spell it)."""


def _kind_of(verdict: str) -> str:
    return next(k.name for k in KINDS if verdict in k.verdicts)


def default_map() -> TagMap:
    """Verdict words and the kind words, nothing else."""
    verdicts = {v.casefold(): v for k in KINDS for v in k.verdicts}
    return TagMap(dict(DEFAULT_KIND_TAGS), verdicts)


def read_map(text: str, path: str) -> TagMap:
    """A mapping file (module docstring) over the defaults; every problem located, all at once."""
    errors: list[GlossError] = []
    doc = YamlDocument(text, path, 1, errors)
    result = default_map()
    if doc.root is None:
        raise_all(errors)
        return result
    fields = Fields(doc, doc.root, "the tag map", MAP_KEYS)
    for kind in ("fact", "claim"):
        listed: tuple[str, ...] = fields.get(kind, as_text_list, "a list of tags", ())
        for name in listed:
            result.kinds[name.casefold()] = kind
    node = fields.node_of("verdicts")
    if fields.has("verdicts"):
        known = [v for k in KINDS for v in k.verdicts]
        if not isinstance(node, yaml.MappingNode):
            doc.error("verdicts must be a mapping of `tag: Verdict` lines", node, 'like  "incorrect": "Inaccurate"')
        for key_node, value_node in node.value if isinstance(node, yaml.MappingNode) else ():
            tag = str(doc.value(key_node))
            verdict = doc.value(value_node)
            if verdict not in known:
                doc.error(f'"{tag}" maps to {verdict!r}, which is not a verdict', value_node,
                          "verdicts: " + ", ".join(known))
                continue
            result.verdicts[tag.casefold()] = str(verdict)
    raise_all(errors)
    return result


def kind_and_verdict(tags: tuple[str, ...], motivation: str | None, tag_map: TagMap) -> tuple[str, str, bool] | str:
    """(kind, verdict, whether tags gave the verdict), or why the tags cannot make a note."""
    kinds = {tag_map.kinds[t.casefold()] for t in tags if t.casefold() in tag_map.kinds}
    if motivation in MOTIVATION_KINDS:
        kinds.add(MOTIVATION_KINDS[motivation])
    verdicts = sorted({tag_map.verdicts[t.casefold()] for t in tags if t.casefold() in tag_map.verdicts})
    if len(kinds) > 1:
        return "its tags make it both a fact and a claim"
    if len(verdicts) > 1:
        return "its tags give more than one verdict (" + ", ".join(verdicts) + ")"
    if verdicts:
        verdict_kind = _kind_of(verdicts[0])
        if kinds and kinds != {verdict_kind}:
            return f'it is marked as a {kinds.pop()}, but "{verdicts[0]}" is a {verdict_kind} verdict'
        return verdict_kind, verdicts[0], True
    if kinds == {"fact"}:
        return "it is marked as a fact check but no tag gives a fact verdict (" + ", ".join(KIND["fact"].verdicts) + ")"
    return UNTAGGED[0], UNTAGGED[1], False
