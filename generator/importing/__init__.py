"""Stage 1, import: a raw text dump (article, then timestamped comments) becomes one content file.

``importer`` runs it; ``timestamps`` finds the comment lines, ``replies`` and ``names`` infer who
answers whom, always with the evidence recorded as the basis.
"""
