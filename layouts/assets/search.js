// Start the Pagefind search box. Paths are worked out from this page's
// address, so the site works from any sub-path of any server, offline.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") {
    return;
  }
  var root = new URL(box.getAttribute("data-root") || "./", window.location.href);
  var label = "搜索全部期刊";
  new PagefindUI({
    element: box,
    bundlePath: new URL("pagefind/", root).pathname,
    baseUrl: root.pathname,
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    translations: { placeholder: label, zero_results: "没有找到“[SEARCH_TERM]”" }
  });
  // The placeholder disappears while typing; give the input a lasting accessible name.
  var input = box.querySelector("input");
  if (input) {
    input.setAttribute("aria-label", label);
  }
})();
