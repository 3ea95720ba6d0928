"""Preview (beside the CLI): ``gloss serve`` — build, serve ``output/``, rebuild and reload the browser on every save.

The last stage, beside ``cli.py``; it only calls :func:`generator.build.pipeline.build` and reads ``output/``.

Design (chosen over python-livereload 2.7, which drops a change that arrives within 3 s of the previous
reload, injects before a literal lowercase ``</head>`` only, and builds inside its IO loop without catching
errors — docs/design.md §9; its ``/forcereload`` would work, but tornado plus our own watcher is more machinery than
a stdlib server, and we need our own error page, path checks and script injection anyway):

* **Watcher thread** (``watchfiles``, inotify): watches the content folder, the site's ``templates/`` (with
  ``static/``), ``site.yaml`` and the built-in templates. Changes that arrive while a build runs are kept by
  the watcher and trigger the next build, so no save is dropped. The thread is the only one that asks for
  builds: builds never overlap. It is armed *before* the first build, so a save during start-up is not
  lost either.
* **Builder process** (``builder.py``): the builds run in a process forked at start-up, before any thread,
  so they can fork the build's worker pool and use every core (a process with threads must not fork);
  it keeps its modules, compiled templates and caches warm, and sends back the result or the errors.
* **Generation counter**: after every build — once ``write.py`` has swapped the complete new ``output/``
  in, or once the build failed — the counter goes up and every waiting browser is told to reload.
* **Tiny HTTP server** (``http.server``, one thread per request): serves files under ``output/`` only, and
  injects ``<script src="/__gloss__/reload.js?g=N">`` before ``</head>`` of HTML responses (never on disk,
  so ``output/`` stays byte-identical to ``gloss build``). The script is same-origin, so the pages' CSP
  ``script-src 'self'`` allows it. It opens a Server-Sent-Events stream ``/__gloss__/events?g=N``; the
  server answers "reload" as soon as the generation differs from N — also when a build finished between
  serving the page and opening the stream, so a page can never stay stale.
* **Failed build**: every HTML request gets an error page (message, ``file:line:col``, ±3 source lines,
  hint; all escaped) carrying the same script, so the fixed save brings the article back by itself. The
  terminal shows each distinct failure once, one line per error, as ``gloss build`` does.
* **Who may connect** (``guard.py``): only the host names it printed (DNS rebinding), a deadline for the
  request headers, an idle timeout and a connection cap.
* **``--edit``** (``edit_api.py``, loopback only): the page's note editor (``edit_assets/``, served and
  injected only with ``--edit``) posts to ``/__gloss__/edit/…`` with the run's secret token; writes go
  through ``generator.editing`` and the watcher's rebuild reloads the page.
"""
