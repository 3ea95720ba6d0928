// Gloss preview, `gloss serve --edit` only: add, edit and delete notes from the page.
// GLOSS_SCHEMA (verdicts per kind, rating labels) is prepended by the server; the words shown come in the
// page's language from the meta tag's data-words (English keys; t() falls back to the English). Nothing
// here is in output/.
// The selection is sent as its rendered text plus 32 characters before and after it (the W3C export's
// text: margin-note markup removed, whitespace runs as one space), never as a DOM offset: the server
// finds it in the Markdown, so the same words twice are told apart by their context.
(() => {
  "use strict";
  const meta = document.querySelector('meta[name="gloss-edit"]');
  if (!meta || !meta.dataset.file) return;
  const token = meta.dataset.token, file = meta.dataset.file, version = meta.dataset.version;
  const WORDS = JSON.parse(meta.dataset.words || "{}");
  // "Edit note %(id)s" with { id: "x" } → the page language's text with the value put in.
  const t = (english, values = {}) => (WORDS[english] || english).replace(/%\((\w+)\)s/g, (all, name) => values[name] ?? all);
  const BODIES = ".article-body, .comment-body";
  const HIDDEN = ".margin-note, .note-drawer, .note-toggle-label, .note-ref, input, .gloss-edit-ui";
  const CONTEXT = 32;
  document.documentElement.classList.add("gloss-editing");

  const norm = (text) => text.replace(/[ \t\n\r\f]+/g, " ");
  function visibleText(fragment) {
    const holder = document.createElement("div");
    holder.append(fragment);
    holder.querySelectorAll(HIDDEN).forEach((el) => el.remove());
    return holder.textContent;
  }
  async function post(action, data) {
    const response = await fetch("/__gloss__/edit/" + action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Gloss-Token": token },
      body: JSON.stringify({ ...data, file, version }),
    });
    let reply = {};
    try { reply = await response.json(); } catch (e) { reply = { error: t("no answer from the preview") }; }
    return { status: response.status, reply };
  }
  function el(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  // ---------------------------------------------------------------- the form
  const ids = { n: 0 };
  function field(label, control) {
    control.id = "gloss-edit-f" + (++ids.n);
    return el("p", { className: "gloss-edit-field" }, el("label", { htmlFor: control.id, textContent: label }), control);
  }
  const kind = el("select", { name: "kind" }, el("option", { value: "fact", textContent: t("Fact check") }),
    el("option", { value: "claim", textContent: t("Claim") }));
  const verdict = el("select", { name: "verdict" });
  const rating = el("select", { name: "rating" });
  const claim = el("input", { name: "claim", type: "text", autocomplete: "off" });
  const body = el("textarea", { name: "body", rows: 4 });
  const claimant = el("input", { name: "claimant", type: "text", autocomplete: "off" });
  const sources = el("div", { className: "gloss-edit-sources" });
  const addSource = el("button", { type: "button", textContent: t("Add source"), className: "gloss-edit-secondary" });
  const status = el("p", { className: "gloss-edit-status", role: "status" });
  const save = el("button", { type: "submit", textContent: t("Save note") });
  const remove = el("button", { type: "button", textContent: t("Delete note"), className: "gloss-edit-danger" });
  const cancel = el("button", { type: "button", textContent: t("Cancel"), className: "gloss-edit-secondary" });
  const title = el("h2", { textContent: t("Add note") });
  const quoted = el("blockquote", { className: "gloss-edit-quote" });
  const claimField = field(t("Claim, in one line"), claim);
  const form = el("form", { method: "dialog" }, title, quoted, field(t("Kind"), kind), field(t("Verdict"), verdict),
    field(t("Rating"), rating), claimField, field(t("Note (Markdown)"), body),
    el("fieldset", {}, el("legend", { textContent: t("Sources") }), sources, addSource),
    field(t("Claimant (who made the claim)"), claimant), status,
    el("p", { className: "gloss-edit-buttons" }, save, remove, cancel));
  const dialog = el("dialog", { className: "gloss-edit-ui gloss-edit-dialog" }, form);
  dialog.setAttribute("aria-labelledby", (title.id = "gloss-edit-title"));
  document.body.append(dialog);

  function fillVerdicts(selected) {
    verdict.replaceChildren(...GLOSS_SCHEMA.verdicts[kind.value].map(
      (v) => el("option", { value: v, textContent: t(v), selected: v === selected })));
    fillRatings(rating.value);
  }
  // Only the ratings the chosen verdict allows (a rating outside its range is refused by the check).
  function fillRatings(selected) {
    const [low, high] = GLOSS_SCHEMA.ranges[verdict.value] || [1, 5];
    rating.replaceChildren(el("option", { value: "", textContent: t("No rating") }));
    for (const [value, label] of Object.entries(GLOSS_SCHEMA.ratings)) {
      if (Number(value) >= low && Number(value) <= high) {
        rating.append(el("option", { value, textContent: value + " – " + t(label), selected: value === String(selected) }));
      }
    }
  }
  kind.addEventListener("change", () => fillVerdicts());
  verdict.addEventListener("change", () => fillRatings(rating.value));
  function sourceRow(source = {}) {
    const row = el("div", { className: "gloss-edit-source" });
    const drop = el("button", { type: "button", textContent: t("Remove"), className: "gloss-edit-secondary" });
    drop.addEventListener("click", () => row.remove());
    row.append(field(t("Title"), el("input", { name: "source-title", value: source.title || "" })),
      field(t("URL"), el("input", { name: "source-url", type: "url", value: source.url || "" })),
      field(t("Date"), el("input", { name: "source-date", placeholder: t("YYYY-MM-DD"), value: source.date || "" })), drop);
    sources.append(row);
  }
  addSource.addEventListener("click", () => sourceRow());
  cancel.addEventListener("click", () => { dropDraft(); dialog.close(); });

  // A save on disk (another editor, or ours) rebuilds the site and reloads the page: whatever is in the
  // open form is kept in sessionStorage and the form comes back after the reload, so no typing is lost.
  const DRAFT = "gloss-edit-draft";
  const keepDraft = () => { if (current) sessionStorage.setItem(DRAFT, JSON.stringify({ file, state: current, note: noteFields() })); };
  const dropDraft = () => sessionStorage.removeItem(DRAFT);
  form.addEventListener("input", keepDraft);
  form.addEventListener("change", keepDraft);
  dialog.addEventListener("cancel", dropDraft);

  let current = null;  // { mode: "add", quote } or { mode: "edit", id }
  function open(state, note) {
    current = state;
    const adding = state.mode === "add";
    title.textContent = adding ? t("Add note") : t("Edit note %(id)s", { id: state.id });
    quoted.textContent = adding ? state.quote.exact : "";
    quoted.hidden = !adding;
    remove.hidden = adding;
    kind.value = note.kind || "fact";
    fillVerdicts(note.verdict);
    fillRatings(note.rating ? String(note.rating) : "");
    claim.value = note.claim || "";
    body.value = note.body || "";
    claimant.value = note.claimant || "";
    sources.replaceChildren();
    (note.sources || []).forEach(sourceRow);
    status.textContent = "";
    status.classList.remove("gloss-edit-error");
    save.disabled = remove.disabled = false;
    delete remove.dataset.armed;
    remove.textContent = t("Delete note");
    if (!dialog.open) dialog.showModal();
    body.focus();
    keepDraft();
  }
  function noteFields() {
    return {
      kind: kind.value, verdict: verdict.value, rating: rating.value ? Number(rating.value) : null,
      body: body.value, claimant: claimant.value, claim: claim.value,
      sources: [...sources.querySelectorAll(".gloss-edit-source")].map((row) => ({
        title: row.querySelector('[name="source-title"]').value,
        url: row.querySelector('[name="source-url"]').value,
        date: row.querySelector('[name="source-date"]').value,
      })),
    };
  }
  function say(text, error) {
    status.textContent = text;
    status.classList.toggle("gloss-edit-error", Boolean(error));
  }
  async function send(action, data) {
    save.disabled = remove.disabled = true;
    say(t("Saving…"));
    const { status: code, reply } = await post(action, data);
    if (code === 200) {
      dropDraft();
      // The preview rebuilds on the file change and the reload script brings the new page.
      say(action === "remove" ? t("Deleted; the page reloads…") : t("Saved as #%(id)s; the page reloads…", { id: reply.id }));
      return;
    }
    save.disabled = remove.disabled = false;
    // The server's reasons are its file:line:col messages (English, as on the command line); a
    // conflict, the one an editor meets in normal work, is said in the page's language.
    say(code === 409 ? t("Not saved: the file changed on disk since this page was built. Reload the page and make the change again.")
      : t("Not saved: %(reason)s", { reason: reply.error || t("error %(code)s", { code }) }), true);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (current.mode === "add") send("add", { quote: current.quote, note: noteFields() });
    else send("edit", { id: current.id, note: noteFields() });
  });
  // Deleting takes a second click on the same button: a slip of the mouse must not remove a note.
  remove.addEventListener("click", () => {
    if (remove.dataset.armed) return send("remove", { id: current.id });
    remove.dataset.armed = "1";
    remove.textContent = t("Delete: are you sure?");
  });

  async function edit(id) {
    const { status: code, reply } = await post("note", { id });
    if (code !== 200) { open({ mode: "edit", id }, {}); say(reply.error || t("error %(code)s", { code }), true); return; }
    open({ mode: "edit", id }, reply.note);
  }

  // ---------------------------------------------------------------- selecting text, and existing notes
  const addButton = el("button", { type: "button", className: "gloss-edit-ui gloss-edit-add", textContent: t("Add note"), hidden: true });
  document.body.append(addButton);
  let pending = null;

  function selectionQuote() {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    const start = range.startContainer.parentElement && range.startContainer.parentElement.closest(BODIES);
    const end = range.endContainer.parentElement && range.endContainer.parentElement.closest(BODIES);
    const holder = range.commonAncestorContainer.nodeType === 1 ? range.commonAncestorContainer
      : range.commonAncestorContainer.parentElement;
    const within = holder && (holder.closest(BODIES) || (start === end ? start : null));
    if (!within || start !== within || end !== within) return null;  // across texts: the server explains why
    const exact = norm(visibleText(range.cloneContents())).trim();
    if (!exact) return null;
    const before = document.createRange();
    before.setStart(within, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const after = document.createRange();
    after.setStart(range.endContainer, range.endOffset);
    after.setEnd(within, within.childNodes.length);
    const comment = within.closest("article.comment");
    return {
      exact,
      prefix: norm(visibleText(before.cloneContents())).slice(-CONTEXT),
      suffix: norm(visibleText(after.cloneContents())).slice(0, CONTEXT),
      within: within.classList.contains("article-body") ? "article" : comment ? comment.id : "",
      rect: range.getBoundingClientRect(),
    };
  }
  function showAdd() {
    const found = selectionQuote();
    if (!found) { addButton.hidden = true; pending = null; return; }
    pending = { exact: found.exact, prefix: found.prefix, suffix: found.suffix, within: found.within };
    addButton.style.top = (window.scrollY + found.rect.bottom + 6) + "px";
    addButton.style.left = Math.max(8, Math.min(window.scrollX + found.rect.left,
      window.scrollX + document.documentElement.clientWidth - 120)) + "px";
    addButton.hidden = false;
  }
  document.addEventListener("mouseup", (event) => { if (!event.target.closest(".gloss-edit-ui")) setTimeout(showAdd, 0); });
  document.addEventListener("keyup", (event) => { if (!event.target.closest(".gloss-edit-ui")) showAdd(); });
  document.addEventListener("selectionchange", () => { if (!dialog.open) setTimeout(showAdd, 0); });
  addButton.addEventListener("mousedown", (event) => event.preventDefault());  // keep the selection
  addButton.addEventListener("click", () => {
    if (!pending) return;
    addButton.hidden = true;
    open({ mode: "add", quote: pending }, { kind: "fact" });
  });

  const draft = JSON.parse(sessionStorage.getItem(DRAFT) || "null");
  if (draft && draft.file === file && draft.state) {
    open(draft.state, draft.note);
    claim.value = draft.note.claim || "";
    say(t("The page was rebuilt while you were editing; your note is kept. Check it and save again."));
  }

  // Inferred names and reply links: confirm (basis "editor") or reject (removed), as `gloss review` does.
  document.querySelectorAll("article.comment").forEach((comment) => {
    const marks = [[".comment-author > .inferred", "name", "Confirm the inferred name of comment %(id)s",
                    "Reject the inferred name of comment %(id)s"],
                   [".comment-reply-to > .inferred", "reply", "Confirm the inferred reply link of comment %(id)s",
                    "Reject the inferred reply link of comment %(id)s"]];
    for (const [selector, kind, confirmLabel, rejectLabel] of marks) {
      const mark = comment.querySelector(":scope > .comment-header " + selector);
      if (!mark) continue;
      const key = comment.id + ":" + kind;
      const status = el("span", { className: "gloss-edit-ui gloss-edit-review-status", role: "status" });
      const buttons = [["accept", "Confirm", confirmLabel], ["reject", "Reject", rejectLabel]].map(([decision, label, named]) => {
        const button = el("button", { type: "button", className: "gloss-edit-ui gloss-edit-review", textContent: t(label) });
        button.setAttribute("aria-label", t(named, { id: comment.id }));
        button.dataset.review = key;
        button.dataset.decision = decision;
        button.addEventListener("click", async () => {
          buttons.forEach((b) => { b.disabled = true; });
          status.textContent = t("Saving…");
          const { status: code, reply } = await post("review", { key, decision });
          status.textContent = code === 200 ? t("Saved; the page reloads…") : (reply.error || t("error %(code)s", { code }));
          if (code !== 200) buttons.forEach((b) => { b.disabled = false; });
        });
        return button;
      });
      mark.after(" ", ...buttons, status);
    }
  });

  document.querySelectorAll(BODIES).forEach((text) => {
    text.querySelectorAll(".gloss-span[data-note]").forEach((span) => {
      const id = span.dataset.note;
      const button = el("button", { type: "button", className: "gloss-edit-ui gloss-edit-note", textContent: t("Edit note") });
      button.setAttribute("aria-label", t("Edit note %(id)s", { id }));
      button.dataset.note = id;
      button.addEventListener("click", () => edit(id));
      const margin = document.getElementById("margin-" + id);
      (margin || span).append(button);
    });
  });
})();
