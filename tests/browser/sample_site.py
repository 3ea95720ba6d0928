"""A small hand-written site shaped like Gloss output (index, article, tag, claims, 404).

It is clean - valid HTML, no axe violations, no broken links - so the negative tests can break
one thing at a time and show that exactly that is reported. It also lets the harness run
without the generator (``GLOSS_TEST_SITE=sample``).
"""

from __future__ import annotations

from pathlib import Path

CSS = """\
:root { color-scheme: light; font-family: "DejaVu Sans", sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a; background: #fff; }
a { color: #0645ad; }
.note-kind { font-weight: bold; }
article.comment { border-left: 3px solid #767676; padding-left: .75rem; margin: 1rem 0; }
article.comment article.comment { margin-left: .5rem; }
pre { overflow-x: auto; padding: .5rem; border: 1px solid #767676; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""

FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
           '<rect width="16" height="16" fill="#0645ad"/></svg>\n')


def page(title: str, depth: int, main: str, *, lang: str = "en") -> str:
    up = "../" * depth
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{up}favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{up}static/style.css">
</head>
<body>
<header><nav aria-label="Site"><a href="{up}index.html">Home</a> · <a href="{up}claims/index.html">Claims</a></nav></header>
<main id="main">
{main}
</main>
<footer><p>Sample site for the Gloss browser tests.</p></footer>
</body>
</html>
"""


ARTICLE = """<article>
<h1>Putin visits North Korea</h1>
<p><time datetime="2024-06-18">18 June 2024</time> · <a href="../../tags/russia/index.html">russia</a></p>
<div class="article-body">
<p>In a move that has reverberated across the global stage, Russian President Vladimir Putin is slated to visit North Korea.</p>
<p>South Korea has <mark id="ref-cma">scrapped its 2018 military agreement</mark><a href="#note-cma"><sup>1</sup></a>.</p>
<pre tabindex="0" role="group" aria-label="Code: python"><code>shipments = [s for s in ledger.entries(route="Rason-Vladivostok", since="2023-08-01") if s.kind == "munitions"]
</code></pre>
<p>Analysts suggest that <mark id="ref-weapons">Russia is in dire need of weaponry</mark><a href="#note-weapons"><sup>2</sup></a>.</p>
</div>
<section aria-labelledby="notes-h">
<h2 id="notes-h">Notes</h2>
<ol>
<li id="note-cma"><span class="note-kind">Fact</span>: Accurate. <a href="https://example.org/cma">Source</a> <a href="#ref-cma">Back to text</a></li>
<li id="note-weapons"><span class="note-kind">Claim</span>: Unverified. <a href="#ref-weapons">Back to text</a></li>
</ol>
</section>
<section aria-labelledby="discussion-h">
<h2 id="discussion-h">Discussion</h2>
<article class="comment" id="c1">
<p><b>Reader</b> · <a href="#c1"><time datetime="2024-06-18T20:25">18 June 2024, 20:25</time></a></p>
<p>Putin's kiss-off with Kim is a disaster waiting to explode.</p>
<article class="comment" id="c2">
<p><b>Kimberly</b> · <a href="#c2"><time datetime="2024-06-25T16:03">25 June 2024, 16:03</time></a> · replying to <a href="#c1">Reader, 18 June 2024, 20:25</a> (inferred)</p>
<p>When you stare at the chessboard of global geopolitics, this looks like a reckless gamble.</p>
</article>
</article>
</section>
</article>"""


def write_sample_site(root: Path) -> Path:
    """Write the clean sample site into ``root`` (created) and return it."""
    root = Path(root)
    files = {
        "favicon.svg": FAVICON,
        "static/style.css": CSS,
        "index.html": page("Gloss sample", 0, """<h1>Articles</h1>
<ul><li><a href="articles/putin-visit/index.html">Putin visits North Korea</a> (2 notes, 2 comments)</li></ul>"""),
        "articles/putin-visit/index.html": page("Putin visits North Korea", 2, ARTICLE),
        "tags/russia/index.html": page("Tag: russia", 2, """<h1>Tag: russia</h1>
<ul><li><a href="../../articles/putin-visit/index.html">Putin visits North Korea</a></li></ul>"""),
        "claims/index.html": page("Claims", 1, """<h1>Claims and facts</h1>
<ul><li><a href="../articles/putin-visit/index.html#note-cma">Fact: Accurate</a></li>
<li><a href="../articles/putin-visit/index.html#note-weapons">Claim: Unverified</a></li></ul>"""),
        "404.html": page("Not found", 0, """<h1>Page not found</h1>
<p><a href="index.html">Back to the articles</a></p>"""),
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
