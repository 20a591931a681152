// netvault: search over every note, offline and from file://.
//
// The index is split into scripts in search/ (netvault/search.py writes them):
// search/XY.js holds the terms that begin with XY, each with the ids of the notes
// that have it, by where (name or title, front matter, body); search/docs/KEY.js
// holds the notes themselves. Neither fetch nor WebAssembly works from file://
// under the page's policy, so this page adds a <script src> for each shard a query
// needs, and each shard hands its data to window.netvaultSearch.
//
// The query and the kind shown are kept in the URL (?q=…&kind=…), so a reload or
// a link shared gives the same results. Everything from a note is put in the page
// as text, never as HTML.
(function () {
  "use strict";

  var box = document.getElementById("search");
  if (!box) {
    return;
  }
  var root = box.getAttribute("data-root") || "";
  var shards = null; // the term shards there are (search/shards.js): no other is asked for
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var kindSelect = document.getElementById("search-kind");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var output = document.getElementById("search-count");

  var KINDS = { c: "contact", i: "interaction", o: "org", g: "goal", n: "note" };
  var KIND_LETTER = { contact: "c", interaction: "i", org: "o", goal: "g", note: "n" };
  var WEIGHTS = [100, 10, 1]; // a name or title, the front matter, the body
  var PAGE = 50; // results shown at a time
  var TERM_MAX = 40;
  // Han, kana and Hangul: each character is a term (as in search.py).
  var CJK =
    "\\u1100-\\u11ff\\u2e80-\\u2fdf\\u3005-\\u3007\\u3040-\\u30ff\\u3100-\\u312f" +
    "\\u3130-\\u318f\\u31a0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua960-\\ua97f" +
    "\\uac00-\\ud7ff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var TOKEN = new RegExp("[" + CJK + "]|(?:(?![" + CJK + "])[\\p{L}\\p{N}])+", "gu");
  var ONE_CJK = new RegExp("^[" + CJK + "]$", "u");
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var ALNUM = /^[a-z0-9]$/;

  // As search.fold: decomposed, without marks, case-folded, composed again.
  function fold(text) {
    return text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/ß/g, "ss")
      .replace(/ς/g, "σ")
      .normalize("NFC");
  }

  function terms(text) {
    return (fold(text).match(TOKEN) || []).map(function (token) {
      return Array.from(token).slice(0, TERM_MAX).join("");
    });
  }

  function termShard(term) {
    var first = term.charAt(0);
    if (ALNUM.test(first)) {
      var second = term.charAt(1);
      return first + (second && ALNUM.test(second) ? second : "_");
    }
    return "u" + term.codePointAt(0).toString(16);
  }

  // Shards arrive through these calls, one script each.
  var held = { terms: {}, docs: {} };
  var waiting = {};
  window.netvaultSearch = {
    terms: function (key, data) {
      held.terms[key] = data;
    },
    docs: function (key, data) {
      held.docs[key] = data;
    },
    shards: function (keys) {
      shards = {};
      keys.split(" ").forEach(function (key) {
        shards[key] = true;
      });
    },
  };

  function script(src, done) {
    var element = document.createElement("script");
    element.src = root + src;
    element.onload = element.onerror = done;
    document.head.appendChild(element);
  }

  function load(kind, key) {
    if (held[kind][key]) {
      return Promise.resolve(held[kind][key]);
    }
    var name = kind + ":" + key;
    if (!waiting[name]) {
      waiting[name] = new Promise(function (resolve) {
        script("search/" + (kind === "docs" ? "docs/" : "") + key + ".js", function () {
          held[kind][key] = held[kind][key] || {};
          delete waiting[name];
          resolve(held[kind][key]);
        });
      });
    }
    return waiting[name];
  }

  // Note ids as a shard writes them: a short one takes the first four characters
  // (kind and day) of the id before it.
  function unpack(text) {
    var out = [];
    var last = "";
    text.split(" ").forEach(function (token) {
      if (!token) {
        return;
      }
      if (token.length < 8) {
        token = last + token;
      }
      last = token.slice(0, 4);
      out.push(token);
    });
    return out;
  }

  // The notes that have `word` (the last word as a prefix), with the best score of each.
  function matches(word, prefix, shard) {
    var scores = new Map();
    Object.keys(shard).forEach(function (term) {
      var exact = term === word;
      if (!exact && !(prefix && term.lastIndexOf(word, 0) === 0)) {
        return;
      }
      shard[term].forEach(function (ids, tier) {
        var score = WEIGHTS[tier] * (exact ? 2 : 1);
        unpack(ids).forEach(function (id) {
          if ((scores.get(id) || 0) < score) {
            scores.set(id, score);
          }
        });
      });
    });
    return scores;
  }

  function rank(words) {
    var keys = words.map(termShard);
    var known = shards || {};
    if (
      keys.some(function (key) {
        return !known[key];
      })
    ) {
      return Promise.resolve([]);
    }
    return Promise.all(
      keys.map(function (key) {
        return load("terms", key);
      }),
    ).then(function (loaded) {
      var total = null;
      words.forEach(function (word, i) {
        var found = matches(word, i === words.length - 1, loaded[i]);
        if (total === null) {
          total = found;
          return;
        }
        var both = new Map();
        total.forEach(function (score, id) {
          if (found.has(id)) {
            both.set(id, score + found.get(id));
          }
        });
        total = both;
      });
      var ranked = [];
      total.forEach(function (score, id) {
        ranked.push({ id: id, score: score });
      });
      // Best first; of equal scores, the newest (the day is in the id), then by id.
      ranked.sort(function (a, b) {
        if (a.score !== b.score) {
          return b.score - a.score;
        }
        var day = b.id.slice(1, 4).localeCompare(a.id.slice(1, 4));
        return day || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      });
      return ranked;
    });
  }

  // A piece of the note's text around the first word that matches, the words marked.
  function snippet(text, words) {
    var p = document.createElement("p");
    p.className = "snippet";
    var found = [];
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      var folded = fold(match[0]);
      var hit = words.some(function (word) {
        return folded.indexOf(word) === 0 || (ONE_CJK.test(word) && folded.indexOf(word) !== -1);
      });
      if (hit) {
        found.push([match.index, match.index + match[0].length]);
      }
    }
    var start = 0;
    var end = Math.min(text.length, 200);
    if (found.length && found[0][1] > end) {
      start = Math.max(0, found[0][0] - 60);
      end = Math.min(text.length, start + 200);
    }
    var at = start;
    if (start > 0) {
      p.appendChild(document.createTextNode("… "));
    }
    found.forEach(function (span) {
      if (span[0] < at || span[1] > end) {
        return;
      }
      p.appendChild(document.createTextNode(text.slice(at, span[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      p.appendChild(mark);
      at = span[1];
    });
    p.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? " …" : "")));
    return p;
  }

  function row(id, doc, words) {
    var li = document.createElement("li");
    li.className = "search-result";
    var head = document.createElement("p");
    head.className = "result-head";
    var kind = document.createElement("span");
    kind.className = "kind kind-" + doc[0];
    kind.textContent = doc[0];
    var link = document.createElement("a");
    link.href = root + doc[2];
    link.textContent = doc[1];
    head.appendChild(kind);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(link);
    if (doc[4]) {
      var time = document.createElement("time");
      time.dateTime = doc[4];
      time.textContent = doc[4];
      head.appendChild(document.createTextNode(" "));
      head.appendChild(time);
    }
    li.appendChild(head);
    if (doc[5]) {
      li.appendChild(snippet(doc[5], words));
    }
    return li;
  }

  var current = { ranked: [], shown: 0, words: [], run: 0 };

  function showMore(run) {
    var next = current.ranked.slice(current.shown, current.shown + PAGE);
    var keys = [];
    next.forEach(function (item) {
      var key = item.id.slice(4, 6);
      if (keys.indexOf(key) === -1) {
        keys.push(key);
      }
    });
    return Promise.all(
      keys.map(function (key) {
        return load("docs", key);
      }),
    ).then(function () {
      if (run !== current.run) {
        return;
      }
      var fragment = document.createDocumentFragment();
      next.forEach(function (item) {
        var doc = (held.docs[item.id.slice(4, 6)] || {})[item.id];
        if (doc) {
          fragment.appendChild(row(item.id, doc, current.words));
        }
      });
      list.appendChild(fragment);
      current.shown += next.length;
      more.hidden = current.shown >= current.ranked.length;
    });
  }

  function keepInUrl(q, kind) {
    var params = new URLSearchParams();
    if (q) {
      params.set("q", q);
    }
    if (kind) {
      params.set("kind", kind);
    }
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    try {
      window.history.replaceState(null, "", url);
    } catch (error) {
      // A browser that will not change a file: URL keeps the old one: the results stand.
    }
  }

  function search() {
    var q = input.value;
    var kind = kindSelect.value;
    keepInUrl(q.trim(), kind);
    var words = terms(q).filter(function (word, i, all) {
      return all.indexOf(word) === i || i === all.length - 1;
    });
    var run = ++current.run;
    if (!words.length) {
      list.textContent = "";
      more.hidden = true;
      output.textContent = "";
      return Promise.resolve();
    }
    return rank(words).then(function (ranked) {
      if (run !== current.run) {
        return;
      }
      var counts = {};
      ranked.forEach(function (item) {
        counts[item.id.charAt(0)] = (counts[item.id.charAt(0)] || 0) + 1;
      });
      Array.prototype.forEach.call(kindSelect.options, function (option) {
        var letter = KIND_LETTER[option.value];
        var label = option.getAttribute("data-label") || option.textContent;
        option.setAttribute("data-label", label);
        option.textContent = letter ? label + " (" + (counts[letter] || 0) + ")" : label;
      });
      if (kind) {
        ranked = ranked.filter(function (item) {
          return KINDS[item.id.charAt(0)] === kind;
        });
      }
      current.ranked = ranked;
      current.shown = 0;
      current.words = words;
      list.textContent = "";
      output.textContent =
        ranked.length === 1 ? "1 note" : ranked.length.toLocaleString("en") + " notes";
      return showMore(run);
    });
  }

  var timer = 0;
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 120);
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  var wanted = params.get("kind") || "";
  kindSelect.value = KIND_LETTER[wanted] ? wanted : "";
  input.addEventListener("input", later);
  kindSelect.addEventListener("change", search);
  more.addEventListener("click", function () {
    showMore(current.run);
  });
  form.hidden = false;
  var header = document.querySelector("#site-search input");
  if (header) {
    header.value = input.value;
  }
  // For tests and for timing: the promise of the search running now.
  box.search = search;
  box.terms = terms;
  script("search/shards.js", function () {
    shards = shards || {};
    box.ready = search();
  });
})();
