"""Editing (beside the CLI): change a content file's notes in place, touching only the bytes that must change.

Used by ``gloss note`` (the command line), ``gloss serve --edit`` (the preview's edit API) and the
annotation importers. The layers, each its own module:

* :mod:`.markdown_text` — the text a reader sees of a Markdown string, mapped back to the string, with
  what lies between (markup, paragraph breaks) so a selection that cannot be wrapped is refused.
* :mod:`.regions` — a content file's editable texts (the article body, each comment body) with a map from
  their characters to file offsets, and :func:`~.regions.locate_quote` (quote + context → file offsets).
* :mod:`.note_yaml` — the YAML of one note, written the way ``gloss import`` and the README write it.
* :mod:`.note_writer` — the public API: :func:`~.note_writer.add_note`, :func:`~.note_writer.edit_note`,
  :func:`~.note_writer.remove_note`, :func:`~.note_writer.unique_id`. Text in, text out; every result is
  re-parsed and checked as ``gloss check`` would before it is returned.
* :mod:`.note_file` — reading and writing the file itself: line ends and BOM kept, atomic replace, and a
  refusal when the file changed since it was read.
"""
