"""``gloss serve --edit``: the note editor in headless Chromium, and the edit API's refusals over raw HTTP.

Uses ``test_serve.py``'s subprocess server on a copy of ``tests/fixtures/sites/small/``. Browser tests
select words with a DOM Range (what a mouse drag makes), click "Add note", fill the form and wait for
the rebuilt page to show the note; timings are printed (``-s``), and asserted only loosely (10 s).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, expect
from browser.checks import overflowing_elements, run_axe
from test_serve import ARTICLE, CHROMIUM_ARGS, SMALL, TIMEOUT_MS, Server, _env, _get

pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SMALL, root)
    return root


@pytest.fixture
def editing(site: Path) -> Iterator[Server]:
    running = Server(site, "--edit")
    yield running
    running.kill()
    print(f"--- serve stdout:\n{running.stdout()}--- serve stderr:\n{running.stderr()}")


def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` (build cache and output excluded) with its digest."""
    skip = ("output", ".output.spare", ".gloss-cache")
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).parts[0].startswith(skip)}


def _page_meta(url: str) -> dict[str, str]:
    _, body, _ = _get(url, "/articles/harbour-bridge/")
    tag = re.search(rb'<meta name="gloss-edit"([^>]*)>', body)
    assert tag, body[:300]
    return {k.decode(): v.decode() for k, v in re.findall(rb'data-(\w+)="([^"]*)"', tag.group(1))}


def _post(url: str, path: str, data: object, headers: dict[str, str], host: str | None = None,
          method: str = "POST") -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        body = json.dumps(data).encode()
        conn.putrequest(method, path, skip_host=True)
        conn.putheader("Host", host or parts.netloc)
        for key, value in {"Content-Type": "application/json", "Content-Length": str(len(body)), **headers}.items():
            if value is not None:
                conn.putheader(key, value)
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _add_request(meta: dict[str, str], file: str = "harbour-bridge.md") -> dict[str, object]:
    return {"file": file, "version": meta.get("version", ""),
            "quote": {"exact": "reopened on Sunday", "prefix": "", "suffix": "", "within": "article"},
            "note": {"kind": "fact", "verdict": "Accurate", "body": "It did."}}


# --------------------------------------------------------------------------- over raw HTTP


def test_a_good_request_writes_and_every_refused_one_changes_nothing(site: Path, editing: Server) -> None:
    url = editing.url()
    origin = url.rstrip("/")
    meta = _page_meta(url)
    good = {"Origin": origin, "X-Gloss-Token": meta["token"]}
    before = _tree(site)
    refused = [
        ({"Origin": origin}, _add_request(meta), None, 403),  # no token
        ({**good, "X-Gloss-Token": "x" + meta["token"]}, _add_request(meta), None, 403),  # wrong token
        ({"X-Gloss-Token": meta["token"]}, _add_request(meta), None, 403),  # no Origin
        ({**good, "Origin": "http://evil.example"}, _add_request(meta), None, 403),  # foreign Origin
        ({**good, "Origin": "http://evil.example:" + str(urlsplit(url).port)}, _add_request(meta),
         "evil.example:" + str(urlsplit(url).port), 403),  # DNS rebinding: foreign Host (and Origin)
        ({**good, "Sec-Fetch-Site": "cross-site"}, _add_request(meta), None, 403),
        ({**good, "Content-Type": "text/plain"}, _add_request(meta), None, 415),  # a cross-site form's type
        (good, _add_request(meta, "../site.yaml"), None, 403),
        (good, _add_request(meta, "/etc/passwd"), None, 403),
        (good, _add_request(meta, "../content/harbour-bridge.md"), None, 403),
        (good, _add_request(meta, ".hidden.md"), None, 403),
        (good, _add_request(meta, "missing.md"), None, 403),
        (good, {**_add_request(meta), "version": "0000"}, None, 409),  # built from another version
        (good, {**_add_request(meta), "note": {"kind": "fact", "verdict": "Supported", "body": "x"}}, None, 400),
    ]
    for headers, data, host, status in refused:
        got, body = _post(url, "/__gloss__/edit/add", data, headers, host)
        assert got == status, (headers, data, got, body)
        assert _tree(site) == before, (headers, data)
    review = {"file": "harbour-bridge.md", "version": meta["version"], "key": "c2:reply", "decision": "accept"}
    for data, status in (({**review, "decision": "maybe"}, 400), ({**review, "key": "c1:reply"}, 400),
                         ({**review, "key": "c2:name"}, 400), ({**review, "version": "0000"}, 409)):
        got, body = _post(url, "/__gloss__/edit/review", data, good)
        assert got == status, (data, got, body)
        assert _tree(site) == before, data
    got, body = _post(url, "/__gloss__/edit/review", review, {"Origin": origin})  # no token
    assert got == 403 and _tree(site) == before
    got, body = _post(url, "/__gloss__/edit/add", _add_request(meta), good, method="GET")
    assert got == 405
    got, body = _post(url, "/__gloss__/edit/add", _add_request(meta), good)
    assert got == 200 and json.loads(body) == {"id": "reopened-sunday"}
    assert "[reopened on Sunday]{.fact #reopened-sunday}" in (site / ARTICLE).read_text()
    got, body = _post(url, "/__gloss__/edit/remove", {"file": "harbour-bridge.md", "version": meta["version"],
                                                       "id": "reopened-sunday"}, good)
    assert got == 409  # the page's version is the one before the add
    assert b"changed on disk" in body and b"nothing was written" in body


