"""``gloss annotations import``: W3C Web Annotation and Hypothesis JSON into a content file's notes.

Beside the CLI (it reads pages and writes through :mod:`generator.editing`): :mod:`.source_map`
aligns a page's rendered text with its Markdown, :mod:`.tag_map` turns tags into kinds and
verdicts, :mod:`.importer` anchors and adds each annotation, :mod:`.command` is the command.
The reading of the JSON and the anchoring itself are pure, in :mod:`generator.importing`.
"""
