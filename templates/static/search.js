/* Gloss: start Pagefind's search box on search/index.html.
 *
 * A separate file because the CSP allows no inline script. Pagefind finds its bundle from the
 * address of pagefind-ui.js and its result links from where pagefind/ is served, so search works
 * at a host's root and under a sub-path. The index comes in shards (generator/build/search.py):
 * pagefind/ holds the first, pagefind/gloss-shards.json names the others, which are merged into
 * it (mergeIndex) so one search box searches them all. Browsers refuse to run it from file://;
 * then the note under the box (shown when search cannot start) says why. ?q=word starts a search
 * at once.
 */
(function () {
  "use strict";
  var box = document.getElementById("search");
  var note = document.getElementById("search-note");
  if (!box || location.protocol === "file:" || typeof window.PagefindUI !== "function") {
    return;
  }
  var script = document.querySelector('script[src*="pagefind-ui.js"]');
  var bundle = new URL(".", script ? script.src : location.href);
  fetch(new URL("gloss-shards.json", bundle).href, { cache: "no-cache" })  // a rebuild may change it
    .then(function (response) { return response.ok ? response.json() : { shards: [] }; })
    .catch(function () { return { shards: [] }; })
    .then(function (manifest) {
      start((manifest.shards || []).map(function (name) {
        return { bundlePath: new URL(name, bundle).pathname };
      }));
    });

  function start(shards) {
    var ui = new window.PagefindUI({
      element: "#search",
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      mergeIndex: shards
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
  }
})();