def test_with_edit_output_is_what_gloss_build_makes(site: Path, editing: Server, tmp_path: Path) -> None:
    url = editing.url()
    served = _get(url, "/articles/harbour-bridge/")[1]
    on_disk = (site / "output" / "articles" / "harbour-bridge" / "index.html").read_bytes()
    assert b"gloss-edit" not in on_disk and b"gloss-edit" in served
    csp = re.search(rb'<meta http-equiv="Content-Security-Policy"[^>]*>', served)
    assert csp and csp.group(0) in on_disk  # the same CSP: the editor is same-origin script and style
    assert _get(url, "/__gloss__/edit.js")[0] == 200
    fresh = tmp_path / "fresh"
    shutil.copytree(SMALL, fresh)
    subprocess.run([sys.executable, "-m", "generator", "build", "--no-search"], cwd=fresh, env=_env(), check=True,
                   capture_output=True)
    assert _tree_all(site / "output") == _tree_all(fresh / "output")


def _tree_all(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_without_edit_nothing_of_the_editor_is_served(site: Path) -> None:
    running = Server(site)
    try:
        url = running.url()
        _, page, _ = _get(url, "/articles/harbour-bridge/")
        on_disk = (site / "output" / "articles" / "harbour-bridge" / "index.html").read_bytes()
        assert re.sub(rb'<script src="/__gloss__/reload\.js\?g=\d+"></script>', b"", page) == on_disk
        assert _get(url, "/__gloss__/edit.js")[0] == 404
        status, _ = _post(url, "/__gloss__/edit/add", {}, {"Origin": url.rstrip("/")})
        assert status == 501
    finally:
        running.kill()


def test_edit_refuses_a_non_loopback_address(site: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "serve", "--edit", "--host", "0.0.0.0", "--port", "0"],
                            cwd=site, env=_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--edit works only on a loopback address" in result.stderr
    assert not (site / "output").exists()


# --------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def chromium(playwright_session: Playwright) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium not found: install it with `apt-get install chromium`")
    browser = playwright_session.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium: Browser, editing: Server) -> Iterator[Page]:
    context = chromium.new_context()
    opened = context.new_page()
    console: list[str] = []

    def record(message: ConsoleMessage) -> None:
        console.append(message.text)

    opened.on("console", record)
    opened.goto(editing.url() + "articles/harbour-bridge/")
    yield opened
    context.close()
    assert not [m for m in console if "Content Security Policy" in m or "Error" in m], console


def site_url(page: Page) -> str:
    parts = urlsplit(page.url)
    return f"{parts.scheme}://{parts.netloc}/"


SELECT = """([selector, phrase, nth]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.margin-note, .note-drawer, .note-toggle-label, .note-ref')) continue;
    let at = node.data.indexOf(phrase);
    while (at >= 0) {
      if (seen++ === nth) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + phrase.length);
        const selection = document.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        return true;
      }
      at = node.data.indexOf(phrase, at + 1);
    }
  }
  return false;
}"""


def _select(page: Page, selector: str, phrase: str, nth: int = 0) -> None:
    assert page.evaluate(SELECT, [selector, phrase, nth]), phrase
    expect(page.locator(".gloss-edit-add")).to_be_visible()


