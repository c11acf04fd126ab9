/* policykg query workbench (the Query tab of the page `policykg serve` sends).
 * A YASGUI editor (Yasqe) whose completions come from this server only (/api/prefixes,
 * /api/vocab: the local ontology), the named queries as forms, results in YASGUI's own viewer
 * (Yasr: a table with paging, sorting and a filter, the raw response, downloads; CONSTRUCT and
 * DESCRIBE graphs as a table of triples), JSON and CSV downloads and "show on graph".
 * A filter bar restricts every query to a document and a year, and shows drafts (unreviewed
 * passages) only when asked (the server's doc=, year= and drafts=1 parameters); a slot is left
 * for a compare view (#wb-compare-slot).
 * Every request goes to the server that sent the page (relative URLs). */
(function () {
  "use strict";

  var root = document.getElementById("workbench");
  if (!root || !window.policykg) { return; }
  /* YASGUI (1 MB of script) is loaded when the Query tab is first opened, so that the graph is
     interactive as fast as the offline page; it comes from this server (static/yasgui/). */
  var started = false;
  function load(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.addEventListener("load", resolve);
      script.addEventListener("error", function () { reject(new Error(src)); });
      document.head.appendChild(script);
    });
  }
  function start() {
    if (started) { return; }
    started = true;
    if (!document.querySelector("link[data-yasr]")) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = "static/yasr/yasr.min.css";
      css.setAttribute("data-yasr", "");
      document.head.appendChild(css);
    }
    Promise.all([window.Yasgui ? null : load("static/yasgui/yasgui.min.js"),
                 window.Yasr ? null : load("static/yasr/yasr.min.js")]).then(init, function (e) {
      root.textContent = "";
      var err = document.createElement("p");
      err.className = "wb-error";
      err.textContent = "The query editor could not be loaded (" + e.message + ").";
      root.appendChild(err);
    });
  }
  document.addEventListener("policykg:tab", function (ev) { if (ev.detail === "query") { start(); } });
  if (window.policykg.tab && window.policykg.tab() === "query") { start(); }

  function init() {
    var Yasqe = window.Yasgui.Yasqe;
    var PKG = window.policykg;

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) { e.className = cls; }
      if (text !== undefined && text !== null) { e.textContent = String(text); }
      return e;
    }
    function getJSON(url) {
      return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
        if (!r.ok) { throw new Error(url + ": " + r.status); }
        return r.json();
      });
    }

    /* ---- completions from the local ontology, never from prefix.cc or LOV ---- */
    var vocab = getJSON("api/vocab");
    var PREFIXES = {};
    /* the server predeclares the project's prefixes: the editor's syntax check knows them too, so
       `pkg:Goal` without a PREFIX line is not marked as an error */
    var sparqlMode = Yasqe.modes.sparql11;
    Yasqe.modes.sparql11 = Object.assign(function (config, parserConfig) {
      var mode = sparqlMode(config, parserConfig);
      var startState = mode.startState;
      mode.startState = function () {
        var state = startState.apply(mode, arguments);
        Object.keys(PREFIXES).forEach(function (p) {
          if (state.prefixes[p] === undefined) { state.prefixes[p] = PREFIXES[p]; }
        });
        return state;
      };
      return mode;
    }, sparqlMode);
    function iris(kind) {
      return function () {
        return vocab.then(function (v) { return v[kind].map(function (t) { return t.iri; }); }, function () { return []; });
      };
    }
    Yasqe.forkAutocompleter("class", { name: "local-class", bulk: true, get: iris("classes"), persistenceId: null }, false);
    Yasqe.forkAutocompleter("property", { name: "local-property", bulk: true, get: iris("properties"), persistenceId: null }, false);
    Yasqe.forkAutocompleter("prefixes", { name: "local-prefixes", persistenceId: null, get: function () {
      return vocab.then(function (v) {
        return Object.keys(v.prefixes).sort().map(function (p) { return p + ": <" + v.prefixes[p] + ">"; });
      }, function () { return []; });
    } }, false);
    Yasqe.defaults.autocompleters = ["variables", "local-prefixes", "local-class", "local-property"];

    /* ---- layout ---- */
    var side = el("nav", "wb-side");
    side.setAttribute("aria-label", "Named queries");
    side.appendChild(el("h2", "", "Named queries"));
    side.appendChild(el("p", "hint", "Each runs with the parameters of its form; a parameter left empty leaves its variable free."));
    var list = el("div", "wb-list");
    side.appendChild(list);
    var centre = el("div", "wb-centre");
    /* the filter bar: one document, one year, drafts on request (the server's doc=, year=,
       drafts=1); every query of the workbench runs within it */
    var filters = el("form", "wb-filters");
    filters.setAttribute("aria-label", "Filter the queries");
    function labelled(text, control) {
      var l = el("label", "wb-filter");
      l.appendChild(el("span", "", text));
      l.appendChild(control);
      filters.appendChild(l);
      return control;
    }
    var docSelect = labelled("Document", el("select", "wb-doc"));
    docSelect.id = "wb-doc";
    docSelect.appendChild(new Option("all documents", ""));
    var yearSelect = labelled("Year", el("select", "wb-year"));
    yearSelect.id = "wb-year";
    yearSelect.appendChild(new Option("all years", ""));
    var draftBox = el("input", "wb-drafts");
    draftBox.type = "checkbox";
    draftBox.id = "wb-drafts";
    var draftLabel = el("label", "wb-filter wb-draft-toggle");
    draftLabel.appendChild(draftBox);
    draftLabel.appendChild(el("span", "", "show drafts (unreviewed)"));
    filters.appendChild(draftLabel);
    var scopeNote = el("span", "wb-scope", "");
    filters.appendChild(scopeNote);
    filters.addEventListener("submit", function (ev) { ev.preventDefault(); });
    centre.appendChild(filters);
    /* a slot for the compare view (two documents side by side), filled by another script */
    var compareSlot = el("div", "wb-compare-slot");
    compareSlot.id = "wb-compare-slot";
    compareSlot.hidden = true;
    centre.appendChild(compareSlot);
    var formBox = el("div", "wb-form");
    formBox.hidden = true;
    centre.appendChild(formBox);
    var editorBox = el("div", "wb-editor");
    centre.appendChild(editorBox);
    var actions = el("div", "wb-actions");
    var runBtn = el("button", "wb-run", "Run query");
    runBtn.type = "button";
    runBtn.title = "Ctrl-Enter";
    var showBtn = el("button", "wb-show", "Show on graph");
    showBtn.type = "button";
    showBtn.disabled = true;
    var jsonLink = el("a", "wb-dl", "JSON");
    var csvLink = el("a", "wb-dl", "CSV");
    [jsonLink, csvLink].forEach(function (a) { a.hidden = true; });
    var status = el("span", "wb-status", "");
    status.setAttribute("aria-live", "polite");
    actions.appendChild(runBtn);
    actions.appendChild(showBtn);
    actions.appendChild(el("span", "wb-dl-label", "Download:"));
    actions.appendChild(jsonLink);
    actions.appendChild(csvLink);
    actions.appendChild(status);
    centre.appendChild(actions);
    var resultBox = el("div", "wb-results");
    var errorBox = el("div", "wb-error-box");
    var yasrBox = el("div", "wb-yasr");
    resultBox.appendChild(errorBox);
    resultBox.appendChild(yasrBox);
    centre.appendChild(resultBox);
    root.appendChild(side);
    root.appendChild(centre);

    var yasqe = new Yasqe(editorBox, {
      value: "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {\n  ?s a ?class .\n}\nGROUP BY ?class\nORDER BY DESC(?n)\nLIMIT 20\n",
      persistenceId: null,
      showQueryButton: false,
      resizeable: true,
      editorHeight: "260px",
      prefixCcApi: "api/prefixes",
      createShareableLink: null,
      consumeShareLink: null,
      requestConfig: { endpoint: "sparql", method: "POST" }
    });
    vocab.then(function (v) {
      PREFIXES = v.prefixes;
      yasqe.setOption("mode", "sparql11");  /* tokenize again, knowing the prefixes */
      if (yasqe.checkSyntax) { yasqe.checkSyntax(); }
      root.setAttribute("data-prefixes", String(Object.keys(PREFIXES).length));
    }, function () { /* completions stay empty */ });
    /* Ctrl-Enter runs the editor's text exactly as the Run button does: the named query's form
       (whose parameters no longer apply) is closed and the result is the editor's own */
    yasqe.setOption("extraKeys", Object.assign({}, yasqe.getOption("extraKeys") || {}, {
      "Ctrl-Enter": function () { runFromEditor(); },
      "Cmd-Enter": function () { runFromEditor(); }
    }));

    /* ---- results: Yasr, YASGUI's own viewer ---- */
    var Yasr = window.Yasr;
    var yasr = new Yasr(yasrBox, {
      persistenceId: null,
      prefixes: function () { return PREFIXES; },
      pluginOrder: ["table", "response"],
      defaultPlugin: "table",
      getDownloadFileName: function () { return activeQuery ? activeQuery.name : "query"; },
      plugins: { table: { dynamicConfig: { pageSize: 50 } } }
    });
    var table = yasr.plugins.table;
    if (table && table.config) { table.config.openIriInNewWindow = true; }
    /* Yasr hands a cell's raw value to its HTML sanitizer for filtering and sorting; a value
       carrying markup is then parsed as HTML (inertly, but the browser reports the handlers it
       blocks). Filtering and sorting use the plain text instead: no value is ever parsed. */
    if (table && table.getColumns) {
      var columns = table.getColumns.bind(table);
      table.getColumns = function () {
        return columns().map(function (c, i) {
          if (i === 0 || typeof c.render !== "function") { return c; }
          var render = c.render;
          c.render = function (t, kind, row, meta) {
            if ((kind === "filter" || kind === "sort" || !kind) && t && typeof t.value === "string") {
              /* an IRI is found by its short form too (the filter "kg:gwr-2024" finds it) */
              return kind === "filter" && t.type === "uri" ? t.value + " " + compact(t.value) : t.value;
            }
            return render(t, kind, row, meta);
          };
          return c;
        });
      };
    }
    var last = null;
    var drafts = Object.create(null);
    function compact(iri) {
      var best = "", ns = "";
      Object.keys(PREFIXES).forEach(function (p) {
        var n = PREFIXES[p];
        if (iri.indexOf(n) === 0 && n.length > ns.length) { best = p; ns = n; }
      });
      return best ? best + ":" + iri.slice(ns.length) : "<" + iri + ">";
    }
    /* a click on an IRI of the graph opens it on the graph, on a passage opens the reader */
    yasrBox.addEventListener("click", function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest("a.iri") : null;
      if (!a) { return; }
      var id = compact(a.getAttribute("href") || "");
      if (PKG.data && PKG.nodes.get(id) && PKG.select) {
        ev.preventDefault();
        PKG.setTab("graph");
        PKG.select(id, { animate: true });
      } else if (PKG.data && Object.prototype.hasOwnProperty.call(PKG.data.passages, id) && PKG.openPassage) {
        ev.preventDefault();
        PKG.openPassage(id, { select: true });
      }
    });
    /* drafts are said: every IRI of a draft in the table gets the word "draft" beside it */
    function markDrafts() {
      if (!draftBox.checked) { return; }
      Array.prototype.forEach.call(yasrBox.querySelectorAll("a.iri"), function (a) {
        if (drafts[a.getAttribute("href")] && !(a.nextSibling && a.nextSibling.className === "wb-draft")) {
          a.parentNode.insertBefore(el("span", "wb-draft", "draft"), a.nextSibling);
        }
      });
    }
    yasr.on("drawn", markDrafts);
    /* the table draws each page, sort and filter anew: mark the drafts of every drawing */
    var marking = false;
    new MutationObserver(function () {
      if (marking || !draftBox.checked) { return; }
      marking = true;
      try { markDrafts(); } finally { marking = false; }
    }).observe(yasrBox, { childList: true, subtree: true });
    function fail(text) {
      errorBox.textContent = "";
      errorBox.appendChild(el("pre", "wb-error", text));
      yasrBox.hidden = true;
      status.textContent = "failed";
      showBtn.disabled = true;
    }
    function setDownloads(jsonUrl, csvUrl, name) {
      jsonLink.href = jsonUrl;
      jsonLink.setAttribute("download", name + ".json");
      csvLink.href = csvUrl;
      csvLink.setAttribute("download", name + ".csv");
      jsonLink.hidden = csvLink.hidden = false;
    }
    /* only the latest run is shown: an answer to a run made before it (the filter changed
       twice, a second click) is dropped, whatever order the answers come in */
    var runs = 0;
    function show(response, started, run) {
      var truncated = response.headers.get("X-PolicyKG-Truncated");
      var ctype = response.headers.get("Content-Type") || "";
      return response.text().then(function (text) {
        if (run !== runs) { return; }
        if (!response.ok) { fail(response.status + " " + text); return; }
        errorBox.textContent = "";
        yasrBox.hidden = false;
        yasr.setResponse({ data: text, contentType: ctype.split(";")[0], status: response.status,
                           executionTime: Date.now() - started });
        var results = yasr.results;
        var ids = Object.create(null), n = 0, what = " row";
        if (results && results.getBoolean() !== undefined) {
          status.textContent = "ASK answered: " + results.getBoolean();
        } else if (results) {
          var bindings = results.getBindings() || [];
          n = bindings.length;
          if (results.getType() === "ttl") { what = " triple"; }
          bindings.forEach(function (b) {
            Object.keys(b).forEach(function (v) { if (b[v] && b[v].type === "uri") { ids[compact(b[v].value)] = true; } });
          });
          status.textContent = n + what + (n === 1 ? "" : "s") + (truncated ? " (" + truncated + ")" : "") +
            (draftBox.checked ? " · drafts shown" : "");
        }
        last = Object.keys(ids).sort();
        var inGraph = last.filter(function (id) { return PKG.nodes.get(id); });
        showBtn.disabled = !inGraph.length;
        showBtn.textContent = "Show on graph" + (inGraph.length ? " (" + inGraph.length + ")" : "");
        root.setAttribute("data-truncated", truncated ? "true" : "");
        root.setAttribute("data-rows", String(n));
        markDrafts();
      });
    }
    /* the filter bar's parameters, added to every request */
    function scope(params) {
      if (docSelect.value) { params.append("doc", docSelect.value); }
      if (yearSelect.value) { params.append("year", yearSelect.value); }
      if (draftBox.checked) { params.append("drafts", "1"); }
      return params;
    }
    var ranOnce = false;
    function runEditor() {
      ranOnce = true;
      var q = yasqe.getValue();
      status.textContent = "running…";
      root.setAttribute("data-rows", "");
      var body = scope(new URLSearchParams());
      body.append("query", q);
      var link = function (f) { var c = scope(new URLSearchParams({ query: q })); c.append("format", f); return "sparql?" + c.toString(); };
      setDownloads(link("json"), link("csv"), "query");
      var started = Date.now();
      var run = ++runs;
      return fetch("sparql", { method: "POST", body: body,
                               headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } })
        .then(function (r) { return show(r, started, run); }, function (err) { if (run === runs) { fail(String(err)); } });
    }
    function runFromEditor() { activeQuery = null; formBox.hidden = true; markActive(null); return runEditor(); }
    runBtn.addEventListener("click", runFromEditor);
    showBtn.addEventListener("click", function () {
      if (!last) { return; }
      PKG.setTab("graph");
      var name = activeQuery ? activeQuery.name : "the query";
      var shown = PKG.selectMany(last, { title: "Result of " + name + ": " + last.filter(function (id) {
        return PKG.nodes.get(id); }).length + " entities" });
      document.getElementById("workbench").setAttribute("data-shown", String(shown.length));
    });
    /* the filter bar's choices: the documents and years the server knows */
    function fillScope(info) {
      (info.documents || []).forEach(function (d) {
        var o = new Option(d.label + (d.year ? " (" + d.year + ")" : ""), d.id);
        docSelect.appendChild(o);
      });
      (info.years || []).forEach(function (y) { yearSelect.appendChild(new Option(String(y), String(y))); });
      drafts = Object.create(null);
      /* the page's own address may carry the filter: /?doc=kg:gwr-2024&year=2024&drafts=1 */
      var asked = new URLSearchParams(window.location.search);
      if (asked.get("doc")) { docSelect.value = asked.get("doc"); }
      if (asked.get("year")) { yearSelect.value = asked.get("year"); }
      draftBox.checked = ["1", "true", "yes", "on"].indexOf((asked.get("drafts") || "").toLowerCase()) >= 0;
      if (asked.get("doc") || asked.get("year") || draftBox.checked) { scopeChanged(true); }
      root.setAttribute("data-documents", String((info.documents || []).length));
    }
    getJSON("api/documents").then(fillScope, function () { filters.hidden = true; });
    function loadDrafts() {
      if (!draftBox.checked) { return Promise.resolve(); }
      return getJSON("api/drafts").then(function (list) {
        list.forEach(function (iri) { drafts[iri] = true; });
      }, function () { /* nothing marked */ });
    }
    function scopeChanged(initial) {
      var parts = [];
      if (docSelect.value) { parts.push(docSelect.options[docSelect.selectedIndex].text); }
      if (yearSelect.value) { parts.push(yearSelect.value); }
      scopeNote.textContent = (parts.length ? "within " + parts.join(", ") : "") +
        (draftBox.checked ? (parts.length ? "; " : "") + "drafts shown, marked “draft”" : "");
      var query = scope(new URLSearchParams()).toString();
      root.setAttribute("data-scope", query);
      if (initial !== true && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", (query ? "?" + query : window.location.pathname) + window.location.hash);
      }
      if (ranOnce) {  /* the shown result is of the old filter: run it again within the new one */
        var mine = ++runs;  /* an answer still on its way is of the old filter: dropped (see show) */
        root.setAttribute("data-rows", "");
        status.textContent = "running…";
        /* and so is the rerun of an older change, once a newer change (or run) came after it */
        loadDrafts().then(function () { if (mine === runs) { rerun(); } });
      } else {
        loadDrafts();
      }
    }
    [docSelect, yearSelect, draftBox].forEach(function (c) { c.addEventListener("change", function () { scopeChanged(false); }); });

    /* ---- named queries as forms ---- */
    var activeQuery = null;
    function runNamed(q, inputs) {
      var params = new URLSearchParams();
      q.params.forEach(function (p) { var v = inputs[p.name].value.trim(); if (v) { params.append(p.name, v); } });
      scope(params);
      var base = "api/queries/" + encodeURIComponent(q.name);
      var withFormat = function (f) { var c = new URLSearchParams(params); c.append("format", f); return base + "?" + c.toString(); };
      setDownloads(withFormat("json"), withFormat("csv"), q.name);
      ranOnce = true;
      status.textContent = "running " + q.name + "…";
      root.setAttribute("data-rows", "");
      var started = Date.now();
      var run = ++runs;
      lastNamed = function () { return runNamed(q, inputs); };
      return fetch(withFormat("json"), { headers: { Accept: "application/sparql-results+json" } })
        .then(function (r) { return show(r, started, run); }, function (err) { if (run === runs) { fail(String(err)); } });
    }
    var lastNamed = null;
    function rerun() { return activeQuery && lastNamed ? lastNamed() : runEditor(); }
    function markActive(name) {
      Array.prototype.forEach.call(list.querySelectorAll(".wb-q"), function (b) {
        b.classList.toggle("active", b.getAttribute("data-query") === name);
      });
    }
    function openQuery(q) {
      activeQuery = q;
      yasqe.setValue(q.text);
      formBox.textContent = "";
      formBox.hidden = false;
      formBox.appendChild(el("h3", "", q.title));
      formBox.appendChild(el("div", "wb-name", q.name));
      if (q.description) { formBox.appendChild(el("p", "wb-desc", q.description)); }
      var form = el("form", "wb-params");
      var inputs = {};
      q.params.forEach(function (p) {
        var label = el("label");
        label.appendChild(el("span", "wb-pname", p.name + (p.kind !== "term" ? " (" + p.kind + ")" : "")));
        var input = el("input");
        input.name = p.name;
        input.type = "text";
        input.value = p.example || "";
        input.placeholder = p.example || p.kind;
        input.setAttribute("data-param", p.name);
        label.appendChild(input);
        if (p.description) { label.appendChild(el("span", "wb-pdesc", p.description)); }
        form.appendChild(label);
        inputs[p.name] = input;
      });
      var go = el("button", "wb-run-named", "Run " + q.name);
      go.type = "submit";
      form.appendChild(go);
      form.addEventListener("submit", function (ev) { ev.preventDefault(); runNamed(q, inputs); });
      formBox.appendChild(form);
      lastNamed = null;
      markActive(q.name);
    }
    getJSON("api/queries").then(function (queries) {
      var groups = [["competency", "Competency questions"], ["query", "Queries"], ["violation", "Checks (must return nothing)"]];
      groups.forEach(function (g) {
        var mine = queries.filter(function (q) { return q.role === g[0]; });
        if (!mine.length) { return; }
        list.appendChild(el("h3", "", g[1]));
        mine.forEach(function (q) {
          var b = el("button", "wb-q");
          b.type = "button";
          b.setAttribute("data-query", q.name);
          b.appendChild(el("span", "wb-q-name", q.name));
          b.appendChild(el("span", "wb-q-title", q.title));
          b.addEventListener("click", function () { openQuery(q); });
          list.appendChild(b);
        });
      });
      root.setAttribute("data-queries", String(queries.length));
    }, function (err) { list.appendChild(el("p", "wb-error", "cannot list the named queries: " + err)); });

    document.addEventListener("policykg:tab", function (ev) {
      if (ev.detail === "query") { yasqe.refresh(); }
    });
    window.policykgWorkbench = { yasqe: yasqe, yasr: yasr, run: runFromEditor, openQuery: function (name) {
      return getJSON("api/queries").then(function (qs) { var q = qs.filter(function (x) { return x.name === name; })[0]; if (q) { openQuery(q); } return !!q; });
    } };
    yasqe.refresh();
    root.setAttribute("data-ready", "true");
  }
}());
