"""Shared by every stage: located errors, reading user files, slugs, the output-file record.

Nothing here imports from another part of Gloss.
"""
