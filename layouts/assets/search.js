// The site's own search box over the Pagefind index, and the frames of wide tables.
//
// Pagefind finds candidate pages (its Chinese segmentation gives it a good recall but it
// also matches parts of a query: 量子计算 finds pages with 量子 or 计算, 银发 finds 发展).
// So every candidate is checked against its full text here: a result is an ARTICLE that
// contains every term of the query exactly (ASCII terms as whole tokens: 5G never matches
// the 5 of "15G" or a row number, 85.6% never matches 185.6%). Articles are cut out of the
// page text at their titles, which carry ids ending in "-title"; each result names its
// article, gives the issue as context and links into that article's sections.
// Paths are worked out from this page's address, so the site works under any sub-path.
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
  var MAX_PAGES = 60; // candidate pages checked per query
  var MAX_SECTIONS = 3; // section links shown per article
  var loading = null;
  var sequence = 0;
  var timer = 0;
  form.hidden = false;

  // The index comes in bundles, one per year (pagefind/2025/), so that a build re-indexes only the
  // years it changed; pagefind/bundles.json lists them, newest first. The newest bundle's pagefind.js
  // is loaded and the others are merged into it: one search runs over all of them.
  function load() {
    if (!loading) {
      var options = { baseUrl: root.pathname };
      loading = fetch(new URL("pagefind/bundles.json", root).href)
        .then(function (response) {
          if (!response.ok) {
            throw new Error("pagefind/bundles.json: HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (listed) {
          var bundles = listed.bundles || [];
          if (bundles.length === 0) {
            return { search: function () { return Promise.resolve({ results: [] }); } }; // nothing published yet
          }
          var folder = function (name) { return new URL("pagefind/" + name + "/", root).href; };
          return import(folder(bundles[0]) + "pagefind.js").then(function (pagefind) {
            return Promise.resolve(pagefind.options(options))
              .then(function () {
                return Promise.all(bundles.slice(1).map(function (name) {
                  return pagefind.mergeIndex(folder(name), options);
                }));
              })
              .then(function () { return pagefind; });
          });
        });
      loading.catch(function () {
        loading = null; // try again with the next query
      });
    }
    return loading;
  }

  function show(message) {
    panel.hidden = false;
    status.textContent = message;
  }

  function close() {
    panel.hidden = true;
  }

  // ---- matching ----
  var ALNUM = /[A-Za-z0-9]/;
  var DIGIT = /[0-9]/;

  function halfWidth(text) {
    return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    });
  }

  function terms(query) {
    return halfWidth(query).trim().split(/\s+/).filter(Boolean);
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Chinese is matched as the exact string; an ASCII word or number only as a whole token.
  function pattern(term) {
    var source = escapeRegExp(term);
    var first = term.charAt(0);
    var last = term.charAt(term.length - 1);
    if (ALNUM.test(first)) {
      source = "(?<![A-Za-z0-9])" + (DIGIT.test(first) ? "(?<![0-9][.,])" : "") + source;
    }
    if (ALNUM.test(last)) {
      source += "(?![A-Za-z0-9])" + (DIGIT.test(last) ? "(?![.,][0-9])" : "");
    }
    return source;
  }

  function matcher(words) {
    return new RegExp(words.map(pattern).join("|"), "gi");
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function highlight(text, words) {
    var out = "";
    var at = 0;
    text.replace(matcher(words), function (found, offset) {
      out += escapeHtml(text.slice(at, offset)) + "<mark>" + escapeHtml(found) + "</mark>";
      at = offset + found.length;
      return found;
    });
    return out + escapeHtml(text.slice(at));
  }

  // A stretch of text[start, end) around its first match, the matches marked.
  function excerpt(text, start, end, words) {
    var from = start;
    var match = text.slice(from, end).search(matcher(words));
    var at = match < 0 ? from : from + match;
    var left = Math.max(from, at - 24);
    var right = Math.min(end, at + 60);
    // Pagefind's text ends a heading with ". "; read it as a plain break.
    var snippet = text.slice(left, right).replace(/^[.\s]+/, "").replace(/([^\x00-\x7f])\. /g, "$1　")
      .replace(/\s*↩/g, "").trim();
    return (left > from ? "…" : "") + highlight(snippet, words) + (right < end ? "…" : "");
  }

  // The page's text cut into articles (at their titles) and sections (at their headings).
  function articles(data) {
    var text = data.content;
    var found = [];
    var current = null;
    var from = 0;
    (data.anchors || []).forEach(function (anchor) {
      if (!/^h[2-6]$/.test(anchor.element)) {
        return;
      }
      // An anchor's text ends with its permalink's hidden label (the page text leaves it out).
      var label = (anchor.text || "").replace(/#本[文节]链接$/, "").trim();
      var at = label ? text.indexOf(label, from) : -1;
      if (at < 0) {
        return;
      }
      from = at + label.length;
      if (/-title$/.test(anchor.id)) {
        current = { id: anchor.id.replace(/-title$/, ""), title: label, start: at, sections: [] };
        found.push(current);
      } else if (current) {
        current.sections.push({ id: anchor.id, title: label, start: at });
      }
    });
    if (found.length === 0) {
      found.push({ id: "", title: (data.meta && data.meta.title) || "", start: 0, sections: [] });
    }
    found.forEach(function (article, index) {
      article.end = index + 1 < found.length ? found[index + 1].start : text.length;
      article.sections.forEach(function (section, i) {
        section.end = i + 1 < article.sections.length ? article.sections[i + 1].start : article.end;
      });
    });
    return found;
  }

  function count(text, words) {
    return (text.match(matcher(words)) || []).length;
  }

  function hasAll(text, words) {
    return words.every(function (word) {
      return new RegExp(pattern(word), "i").test(text);
    });
  }

  function results(data, rank, words) {
    var page = data.url.split("#")[0];
    var text = data.content;
    var out = [];
    articles(data).forEach(function (article) {
      var body = text.slice(article.start, article.end);
      if (!hasAll(body, words)) {
        return;
      }
      var sections = article.sections
        .filter(function (section) {
          return count(text.slice(section.start, section.end), words) > 0;
        })
        .slice(0, MAX_SECTIONS)
        .map(function (section) {
          return {
            url: page + "#" + section.id,
            title: section.title,
            excerpt: excerpt(text, section.start + section.title.length, section.end, words)
          };
        });
      // The article's own excerpt: its opening text (before the first heading) when a term is there; otherwise
      // the first match, unless a section listed below shows that already.
      var opening = article.start + article.title.length;
      var intro = article.sections.length ? article.sections[0].start : article.end;
      var summary = count(text.slice(opening, intro), words) > 0 || sections.length === 0
        ? excerpt(text, opening, sections.length ? intro : article.end, words)
        : "";
      out.push({
        url: page + (article.id ? "#" + article.id : ""),
        title: article.title,
        context: (data.meta && data.meta.title) || "",
        excerpt: summary,
        sections: sections,
        score: count(body, words) + (hasAll(article.title, words) ? 10 : 0),
        rank: rank
      });
    });
    return out;
  }

  function render(query, found) {
    list.innerHTML = "";
    list.setAttribute("data-query", query);
    if (found.length === 0) {
      show("没有找到“" + query + "”");
      return;
    }
    show("找到 " + found.length + " 篇文章");
    found.forEach(function (result) {
      var item = document.createElement("li");
      item.className = "search-result";
      var html =
        '<a class="search-result-link" href="' + escapeHtml(result.url) + '">' +
        '<span class="search-result-title">' + escapeHtml(result.title) + "</span>" +
        '<span class="search-result-context">' + escapeHtml(result.context) + "</span></a>" +
        (result.excerpt ? '<p class="search-result-excerpt">' + result.excerpt + "</p>" : "");
      if (result.sections.length) {
        html += '<ul class="search-sections">' + result.sections.map(function (section) {
          return '<li><a class="search-section-link" href="' + escapeHtml(section.url) + '">' +
            escapeHtml(section.title) + "</a>" +
            '<p class="search-result-excerpt">' + section.excerpt + "</p></li>";
        }).join("") + "</ul>";
      }
      item.innerHTML = html;
      list.appendChild(item);
    });
  }

  function run(query) {
    var words = terms(query);
    var mine = ++sequence;
    clear.hidden = query === "";
    list.removeAttribute("data-query");
    if (words.length === 0) {
      list.innerHTML = "";
      close();
      return;
    }
    if (window.location.protocol === "file:") {
      list.innerHTML = "";
      show("无法搜索：本页是直接从文件（file://）打开的，浏览器不允许网页读取搜索索引。请通过网站地址访问，或运行 build.py serve 预览。");
      return;
    }
    show("正在搜索…");
    load()
      .then(function (pagefind) {
        return pagefind.search(words.join(" "));
      })
      .then(function (search) {
        var pages = (search && search.results ? search.results : []).slice(0, MAX_PAGES);
        return Promise.all(pages.map(function (page) { return page.data(); }));
      })
      .then(function (pages) {
        if (mine !== sequence) {
          return;
        }
        var found = [];
        pages.forEach(function (data, rank) {
          found = found.concat(results(data, rank, words));
        });
        found.sort(function (a, b) {
          return b.score - a.score || a.rank - b.rank;
        });
        render(query.trim(), found);
      })
      .catch(function (error) {
        if (mine === sequence) {
          list.innerHTML = "";
          show("搜索索引无法加载（" + (error && error.message ? error.message : error) + "），请稍后再试。");
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

  // Keyboard: ↓/↑ move between the result links, Esc closes the panel and returns to the box.
  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }
  box.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
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
    if (!box.contains(event.target)) {
      close();
    }
  });
  box.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) {
      close();
    }
  });
})();
