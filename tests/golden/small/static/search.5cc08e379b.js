/* Gloss: start Pagefind's search box on search/index.html.
 *
 * A separate file because the CSP allows no inline script. Pagefind finds its bundle from the
 * address of pagefind-ui.js and its result links from where pagefind/ is served, so search works
 * at a host's root and under a sub-path. Browsers refuse to run it from file://; then the note
 * under the box (shown when search cannot start) says why. ?q=word starts a search at once.
 */
(function () {
  "use strict";
  var box = document.getElementById("search");
  var note = document.getElementById("search-note");
  if (!box || location.protocol === "file:" || typeof window.PagefindUI !== "function") {
    return;
  }
  var ui = new window.PagefindUI({
    element: "#search",
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  if (note) {
    note.hidden = true;
  }
  // Pagefind's box is named only by its placeholder and title; give it a visible label.
  var input = box.querySelector("input");
  if (input) {
    input.id = "search-input";
    var label = document.createElement("label");
    label.htmlFor = "search-input";
    label.className = "search-label";
    label.textContent = box.getAttribute("data-label") || "";
    box.parentNode.insertBefore(label, box);
  }
  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
