// netvault: the search box in every page's header.
//
// The page's policy allows no form action, so the box goes to the search page
// itself: search.html?q=WORDS, which reads its query from the URL.
(function () {
  "use strict";

  var form = document.getElementById("site-search");
  if (!form) {
    return;
  }
  var input = form.querySelector("input");
  var page = document.getElementById("search-q");
  if (page && input) {
    input.value = page.value;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var words = input ? input.value.trim() : "";
    var url = form.getAttribute("data-action");
    window.location.href = words ? url + "?q=" + encodeURIComponent(words) : url;
  });
  form.hidden = false;
})();

// netvault: instant filtering and sorting of the contacts table.
//
// The page works without this script: the table is complete and sorted by
// name. The script only adds the filter bar and sortable columns. A long list
// comes in pages (contacts.html, contacts-2.html, …): the filters and sorting
// work on the rows of the page they are on. The script is built for tens of
// thousands of rows: the row data is read once into arrays, no row has its own
// event handler, typing is debounced, and filtering only toggles the `hidden`
// attribute of rows whose visibility changed.
(function () {
  "use strict";

  var table = document.getElementById("contacts");
  var bar = document.getElementById("contact-filters");
  if (!table || !bar || !table.tBodies.length) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var count = rows.length;

  // Lower-case and without accents, so "jose" finds "José". The page writes
  // data-text the same way.
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  var texts = new Array(count);
  var tags = new Array(count);
  var circles = new Array(count);
  var orgs = new Array(count);
  var statuses = new Array(count);
  var shown = new Array(count);
  for (var i = 0; i < count; i++) {
    var data = rows[i].dataset;
    texts[i] = data.text || "";
    tags[i] = " " + (data.tags || "") + " ";
    circles[i] = data.circle || "";
    orgs[i] = data.org || "";
    statuses[i] = data.status || "";
    shown[i] = !rows[i].hidden;
  }

  var input = document.getElementById("filter-text");
  var selects = {
    tag: document.getElementById("filter-tag"),
    circle: document.getElementById("filter-circle"),
    org: document.getElementById("filter-org"),
    status: document.getElementById("filter-status"),
  };
  var output = document.getElementById("filter-count");
  // A long list comes in pages: the filters work on this page's rows, and say so.
  var scope = bar.dataset.scope ? " " + bar.dataset.scope : "";

  function value(select) {
    return select ? select.value : "";
  }

  function apply() {
    var words = fold(input ? input.value : "").split(/\s+/).filter(Boolean);
    var tag = value(selects.tag);
    var circle = value(selects.circle);
    var org = value(selects.org);
    var status = value(selects.status);
    var wanted = tag ? " " + tag + " " : "";
    var visible = 0;
    for (var i = 0; i < count; i++) {
      var ok =
        (!wanted || tags[i].indexOf(wanted) !== -1) &&
        (!circle || circles[i] === circle) &&
        (!org || orgs[i] === org) &&
        (!status || statuses[i] === status);
      for (var w = 0; ok && w < words.length; w++) {
        ok = texts[i].indexOf(words[w]) !== -1;
      }
      if (ok !== shown[i]) {
        rows[i].hidden = !ok;
        shown[i] = ok;
      }
      if (ok) {
        visible++;
      }
    }
    if (output) {
      output.textContent =
        (visible === count ? count + " contacts" : visible + " of " + count + " contacts") +
        scope;
    }
    keepInUrl();
  }

  // The filters are kept in the URL (?q=…&tag=…), so a reload or a link shared shows
  // the same rows.
  function keepInUrl() {
    var params = new URLSearchParams();
    if (input && input.value.trim()) {
      params.set("q", input.value.trim());
    }
    Object.keys(selects).forEach(function (key) {
      if (value(selects[key])) {
        params.set(key, value(selects[key]));
      }
    });
    var query = params.toString();
    try {
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    } catch (error) {
      // A browser that will not change a file: URL keeps the old one: the rows stand.
    }
  }

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    if (input) {
      input.value = params.get("q") || "";
    }
    Object.keys(selects).forEach(function (key) {
      var select = selects[key];
      var wanted = params.get(key);
      if (select && wanted !== null) {
        select.value = wanted;
        if (select.value !== wanted) {
          select.value = ""; // an option this page has not (any more)
        }
      }
    });
  }

  var timer = 0;
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 150);
  }

  if (input) {
    input.addEventListener("input", later);
  }
  Object.keys(selects).forEach(function (key) {
    if (selects[key]) {
      selects[key].addEventListener("change", apply);
    }
  });

  // Sorting: the headers that carry data-sort get a button; one click sorts
  // ascending, the next descending. Rows without a date go last either way.
  var headers = table.tHead ? table.tHead.querySelectorAll("th[data-sort]") : [];
  function sortBy(th) {
    var key = th.getAttribute("data-sort");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var order = rows.map(function (row, index) {
      return { row: row, key: row.getAttribute("data-" + key) || "", index: index };
    });
    order.sort(function (a, b) {
      if (a.key === b.key) {
        return a.index - b.index;
      }
      if (!a.key) {
        return 1;
      }
      if (!b.key) {
        return -1;
      }
      return (a.key < b.key ? -1 : 1) * (ascending ? 1 : -1);
    });
    // Reorder while the body is out of the document: moving 30,000 attached
    // rows one by one costs a style invalidation each.
    var next = body.nextSibling;
    table.removeChild(body);
    order.forEach(function (item) {
      body.appendChild(item.row);
    });
    table.insertBefore(body, next);
    Array.prototype.forEach.call(headers, function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(headers, function (th) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
  });
  // One listener on the header row handles every sort button.
  if (table.tHead) {
    table.tHead.addEventListener("click", function (event) {
      var button = event.target.closest("button.sort");
      if (button) {
        sortBy(button.parentElement);
      }
    });
  }

  bar.hidden = false;
  fromUrl();
  apply();
})();
