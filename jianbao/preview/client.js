// Live preview client, put into every page `serve` sends (never into output/):
// reloads the page when its issue was rebuilt, and shows the content errors over it.
// window.jianbaoPreview = {state, style, title, events} is set just before this script.
(function (config) {
  var state = config.state, page = state.version;
  function overlay(errors) {
    var box = document.getElementById("jianbao-overlay");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "jianbao-overlay";
      box.setAttribute("role", "alert");
      box.setAttribute("style", config.style);
      document.body.appendChild(box);
    }
    box.innerHTML = "";
    var title = document.createElement("p");
    title.style.cssText = "font-weight:bold;color:#b00";
    title.textContent = config.title;
    box.appendChild(title);
    var list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;font:15px/1.7 monospace";
    list.textContent = errors.join("\n");
    box.appendChild(list);
  }
  function mine(ids) {
    var first = location.pathname.split("/").filter(Boolean)[0];
    return !ids || !first || first === "index.html" || ids.indexOf(first) >= 0;
  }
  var source = new EventSource(config.events);
  source.onmessage = function (event) {
    var next = JSON.parse(event.data);
    if (next.errors.length) { overlay(next.errors); return; }
    if (next.version !== page && mine(next.ids)) { location.reload(); return; }
    page = next.version;
    overlay([]);
  };
})(window.jianbaoPreview);
