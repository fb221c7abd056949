// Start the Pagefind search box. Paths are worked out from this page's
// address, so the site works from any sub-path of any server, offline.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") {
    return;
  }
  var root = new URL(box.getAttribute("data-root") || "./", window.location.href);
  new PagefindUI({
    element: box,
    bundlePath: new URL("pagefind/", root).pathname,
    baseUrl: root.pathname,
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    translations: { placeholder: "搜索全部期刊", zero_results: "没有找到“[SEARCH_TERM]”" }
  });
})();
