/* policykg query workbench (the Query tab of the page `policykg serve` sends).
 * A YASGUI editor (Yasqe) whose completions come from this server only (/api/prefixes,
 * /api/vocab: the local ontology), the named queries as forms, results as a table (every text
 * put in with textContent), JSON and CSV downloads and "show on graph".
 * Every request goes to the server that sent the page (relative URLs). */
(function () {
  "use strict";

  var root = document.getElementById("workbench");
  if (!root || !window.policykg) { return; }
  /* YASGUI (1 MB of script) is loaded when the Query tab is first opened, so that the graph is
     interactive as fast as the offline page; it comes from this server (static/yasgui/). */
  var started = false;
  function start() {
    if (started) { return; }
    started = true;
    if (window.Yasgui) { init(); return; }
    var script = document.createElement("script");
    script.src = "static/yasgui/yasgui.min.js";
    script.addEventListener("load", init);
    script.addEventListener("error", function () {
      root.textContent = "";
      var err = document.createElement("p");
      err.className = "wb-error";
      err.textContent = "The query editor could not be loaded (static/yasgui/yasgui.min.js).";
      root.appendChild(err);
    });
    document.head.appendChild(script);
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
    yasqe.setOption("extraKeys", Object.assign({}, yasqe.getOption("extraKeys") || {}, {
      "Ctrl-Enter": function () { runEditor(); },
      "Cmd-Enter": function () { runEditor(); }
    }));

    /* ---- results ---- */
    var last = null;
    function compact(iri) {
      var best = "", ns = "";
      Object.keys(PREFIXES).forEach(function (p) {
        var n = PREFIXES[p];
        if (iri.indexOf(n) === 0 && n.length > ns.length) { best = p; ns = n; }
      });
      return best ? best + ":" + iri.slice(ns.length) : "<" + iri + ">";
    }
    function cell(term) {
      var td = el("td");
      if (!term) { return td; }
      if (term.type === "uri") {
        var id = compact(term.value);
        if (PKG.data && PKG.nodes.get(id) && PKG.select) {
          var b = el("button", "link", id);
          b.type = "button";
          b.title = term.value;
          b.addEventListener("click", function () { PKG.setTab("graph"); PKG.select(id, { animate: true }); });
          td.appendChild(b);
        } else if (PKG.data && Object.prototype.hasOwnProperty.call(PKG.data.passages, id) && PKG.openPassage) {
          var r = el("button", "link", id);
          r.type = "button";
          r.title = "read it in the article";
          r.addEventListener("click", function () { PKG.openPassage(id, { select: true }); });
          td.appendChild(r);
        } else {
          var s = el("span", "iri", id);
          s.title = term.value;
          td.appendChild(s);
        }
      } else if (term.type === "bnode") {
        td.appendChild(el("span", "bnode", "_:" + term.value));
      } else {
        var lit = el("span", "literal", term.value);
        if (term["xml:lang"]) { lit.lang = term["xml:lang"]; td.appendChild(lit); td.appendChild(el("span", "lang", "@" + term["xml:lang"])); }
        else { td.appendChild(lit); if (term.datatype) { lit.title = term.datatype; } }
      }
      return td;
    }
    function render(doc, truncated) {
      resultBox.textContent = "";
      if (doc.boolean !== undefined) {
        resultBox.appendChild(el("p", "wb-boolean", doc.boolean ? "true" : "false"));
        status.textContent = "ASK answered";
        return [];
      }
      var vars = doc.head.vars || [];
      var rows = doc.results.bindings || [];
      var table = el("table", "wb-table");
      var thead = el("thead");
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(el("th", "", "?" + v)); });
      thead.appendChild(tr);
      table.appendChild(thead);
      var tbody = el("tbody");
      var ids = Object.create(null);
      rows.forEach(function (b) {
        var row = el("tr");
        vars.forEach(function (v) {
          row.appendChild(cell(b[v]));
          if (b[v] && b[v].type === "uri") { ids[compact(b[v].value)] = true; }
        });
        tbody.appendChild(row);
      });
      table.appendChild(tbody);
      resultBox.appendChild(table);
      status.textContent = rows.length + (rows.length === 1 ? " row" : " rows") + (truncated ? " (" + truncated + ")" : "");
      return Object.keys(ids).sort();
    }
    function fail(text) {
      resultBox.textContent = "";
      resultBox.appendChild(el("pre", "wb-error", text));
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
    function show(response) {
      var truncated = response.headers.get("X-PolicyKG-Truncated");
      return response.text().then(function (text) {
        if (!response.ok) { fail(response.status + " " + text); return; }
        var doc;
        try { doc = JSON.parse(text); } catch (err) { fail("not a SPARQL JSON answer: " + err); return; }
        last = render(doc, truncated);
        var inGraph = last.filter(function (id) { return PKG.nodes.get(id); });
        showBtn.disabled = !inGraph.length;
        showBtn.textContent = "Show on graph" + (inGraph.length ? " (" + inGraph.length + ")" : "");
        root.setAttribute("data-rows", String((doc.results && doc.results.bindings || []).length));
      });
    }
    function runEditor() {
      var q = yasqe.getValue();
      status.textContent = "running…";
      root.setAttribute("data-rows", "");
      var body = new URLSearchParams();
      body.append("query", q);
      setDownloads("sparql?" + new URLSearchParams({ query: q, format: "json" }).toString(),
                   "sparql?" + new URLSearchParams({ query: q, format: "csv" }).toString(), "query");
      return fetch("sparql", { method: "POST", body: body,
                               headers: { Accept: "application/sparql-results+json" } })
        .then(show, function (err) { fail(String(err)); });
    }
    runBtn.addEventListener("click", function () { activeQuery = null; formBox.hidden = true; runEditor(); });
    showBtn.addEventListener("click", function () {
      if (!last) { return; }
      PKG.setTab("graph");
      var name = activeQuery ? activeQuery.name : "the query";
      var shown = PKG.selectMany(last, { title: "Result of " + name + ": " + last.filter(function (id) {
        return PKG.nodes.get(id); }).length + " entities" });
      document.getElementById("workbench").setAttribute("data-shown", String(shown.length));
    });

    /* ---- named queries as forms ---- */
    var activeQuery = null;
    function runNamed(q, inputs) {
      var params = new URLSearchParams();
      q.params.forEach(function (p) { var v = inputs[p.name].value.trim(); if (v) { params.append(p.name, v); } });
      var base = "api/queries/" + encodeURIComponent(q.name);
      var withFormat = function (f) { var c = new URLSearchParams(params); c.append("format", f); return base + "?" + c.toString(); };
      setDownloads(withFormat("json"), withFormat("csv"), q.name);
      status.textContent = "running " + q.name + "…";
      root.setAttribute("data-rows", "");
      return fetch(withFormat("json"), { headers: { Accept: "application/sparql-results+json" } })
        .then(show, function (err) { fail(String(err)); });
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
      Array.prototype.forEach.call(list.querySelectorAll(".wb-q"), function (b) {
        b.classList.toggle("active", b.getAttribute("data-query") === q.name);
      });
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
    window.policykgWorkbench = { yasqe: yasqe, run: runEditor, openQuery: function (name) {
      return getJSON("api/queries").then(function (qs) { var q = qs.filter(function (x) { return x.name === name; })[0]; if (q) { openQuery(q); } return !!q; });
    } };
    yasqe.refresh();
    root.setAttribute("data-ready", "true");
  }
}());