def _fill_and_save(page: Page, kind: str, verdict: str, body: str, claim: str = "") -> float:
    page.locator(".gloss-edit-add").click()
    dialog = page.locator("dialog.gloss-edit-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Kind").select_option(kind)
    dialog.get_by_label("Verdict").select_option(verdict)
    if claim:
        dialog.get_by_label("Claim, in one line").fill(claim)
    dialog.get_by_label("Note (Markdown)").fill(body)
    started = time.monotonic()
    dialog.get_by_role("button", name="Save note").click()
    return started


def _save_as_an_editor_does(path: Path, text: str) -> None:
    """Write beside the file, then rename over it: one change on disk, so one rebuild and one reload."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text)
    os.replace(temporary, path)


def _settled(page: Page, url: str) -> None:
    """Wait until the open page is the newest build (its reload script's generation is the server's)."""
    def newest() -> bytes:
        found = re.search(rb"reload\.js\?g=(\d+)", _get(url, "/articles/harbour-bridge/")[1])
        return found.group(1) if found else b""

    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        shown = page.evaluate("document.querySelector('script[src*=\"reload.js\"]')?.src || ''")
        if (generation := newest()) and shown.endswith("g=" + generation.decode()):
            time.sleep(0.3)
            if newest() == generation:
                return
        time.sleep(0.1)
    pytest.fail("the page did not settle on the newest build")


def _check(site: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=site, env=_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_add_a_note_in_the_article_and_in_a_comment(page: Page, site: Path) -> None:
    _select(page, ".article-body", "reopened on Sunday")
    started = _fill_and_save(page, "fact", "Accurate", "The council's notice says so.")
    expect(page.locator("#span-reopened-sunday")).to_have_text("reopened on Sunday", timeout=TIMEOUT_MS)
    print(f"article note visible after {time.monotonic() - started:.2f} s")
    expect(page.locator("#margin-reopened-sunday")).to_contain_text("The council's notice says so.")
    _check(site)
    _settled(page, site_url(page))
    _select(page, "#c3 .comment-body", "Who paid")
    started = _fill_and_save(page, "claim", "Unverified", "Nobody has said.", claim="Who paid for the bridge")
    expect(page.locator("#span-who-paid-bridge")).to_have_text("Who paid", timeout=TIMEOUT_MS)
    print(f"comment note visible after {time.monotonic() - started:.2f} s")
    assert "      [Who paid]{.claim #who-paid-bridge} for it?\n" in (site / ARTICLE).read_text()
    assert '    claim: "Who paid for the bridge"\n' in (site / ARTICLE).read_text()  # stored, not only the id
    _check(site)


def test_the_selected_one_of_two_equal_phrases_is_marked(page: Page, site: Path) -> None:
    article = site / ARTICLE
    original = article.read_text()
    twice = original.replace("reopened on Sunday.", "reopened on Sunday. The bridge reopened, finally.")
    _save_as_an_editor_does(article, twice)
    expect(page.locator(".article-body")).to_contain_text("finally", timeout=TIMEOUT_MS)
    _settled(page, site_url(page))
    _select(page, ".article-body", "bridge", nth=1)  # "The harbour bridge, …" is the first
    _fill_and_save(page, "fact", "Accurate", "Second one.", claim="second bridge")
    expect(page.locator("#span-second-bridge")).to_be_visible(timeout=TIMEOUT_MS)
    assert "The [bridge]{.fact #second-bridge} reopened, finally." in article.read_text()
    assert "The harbour bridge, [closed" in article.read_text()


def test_edit_then_delete_a_note(page: Page, site: Path) -> None:
    original = (site / ARTICLE).read_bytes()
    page.get_by_role("button", name="Edit note cost").click()
    dialog = page.locator("dialog.gloss-edit-dialog")
    expect(dialog.get_by_label("Note (Markdown)")).to_have_value("No budget document supports the figure.")
    dialog.get_by_label("Verdict").select_option("Misleading")
    dialog.get_by_role("button", name="Save note").click()
    expect(page.locator("#margin-cost .verdict")).to_have_text("◐ Misleading", timeout=TIMEOUT_MS)
    assert '    verdict: "Misleading"\n' in (site / ARTICLE).read_text()
    _settled(page, site_url(page))
    page.get_by_role("button", name="Edit note cost").click()
    expect(dialog.get_by_label("Verdict")).to_have_value("Misleading")
    dialog.get_by_role("button", name="Delete note").click()
    time.sleep(0.5)
    assert "#cost" in (site / ARTICLE).read_text()  # one click only asks
    dialog.get_by_role("button", name="Delete: are you sure?").click()
    expect(page.locator("#span-cost")).to_have_count(0, timeout=TIMEOUT_MS)
    text = (site / ARTICLE).read_text()
    assert "cost:" not in text.split("comments:")[0] and "the work cost 40 million euros, a figure" in text
    _check(site)
    assert len((site / ARTICLE).read_bytes()) < len(original)


def test_a_concurrent_external_edit_gets_409_and_both_edits_survive(page: Page, site: Path) -> None:
    article = site / ARTICLE
    # Hold the reload stream, so the save certainly reaches the server before the page reloads.
    page.route("**/__gloss__/events*", lambda route: route.abort())
    page.reload()
    _select(page, ".article-body", "reopened on Sunday")
    page.locator(".gloss-edit-add").click()  # the form is open while someone saves the file in an editor
    theirs = article.read_text().replace("a figure the audit office", "a figure the national audit office")
    _save_as_an_editor_does(article, theirs)
    dialog = page.locator("dialog.gloss-edit-dialog")
    dialog.get_by_label("Note (Markdown)").fill("Mine.")
    dialog.get_by_role("button", name="Save note").click()
    expect(dialog.locator(".gloss-edit-status")).to_contain_text("changed on disk", timeout=TIMEOUT_MS)
    assert article.read_text() == theirs  # theirs kept, nothing of mine written
    # The page reloads (as the reload script does) with the new version; the form comes back as it was.
    page.unroute("**/__gloss__/events*")
    page.reload()
    expect(page.locator(".article-body")).to_contain_text("national audit office", timeout=TIMEOUT_MS)
    expect(dialog.get_by_label("Note (Markdown)")).to_have_value("Mine.")
    expect(dialog.locator(".gloss-edit-quote")).to_have_text("reopened on Sunday")
    dialog.get_by_role("button", name="Save note").click()
    expect(page.locator("#span-reopened-sunday")).to_be_visible(timeout=TIMEOUT_MS)
    text = article.read_text()
    assert "national audit office" in text and "[reopened on Sunday]{.fact #reopened-sunday}" in text


def test_the_editor_fits_a_phone(chromium: Browser, editing: Server) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        phone.goto(editing.url() + "articles/harbour-bridge/")
        _select(phone, ".article-body", "reopened on Sunday")
        phone.locator(".gloss-edit-add").click()
        box = phone.locator("dialog.gloss-edit-dialog").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert not overflowing_elements(phone)
        problems = run_axe(phone, where="the note editor at 390px")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_a_selection_across_a_paragraph_gets_a_clear_message(page: Page, site: Path) -> None:
    before = (site / ARTICLE).read_bytes()
    page.evaluate("""() => {
      const paragraphs = document.querySelectorAll('#c2 .comment-body p');
      const range = document.createRange();
      range.setStart(paragraphs[0].firstChild, 0);
      range.setEnd(paragraphs[1].firstChild, 3);
      document.getSelection().removeAllRanges();
      document.getSelection().addRange(range);
      document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""")
    _fill_and_save(page, "fact", "Accurate", "x")
    status = page.locator("dialog.gloss-edit-dialog .gloss-edit-status")
    expect(status).to_contain_text("crosses a paragraph break", timeout=TIMEOUT_MS)
    expect(status).to_contain_text("content/harbour-bridge.md:")
    assert (site / ARTICLE).read_bytes() == before


def test_a_foreign_page_in_chromium_cannot_write_even_with_the_token(
    chromium: Browser, editing: Server, site: Path
) -> None:
    """A cross-site page: its fetch needs a CORS preflight (never granted), its form and no-cors posts
    carry a foreign Origin; none of them changes a file, even knowing the token."""
    url = editing.url()
    token = _page_meta(url)["token"]
    before = _tree(site)
    context = chromium.new_context()
    try:
        evil = context.new_page()
        evil.route("http://evil.test/**", lambda route: route.fulfill(
            status=200, content_type="text/html",
            body=f'<!doctype html><title>evil</title><form method="post" enctype="text/plain" '
                 f'action="{url}__gloss__/edit/remove"><input name=\'{{"file":"harbour-bridge.md","id":"cost","x":"\' '
                 f'value=\'"}}\'></form>'))
        evil.goto("http://evil.test/")
        outcome = evil.evaluate("""async ([url, token]) => {
          const body = JSON.stringify({file: "harbour-bridge.md", id: "cost"});
          const out = [];
          try {
            await fetch(url + "__gloss__/edit/remove", {method: "POST", body,
              headers: {"Content-Type": "application/json", "X-Gloss-Token": token}});
            out.push("cors fetch went through");
          } catch (e) { out.push("cors fetch refused"); }
          await fetch(url + "__gloss__/edit/remove", {method: "POST", mode: "no-cors", body,
            headers: {"Content-Type": "text/plain"}}).catch(() => null);
          return out;
        }""", [url, token])
        assert outcome == ["cors fetch refused"]
        with evil.expect_navigation():
            evil.evaluate("document.forms[0].submit()")
        assert "403" in evil.content() or "does not come from" in evil.content()
    finally:
        context.close()
    assert _tree(site) == before


def test_a_temporary_dot_file_in_content_causes_no_reload(site: Path, editing: Server) -> None:
    """The writer's temporary file must not reload the page on its own (a second reload would close the
    editor's form under the user's hands)."""
    url = editing.url()
    _, page, _ = _get(url, "/articles/harbour-bridge/")
    generation = re.search(rb"reload\.js\?g=(\d+)", page)
    assert generation
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=10) as stream:
        stream.sendall(f"GET /__gloss__/events?g={generation.group(1).decode()} HTTP/1.1\r\n"
                       f"Host: {parts.netloc}\r\n\r\n".encode())
        seen = stream.recv(4096)
        assert seen.startswith(b"HTTP/1.0 200")
        (site / "content" / ".harbour-bridge.md.gloss-edit-1.tmp").write_text("scratch")
        (site / "content" / ".harbour-bridge.md.gloss-edit-1.tmp").unlink()
        stream.settimeout(2.0)
        try:
            while b"data:" not in seen and (chunk := stream.recv(4096)):
                seen += chunk
        except TimeoutError:
            pass
        assert b"data: reload" not in seen


def test_the_form_offers_only_the_ratings_the_verdict_allows(page: Page) -> None:
    from generator.content.note_kinds import VERDICT

    _select(page, ".article-body", "reopened on Sunday")
    page.locator(".gloss-edit-add").click()
    dialog = page.locator("dialog.gloss-edit-dialog")
    expect(dialog).to_be_visible()
    for kind, verdict in (("fact", "Inaccurate"), ("fact", "Accurate"), ("claim", "Misleading"), ("claim", "Supported")):
        dialog.get_by_label("Kind").select_option(kind)
        dialog.get_by_label("Verdict").select_option(verdict)
        offered = dialog.get_by_label("Rating").locator("option").evaluate_all("os => os.map(o => o.value)")
        allowed = VERDICT[verdict]
        assert offered == [""] + [str(r) for r in range(allowed.lowest, allowed.highest + 1)], (verdict, offered)


def test_inferred_links_are_confirmed_or_rejected_from_the_page(page: Page, site: Path) -> None:
    """The same operation as ``gloss review``: accept sets the basis to editor, reject removes the link."""
    before = (site / ARTICLE).read_text()
    assert '    reply_to: "c1"\n    reply_basis: "vocative"\n' in before
    confirm = page.get_by_role("button", name="Confirm the inferred reply link of comment c2")
    expect(confirm).to_be_visible()
    confirm.click()
    expect(page.locator("#c2 .comment-reply-to .inferred")).to_have_count(0, timeout=TIMEOUT_MS)
    after = (site / ARTICLE).read_text()
    assert after == before.replace('    reply_to: "c1"\n    reply_basis: "vocative"\n',
                                   '    reply_to: "c1"\n    reply_basis: "editor"\n')
    _check(site)


def test_rejecting_an_inferred_link_removes_it(page: Page, site: Path) -> None:
    before = (site / ARTICLE).read_text()
    page.get_by_role("button", name="Reject the inferred reply link of comment c2").click()
    expect(page.locator("#c2 .comment-reply-to")).to_have_count(0, timeout=TIMEOUT_MS)
    assert (site / ARTICLE).read_text() == before.replace(
        '    reply_to: "c1"\n    reply_basis: "vocative"\n', '    reply_to: null\n    reply_basis: null\n')
    _check(site)
