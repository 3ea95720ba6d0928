"""Stage 5, build and write: decide what is stale, run the stages, write ``output/`` atomically.

``pipeline.build`` reads top to bottom as the stages it runs. ``uptodate`` decides whether
anything is to do at all from file stamps (``inputs``, ``state``); ``cache`` keeps parse
results between builds; ``article_worker`` parses and renders one article (in a worker
process); ``write`` assembles the new tree beside ``output/`` and swaps it in.
"""
