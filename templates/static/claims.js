/* Gloss: filter the claims list in place (claims/index.html).
 *
 * Without this script the filter links open static pages (claims/fact/, claims/verdict/accurate/ …).
 * With it, on the whole list, they become toggle buttons that filter the list where it is, and a
 * kind and a verdict can be combined. The choice is kept in the address (?kind=fact&verdict=accurate)
 * so it survives a reload and can be shared, and each choice is a history entry that Back undoes. A separate file because the page's CSP allows no
 * inline script.
 */
(function () {
  "use strict";
  var list = document.getElementById("claims-list");
  var status = document.getElementById("claims-count");
  var links = document.querySelectorAll("a[data-filter-group]");
  if (!list || !status || !links.length) {
    return;
  }
  var items = list.querySelectorAll("li[data-kind]");
  var chosen = { kind: "", verdict: "" };
  // The words come from the page, in the site's language: the count as built (this page is the
  // whole list) and, for a filtered view, data-showing with "{shown}" for the number shown.
  var allText = status.textContent;
  var showing = status.getAttribute("data-showing") || "{shown}";

  function apply() {
    var shown = 0;
    Array.prototype.forEach.call(items, function (item) {
      var match = (!chosen.kind || item.getAttribute("data-kind") === chosen.kind) &&
        (!chosen.verdict || item.getAttribute("data-verdict") === chosen.verdict);
      item.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    Array.prototype.forEach.call(links, function (link) {
      var group = link.getAttribute("data-filter-group");
      link.setAttribute("aria-pressed", String(chosen[group] === link.getAttribute("data-filter-value")));
      link.removeAttribute("aria-current");
    });
    status.textContent = (chosen.kind || chosen.verdict) ? showing.replace("{shown}", String(shown)) : allText;
  }

  // Each choice is a new history entry, so Back undoes it as it would undo opening a filter page.
  function remember() {
    var query = [];
    if (chosen.kind) { query.push("kind=" + encodeURIComponent(chosen.kind)); }
    if (chosen.verdict) { query.push("verdict=" + encodeURIComponent(chosen.verdict)); }
    if (window.history && window.history.pushState) {
      try {
        window.history.pushState(null, "", location.pathname + (query.length ? "?" + query.join("&") : "") + location.hash);
      } catch (e) { /* file:// in some browsers: the filter still works, the address just does not follow */ }
    }
  }

  function fromAddress() {
    var params = new URLSearchParams(location.search);
    chosen.kind = params.get("kind") || "";
    chosen.verdict = params.get("verdict") || "";
    apply();
  }

  Array.prototype.forEach.call(links, function (link) {
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var group = link.getAttribute("data-filter-group");
      var value = link.getAttribute("data-filter-value");
      chosen[group] = chosen[group] === value ? "" : value;
      apply();
      remember();
    });
    // Links answer Enter only; a button also answers Space.
    link.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        link.click();
      }
    });
  });

  // Back and Forward move between the choices (the page itself is not reloaded).
  window.addEventListener("popstate", fromAddress);
  fromAddress();
})();
