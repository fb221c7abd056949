// The site's search box, the marks a search leaves on the page it opens, and the frames of wide tables.
//
// The search runs here, over the text of every article (search/, written by jianbao/site/search.py):
// search/latest.bin holds the newest years and names the older volumes; all are fetched once, at the
// first focus or query, and kept. A result is an ARTICLE that holds every term of the query, Chinese
// as the exact string and a Latin word or a number only as a whole token (5G never matches the 5 of
// "15G", GDP never GDPR, 85.6% never 185.6%): nothing is segmented, so nothing is missed. Every
// result is listed (twenty more as the reader scrolls down the list), under the exact total. A result
// opens its article at the block that matched (a footnote, a table, the source line, else its
// section) with ?q= in the address, and the page it opens marks the terms and scrolls the first one
// into view. Paths are worked out from this page's address, so the site works under any sub-path.
(function () {
  "use strict";

  // ---- wide tables: mark the frames that scroll, so CSS shows the hint and shadows ----
  function markScrollingTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var frame = wrap.querySelector(".table-scroll");
      if (frame) {
        wrap.classList.toggle("scrolls", frame.scrollWidth > frame.clientWidth + 1);
      }
    });
  }
  markScrollingTables();
  window.addEventListener("load", markScrollingTables); // again once fonts and images have their sizes
  window.addEventListener("resize", markScrollingTables);

  // ---- the page's own address, for the printed page ----
  document.querySelectorAll(".print-address").forEach(function (element) {
    element.textContent = window.location.href.split(/[?#]/)[0];
  });

  // ---- matching: the same rules for the search and for the marks on a page ----
  var ALNUM = /[A-Za-z0-9]/;
  var DIGIT = /[0-9]/;

  // Full-width letters and digits as ASCII, ASCII in lower case: one character for one, so a position
  // in the folded text is the same position in the text.
  function fold(text) {
    return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/[A-Z]+/g, function (s) { return s.toLowerCase(); });
  }

  function terms(query) {
    var seen = {};
    return fold(query).trim().split(/\s+/).filter(function (term) {
      var fresh = term && !seen[term];
      seen[term] = true;
      return fresh;
    });
  }

  // Whether `term` found at `at` in `text` stands alone where it starts or ends with a letter or digit.
  function whole(text, at, term) {
    var before = text.charAt(at - 1);
    var after = text.charAt(at + term.length);
    if (ALNUM.test(term.charAt(0)) && (ALNUM.test(before) || DIGIT.test(term.charAt(0)) &&
        /[.,]/.test(before) && DIGIT.test(text.charAt(at - 2)))) {
      return false;
    }
    var last = term.charAt(term.length - 1);
    return !(ALNUM.test(last) && (ALNUM.test(after) || DIGIT.test(last) &&
        /[.,]/.test(after) && DIGIT.test(text.charAt(at + term.length + 1))));
  }

  // Every [start, end) where a term occurs in `folded`, in order, none overlapping.
  function occurrences(folded, words) {
    var found = [];
    words.forEach(function (term) {
      for (var at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
        if (whole(folded, at, term)) {
          found.push([at, at + term.length]);
        }
      }
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var kept = [];
    found.forEach(function (span) {
      if (!kept.length || span[0] >= kept[kept.length - 1][1]) {
        kept.push(span);
      }
    });
    return kept;
  }

  function contains(folded, term) {
    for (var at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
      if (whole(folded, at, term)) {
        return true;
      }
    }
    return false;
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  // text[from, to) with the occurrences marked; "…" where it was cut.
  function marked(text, spans, from, to) {
    var out = from > 0 ? "…" : "";
    var at = from;
    spans.forEach(function (span) {
      if (span[0] >= from && span[1] <= to) {
        out += escapeHtml(text.slice(at, span[0])) + "<mark>" + escapeHtml(text.slice(span[0], span[1])) + "</mark>";
        at = span[1];
      }
    });
    return out + escapeHtml(text.slice(at, to)) + (to < text.length ? "…" : "");
  }

  // A stretch of a block around its first occurrence.
  function excerpt(block, words) {
    var spans = occurrences(block.folded, words);
    var first = spans.length ? spans[0][0] : 0;
    var from = Math.max(0, first - 24);
    return marked(block.text, spans, from, Math.min(block.text.length, Math.max(first + 60, from + 84)));
  }

  function decoded(text) {
    try {
      return decodeURIComponent(text);
    } catch (error) {
      return text; // a stray % in an address typed by hand
    }
  }

  // ---- the marks on the page a result opened ----
  var SKIP = ".permalink, .fn-print, script, style, .search";

  function unmarkPage() {
    document.querySelectorAll("mark.search-hit").forEach(function (mark) {
      var parent = mark.parentNode;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
  }

  function markPage(words) {
    var main = document.querySelector("main");
    if (!main || !words.length) {
      return;
    }
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) {
      nodes.push(walker.currentNode);
    }
    nodes.forEach(function (node) {
      occurrences(fold(node.data), words).reverse().forEach(function (span) {
        var hit = node.splitText(span[0]);
        hit.splitText(span[1] - span[0]);
        var mark = document.createElement("mark");
        mark.className = "search-hit";
        hit.parentNode.replaceChild(mark, hit);
        mark.appendChild(hit);
      });
    });
  }

  // Mark the terms of ?q= and bring the first one in the addressed block (or the block itself) into view.
  function land() {
    var params = new URLSearchParams(window.location.search);
    unmarkPage();
    var words = terms(params.get("q") || "");
    markPage(words);
    var id = decoded(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    var first = (target || document).querySelector("mark.search-hit") || target;
    if (first && words.length) {
      first.scrollIntoView({ block: "center" });
    }
    return first && words.length ? first : null;
  }
  var landed = land();
  if (landed) {
    // The browser scrolls to the address's #fragment once more when the page has loaded: after it, again
    // (if that took the word out of view).
    window.addEventListener("load", function () {
      window.setTimeout(function () {
        var box = landed.getBoundingClientRect();
        if (box.bottom < 0 || box.top > window.innerHeight) {
          landed.scrollIntoView({ block: "center" });
        }
      }, 0);
    });
  }

  // ---- search ----
  var box = document.querySelector(".search[data-root]");
  if (!box) {
    return;
  }
  var form = box.querySelector("form");
  var input = box.querySelector("input");
  var clear = box.querySelector(".search-clear");
  var panel = box.querySelector(".search-panel");
  var status = box.querySelector(".search-status");
  var list = box.querySelector(".search-results");
  var root = new URL(box.getAttribute("data-root") || "./", window.location.href);
  var PAGE = 20; // results added each time the reader reaches the end of the list
  var MAX_PLACES = 3; // places linked under each result
  var loading = null;
  var sequence = 0;
  var timer = 0;
  var shown = null; // {query, words, results, count, done}
  form.hidden = false;

  function unzip(buffer) {
    var bytes = new Uint8Array(buffer);
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
      return Promise.resolve(new TextDecoder().decode(bytes)); // a server already took the gzip off
    }
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("浏览器版本过旧，不能解压搜索数据"));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }

  // One file of search/ (latest.bin asked again of the server if it changed; the others never change).
  function volume(name) {
    var url = new URL("search/" + name, root).href;
    return fetch(url, { cache: name === "latest.bin" ? "no-cache" : "default" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("search/" + name + ": HTTP " + response.status);
        }
        return response.arrayBuffer();
      })
      .then(unzip)
      .then(function (text) {
        var data = JSON.parse(text);
        if (data.format !== 1 || !Array.isArray(data.issues)) {
          throw new Error("search/" + name + " 不是本站的搜索数据");
        }
        data.issues.forEach(prepare);
        return data;
      });
  }

  function prepare(issue) {
    issue.articles.forEach(function (article) {
      article.blocks = article.blocks.map(function (block) {
        return { place: block[0], text: block[1], folded: fold(block[1]) };
      });
      article.foldedTitle = fold(article.title);
    });
  }

  // The search text: latest.bin, then the older volumes it names. `parts` grows as they arrive (newest
  // first); `complete` settles once all are there.
  function load() {
    if (!loading) {
      loading = volume("latest.bin").then(function (latest) {
        var older = latest.volumes || [];
        var corpus = { parts: [latest.issues], missing: older.length, complete: null };
        corpus.complete = Promise.all(older.map(function (entry, index) {
          return volume(entry.file).then(function (data) {
            corpus.parts[index + 1] = data.issues;
            corpus.missing -= 1;
          });
        })).then(function () { return corpus; });
        return corpus;
      });
      loading.catch(function () {
        loading = null; // try again with the next query
      });
    }
    return loading;
  }

  // Every article of the corpus that holds all the words, best first: those with the words in their
  // title, then those holding them most often, then the newest.
  function find(corpus, words) {
    var results = [];
    corpus.parts.forEach(function (issues) {
      (issues || []).forEach(function (issue) {
        issue.articles.forEach(function (article) {
          var hits = article.blocks.filter(function (block) {
            return words.some(function (term) { return contains(block.folded, term); });
          });
          var all = words.every(function (term) {
            return hits.some(function (block) { return contains(block.folded, term); });
          });
          if (all) {
            var count = hits.reduce(function (sum, block) {
              return sum + occurrences(block.folded, words).length;
            }, 0);
            var titled = words.every(function (term) { return contains(article.foldedTitle, term); });
            results.push({ issue: issue, article: article, hits: hits, score: count + (titled ? 1000 : 0),
              order: results.length });
          }
        });
      });
    });
    return results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
  }

  function link(issue, anchor, query) {
    var url = new URL(issue.url, root);
    url.search = "?q=" + encodeURIComponent(query);
    url.hash = anchor;
    return url.pathname + url.search + url.hash;
  }

  // One result: its article's title (linking to it), its issue, a stretch of its opening text when the words
  // are there, and the first few other places they are (a section, a table, a footnote, the source line).
  function item(result, words, query) {
    var article = result.article;
    var places = [];
    result.hits.forEach(function (block) {
      if (block.text === article.title && block.place === 0) {
        return; // the title, marked in the link itself
      }
      var place = places.filter(function (p) { return p.index === block.place; })[0];
      if (!place) {
        place = { index: block.place, anchor: article.places[block.place][0], label: article.places[block.place][1],
          blocks: [] };
        places.push(place);
      }
      place.blocks.push(block);
    });
    var opening = places[0] && places[0].index === 0 ? places.shift() : null;
    var html = '<a class="search-result-link" href="' + escapeHtml(link(result.issue, article.id, query)) + '">' +
      '<span class="search-result-title">' + markedText(article.title, words) + "</span>" +
      '<span class="search-result-context">' + escapeHtml(result.issue.label) +
      (result.issue.draft ? '<span class="draft-label">草稿</span>' : "") + "</span></a>";
    if (opening) {
      html += '<p class="search-result-excerpt">' + excerpt(opening.blocks[0], words) + "</p>";
    }
    if (places.length) {
      html += '<ul class="search-sections">' + places.slice(0, MAX_PLACES).map(function (place) {
        // A heading's own text is the link; the first other block there is the excerpt.
        var body = place.blocks.filter(function (block) { return block.text !== place.label; })[0];
        return '<li><a class="search-section-link" href="' + escapeHtml(link(result.issue, place.anchor, query)) +
          '">' + markedText(place.label || article.title, words) + "</a>" +
          (body ? '<p class="search-result-excerpt">' + excerpt(body, words) + "</p>" : "") + "</li>";
      }).join("") + (places.length > MAX_PLACES ? '<li class="search-more-places">另有 ' +
        (places.length - MAX_PLACES) + " 处</li>" : "") + "</ul>";
    }
    var element = document.createElement("li");
    element.className = "search-result";
    element.innerHTML = html;
    return element;
  }

  function markedText(text, words) {
    return marked(text, occurrences(fold(text), words), 0, text.length);
  }

  function show(message) {
    panel.hidden = false;
    status.textContent = message;
  }

  function close() {
    panel.hidden = true;
  }

  // The results listed so far, then the next PAGE of them when asked (or when the end of the list shows).
  function render(more) {
    var state = shown;
    var rest = state.results.length - state.count;
    var button = list.querySelector(".search-more");
    if (button) {
      button.parentNode.removeChild(button);
    }
    state.results.slice(state.count - (more ? more : state.count), state.count).forEach(function (result) {
      list.appendChild(item(result, state.words, state.query));
    });
    if (rest > 0) {
      var li = document.createElement("li");
      li.className = "search-more";
      li.innerHTML = '<button type="button" class="search-more-button">再显示 ' + Math.min(PAGE, rest) +
        " 篇（还有 " + rest + " 篇）</button>";
      list.appendChild(li);
      watch(li);
    }
  }

  // The next PAGE of results; the keyboard's focus, if it was on the "more" button, goes to the first of them.
  function more() {
    if (!shown || shown.count >= shown.results.length) {
      return;
    }
    var focused = document.activeElement && document.activeElement.classList.contains("search-more-button");
    var at = list.querySelectorAll(".search-result").length;
    var added = Math.min(PAGE, shown.results.length - shown.count);
    shown.count += added;
    render(added);
    var next = list.querySelectorAll(".search-result")[at];
    if (focused && next) {
      next.querySelector("a").focus();
    }
  }

  // Scrolled near the end of the list, it grows (not under the keyboard's focus: Enter does it there).
  var observer = typeof IntersectionObserver === "undefined" ? null : new IntersectionObserver(function (entries) {
    var button = list.querySelector(".search-more-button");
    if (entries.some(function (entry) { return entry.isIntersecting; }) && document.activeElement !== button) {
      more();
    }
  }, { root: panel, rootMargin: "0px 0px 200px 0px" });

  function watch(element) {
    if (observer) {
      observer.disconnect();
      observer.observe(element);
    }
  }

  function results(corpus, query, words, done) {
    var found = find(corpus, words);
    var keep = shown && shown.query === query ? Math.max(shown.count, PAGE) : PAGE;
    shown = { query: query, words: words, results: found, count: Math.min(keep, found.length), done: done };
    list.innerHTML = "";
    list.setAttribute("data-query", query);
    list.setAttribute("data-total", String(found.length));
    list.toggleAttribute("data-complete", done);
    if (found.length === 0) {
      show(done ? "没有找到“" + query + "”" : "正在搜索…");
      return;
    }
    show("找到 " + found.length + " 篇文章" + (done ? "" : "，正在查找更早的期刊…"));
    render(0);
  }

  function run(query) {
    var words = terms(query);
    var mine = ++sequence;
    query = query.trim();
    clear.hidden = query === "";
    list.removeAttribute("data-query");
    if (words.length === 0) {
      list.innerHTML = "";
      shown = null;
      close();
      return;
    }
    if (window.location.protocol === "file:") {
      list.innerHTML = "";
      show("无法搜索：本页是直接从文件（file://）打开的，浏览器不允许网页读取搜索数据。请通过网站地址访问，或运行 build.py serve 预览。");
      return;
    }
    if (!shown || shown.query !== query) {
      show("正在搜索…");
    }
    load()
      .then(function (corpus) {
        if (mine !== sequence) {
          return null;
        }
        results(corpus, query, words, corpus.missing === 0);
        return corpus.missing === 0 ? null : corpus.complete.then(function () {
          if (mine === sequence) {
            results(corpus, query, words, true);
          }
        });
      })
      .catch(function (error) {
        if (mine === sequence) {
          list.innerHTML = "";
          show("搜索数据无法加载（" + (error && error.message ? error.message : error) + "），请稍后再试。");
        }
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { run(input.value); }, 120);
  });
  input.addEventListener("focus", function () {
    if (window.location.protocol !== "file:") {
      load().catch(function () {});
    }
    if (input.value.trim() && list.childElementCount + status.textContent.length > 0) {
      panel.hidden = false;
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run(input.value);
  });
  clear.addEventListener("click", function () {
    input.value = "";
    run("");
    input.focus();
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest(".search-more-button")) {
      more();
      return;
    }
    var anchor = event.target.closest("a");
    if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return;
    }
    close();
    var url = new URL(anchor.href);
    if (url.pathname === window.location.pathname) {
      // The page already open: no reload, only the marks and the place.
      event.preventDefault();
      window.history.pushState(null, "", url.href);
      land();
      var target = document.getElementById(decoded(url.hash.slice(1)));
      if (target) {
        if (!target.hasAttribute("tabindex")) {
          target.setAttribute("tabindex", "-1");
        }
        target.focus({ preventScroll: true });
      }
    }
  });

  // Keyboard: ↓/↑ move between the result links, Esc closes the panel and returns to the box.
  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a, .search-more-button"));
  }
  box.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      if (at === all.length - 1) {
        more();
        all = links();
      }
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    } else if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault(); // the first Esc closes the panel; the next one clears the box (the browser's own)
      close();
      input.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (event.composedPath().indexOf(box) < 0) { // (the path as dispatched: a clicked "more" button is gone)
      close();
    }
  });
  box.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) {
      close();
    }
  });
  window.addEventListener("popstate", land);
})();
