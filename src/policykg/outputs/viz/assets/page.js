/* policykg graph page: legend and class filter, tooltips, detail panel, search, neighbourhood
 * highlight, physics toggle and deep links (#node=<id>).
 * Every text comes from the JSON block and is put into the page with textContent, never as HTML. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("policykg-data").textContent);
  var META = DATA.meta;
  var HIERARCHY = META.kind === "hierarchy";
  var byId = Object.create(null);
  var orig = Object.create(null);
  var edgeOrig = Object.create(null);
  var legendOf = Object.create(null);
  var hiddenLegend = Object.create(null);
  var current = null;
  var dimmed = false;

  DATA.nodes.forEach(function (n) {
    byId[n.id] = n;
    orig[n.id] = n.color;
    legendOf[n.id] = n.legend;
  });
  DATA.edges.forEach(function (e) { edgeOrig[e.id] = e.color; });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function labelOf(id) {
    if (has(byId, id)) { return byId[id].label; }
    if (has(DATA.labels, id)) { return DATA.labels[id]; }
    return id;
  }
  function classLabel(c) { return has(DATA.classes, c) ? DATA.classes[c].label : c; }
  function predLabel(p) { return has(DATA.predicates, p) ? DATA.predicates[p].label : p; }

  /* ---- tooltips: DOM elements, never HTML strings ---- */
  function tooltip(n) {
    var box = el("div", "pkg-tip");
    box.appendChild(el("div", "pkg-tip-en", n.label));
    if (n.zh) { var zh = el("div", "pkg-tip-zh", n.zh); zh.lang = "zh"; box.appendChild(zh); }
    var kind = HIERARCHY ? (n.id.indexOf("pkg:") === 0 ? "policykg class " + n.id : "external class " + n.id)
                         : n.types.map(classLabel).join(", ");
    box.appendChild(el("div", "pkg-tip-cls", kind));
    if (n.definition) { box.appendChild(el("div", "pkg-tip-def", n.definition)); }
    return box;
  }

  var visNodes = DATA.nodes.map(function (n) {
    var copy = Object.assign({}, n);
    copy.title = tooltip(n);
    return copy;
  });
  var nodes = new vis.DataSet(visNodes);
  /* big graphs: edge labels are set only once zoomed in (measuring 10,000s of them is slow) */
  var LABEL_SCALE = 0.5;
  var edgeLabelsShown = !META.big;
  var edges = new vis.DataSet(META.big ? DATA.edges.map(function (e) {
    return Object.assign({}, e, { label: "" });
  }) : DATA.edges);
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);

  /* ---- facts about a node, indexed on first use ---- */
  var factIndex = null;
  function factsOf(id) {
    if (factIndex === null) {
      factIndex = Object.create(null);
      DATA.facts.forEach(function (f, i) {
        (factIndex[f[0]] = factIndex[f[0]] || []).push(i);
        if (f[3] === "node" && f[2] !== f[0]) { (factIndex[f[2]] = factIndex[f[2]] || []).push(i); }
      });
    }
    return (factIndex[id] || []).map(function (i) { return DATA.facts[i]; });
  }

  /* ---- neighbourhood highlight ---- */
  function fontOf(n, color) {
    var f = Object.assign({}, n.font || {});
    f.color = color || f.color || "#1f2933";
    return f;
  }
  function highlight(id) {
    var keep = Object.create(null);
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (k) { keep[k] = true; });
    nodes.update(DATA.nodes.map(function (n) {
      return keep[n.id]
        ? { id: n.id, color: orig[n.id], font: fontOf(n, "#1f2933") }
        : { id: n.id, color: { background: "#e4e7eb", border: "#cbd2d9" }, font: fontOf(n, "#b4bcc5") };
    }));
    edges.update(DATA.edges.map(function (e) {
      var on = e.from === id || e.to === id;
      return { id: e.id, color: on ? edgeOrig[e.id] : { color: "#e9ecef", highlight: "#1d2b36" },
               font: { color: on ? "#52606d" : "#d0d5da" } };
    }));
    dimmed = true;
  }
  function unhighlight() {
    if (!dimmed) { return; }
    nodes.update(DATA.nodes.map(function (n) {
      return { id: n.id, color: orig[n.id], font: fontOf(n, null) };
    }));
    edges.update(DATA.edges.map(function (e) {
      return { id: e.id, color: edgeOrig[e.id], font: { color: "#52606d" } };
    }));
    dimmed = false;
  }

  /* ---- detail panel ---- */
  var panelHelp = document.getElementById("panel-help");
  var panel = document.getElementById("panel-body");

  function nodeRef(id, self) {
    if (id === self) { return el("span", "self", labelOf(id)); }
    if (has(byId, id)) {
      var b = el("button", "link", labelOf(id));
      b.type = "button";
      b.title = id;
      b.addEventListener("click", function () { select(id, { animate: true }); });
      return b;
    }
    var s = el("span", "", labelOf(id));
    s.title = id;
    return s;
  }
  var PLAIN_TYPES = ["xsd:string", "xsd:integer", "xsd:decimal", "xsd:nonNegativeInteger",
                     "xsd:positiveInteger", "xsd:date", "xsd:gYear", "xsd:double"];
  function literal(f) {
    var text = f[2];
    if (f[5] && PLAIN_TYPES.indexOf(f[5]) < 0) { text += " (" + f[5] + ")"; }
    var s = el("span", "literal", text);
    if (f[4]) { s.lang = f[4]; }
    if (f[5]) { s.title = f[5]; }
    return s;
  }
  function quoteBlock(pid) {
    var p = DATA.passages[pid];
    var q = el("blockquote", "quote", p.quote);
    var where = pid + (p.doc ? " · " + labelOf(p.doc) : "");
    if (p.start !== null && p.start !== undefined) { where += " · characters " + p.start + "–" + p.end; }
    q.appendChild(el("cite", "", where));
    return q;
  }
  function showPanel(id) {
    var n = byId[id];
    panel.textContent = "";
    panelHelp.hidden = true;
    panel.hidden = false;
    panel.appendChild(el("h2", "", n.label));
    if (n.zh) { var zh = el("div", "zh", n.zh); zh.lang = "zh"; panel.appendChild(zh); }
    panel.appendChild(el("div", "id", n.id));
    var chips = el("div", "chips");
    (HIERARCHY ? [] : n.types).forEach(function (t) {
      var chip = el("span", "chip");
      var entry = DATA.legend.filter(function (l) { return l.key === t; })[0];
      var sw = el("span", "swatch " + (entry ? entry.shape : "dot"));
      sw.style.background = entry ? entry.color : "#cbd2d9";
      chip.appendChild(sw);
      chip.appendChild(el("span", "", classLabel(t)));
      chip.title = t;
      chips.appendChild(chip);
    });
    if (chips.childNodes.length) { panel.appendChild(chips); }
    var alts = (n.alt || []).concat(n.alt_zh || []);
    if (alts.length) { panel.appendChild(el("p", "alt", "Also: " + alts.join("; "))); }
    if (n.definition) { panel.appendChild(el("p", "definition", n.definition)); }

    var facts = factsOf(id);
    var quoted = Object.create(null);
    if (facts.length) {
      panel.appendChild(el("h3", "", "Facts (" + facts.length + ")"));
      var ul = el("ul", "facts");
      facts.forEach(function (f) {
        var li = el("li");
        li.appendChild(nodeRef(f[0], id));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "pred", predLabel(f[1])));
        li.appendChild(document.createTextNode(" "));
        if (f[3] === "node") { li.appendChild(nodeRef(f[2], id)); }
        else if (f[3] === "iri") { li.appendChild(el("span", "literal", labelOf(f[2]))); }
        else { li.appendChild(literal(f)); }
        if (f[7]) { li.appendChild(el("span", "badge", "inferred")); }
        f[6].forEach(function (src) {
          if (has(DATA.passages, src)) {
            li.appendChild(quoteBlock(src));
            quoted[src] = true;
          } else {
            li.appendChild(el("div", "source", "stated in " + src));
          }
        });
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    var evidence = (n.evidence || []).filter(function (p) { return !quoted[p] && has(DATA.passages, p); });
    if (evidence.length) {
      panel.appendChild(el("h3", "", "Mentioned in"));
      evidence.forEach(function (p) { panel.appendChild(quoteBlock(p)); });
    }
    if (n.iri && n.iri !== n.id) { panel.appendChild(el("p", "id", n.iri)); }
    panel.scrollTop = 0;
    document.getElementById("panel").scrollTop = 0;
  }
  function hidePanel() {
    panel.hidden = true;
    panel.textContent = "";
    panelHelp.hidden = false;
  }

  /* ---- selection, focus and deep links ---- */
  function setHash(id) {
    var want = id ? "#node=" + encodeURIComponent(id) : "";
    if (location.hash === want || (!id && !location.hash)) { return; }
    try { history.replaceState(null, "", want || location.pathname + location.search); }
    catch (err) { /* some file:// contexts refuse; the page still works */ }
  }
  function reveal(id) {
    var key = legendOf[id];
    if (hiddenLegend[key]) { setLegend(key, true); }
  }
  function select(id, opts) {
    opts = opts || {};
    if (!has(byId, id)) { return false; }
    reveal(id);
    current = id;
    network.selectNodes([id]);
    highlight(id);
    showPanel(id);
    if (opts.focus !== false) { frame(id, opts.animate); }
    setHash(id);
    return true;
  }
  /* show a node with its neighbours, at a scale where labels can be read */
  function frame(id, animate) {
    var anim = animate ? { duration: 350, easingFunction: "easeInOutQuad" } : false;
    var start = { position: network.getViewPosition(), scale: network.getScale() };
    var around = [id].concat(network.getConnectedNodes(id)).filter(function (k) {
      var item = nodes.get(k);
      return item && !item.hidden;
    });
    network.fit({ nodes: around, animation: false });
    var scale = network.getScale();
    var clamped = Math.min(Math.max(scale, 0.55), 1.3);
    var target = clamped === scale ? network.getViewPosition() : network.getPositions([id])[id];
    if (animate) { network.moveTo({ position: start.position, scale: start.scale, animation: false }); }
    network.moveTo({ position: target, scale: clamped, animation: anim });
    if (!animate) { syncEdgeLabels(); }
  }

  function clearSelection() {
    current = null;
    network.unselectAll();
    unhighlight();
    hidePanel();
    setHash(null);
  }
  function idFromHash() {
    var m = /^#node=(.+)$/.exec(location.hash || "");
    if (!m) { return null; }
    var raw;
    try { raw = decodeURIComponent(m[1]); } catch (err) { return null; }
    if (has(byId, raw)) { return raw; }
    if (has(byId, "kg:" + raw)) { return "kg:" + raw; }
    var iri = DATA.nodes.filter(function (n) { return n.iri === raw; })[0];
    return iri ? iri.id : null;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { select(params.nodes[0], { focus: false }); }
    else if (!params.edges.length) { clearSelection(); }
  });
  window.addEventListener("hashchange", function () {
    var id = idFromHash();
    if (id && id !== current) { select(id, { animate: true }); }
  });

  /* ---- legend and class filter ---- */
  var legendList = document.getElementById("legend-list");
  var legendBoxes = Object.create(null);
  DATA.legend.forEach(function (entry) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { setLegend(entry.key, box.checked); });
    legendBoxes[entry.key] = box;
    var sw = el("span", "swatch " + entry.shape);
    sw.style.background = entry.color;
    sw.style.borderColor = entry.border;
    label.appendChild(box);
    label.appendChild(sw);
    label.appendChild(el("span", "name", entry.label));
    label.appendChild(el("span", "count", entry.count));
    label.title = entry.zh ? entry.zh + (entry.definition ? " — " + entry.definition : "") : entry.definition;
    li.appendChild(label);
    legendList.appendChild(li);
  });
  function setLegend(key, visible) {
    hiddenLegend[key] = !visible;
    if (legendBoxes[key]) { legendBoxes[key].checked = visible; }
    nodes.update(DATA.nodes.filter(function (n) { return n.legend === key; })
      .map(function (n) { return { id: n.id, hidden: !visible }; }));
    if (!visible && current && legendOf[current] === key) { clearSelection(); }
  }
  function setAllLegend(visible) {
    var changed = [];
    DATA.legend.forEach(function (entry) {
      hiddenLegend[entry.key] = !visible;
      legendBoxes[entry.key].checked = visible;
    });
    DATA.nodes.forEach(function (n) { changed.push({ id: n.id, hidden: !visible }); });
    nodes.update(changed);
    if (!visible) { clearSelection(); }
  }
  document.getElementById("legend-all").addEventListener("click", function () { setAllLegend(true); });
  document.getElementById("legend-none").addEventListener("click", function () { setAllLegend(false); });

  /* ---- search over English and Chinese labels ---- */
  function norm(s) { return String(s || "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); }
  var searchIndex = DATA.nodes.map(function (n) {
    return { id: n.id, texts: [n.label, n.zh].concat(n.alt || [], n.alt_zh || [], [n.id]).filter(Boolean).map(norm) };
  });
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  var hits = [];
  var active = -1;
  function search(q) {
    q = norm(q);
    if (!q) { return []; }
    var scored = [];
    searchIndex.forEach(function (entry) {
      var best = 9;
      entry.texts.forEach(function (t, i) {
        var s = t === q ? 0 : t.indexOf(q) === 0 ? 1 : t.indexOf(" " + q) >= 0 ? 2 : t.indexOf(q) >= 0 ? 3 : 9;
        if (i > 1 && s < 9) { s += 0.5; }
        if (s < best) { best = s; }
      });
      if (best < 9) { scored.push([best, byId[entry.id].label.length, byId[entry.id].label, entry.id]); }
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return scored.slice(0, 20).map(function (s) { return s[3]; });
  }
  function renderResults() {
    results.textContent = "";
    if (!input.value.trim()) { results.hidden = true; return; }
    if (!hits.length) {
      results.appendChild(el("li", "r-none", "No match"));
    }
    hits.forEach(function (id, i) {
      var n = byId[id];
      var li = el("li", i === active ? "active" : "");
      li.setAttribute("role", "option");
      li.appendChild(el("span", "r-en", n.label));
      if (n.zh) { var zh = el("span", "r-zh", n.zh); zh.lang = "zh"; li.appendChild(zh); }
      li.appendChild(el("span", "r-cls", HIERARCHY ? n.id : classLabel(n.cls) + " · " + n.id));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(id); });
      results.appendChild(li);
    });
    results.hidden = false;
  }
  function choose(id) {
    results.hidden = true;
    input.blur();
    select(id, { animate: true });
  }
  input.addEventListener("input", function () {
    hits = search(input.value);
    active = hits.length ? 0 : -1;
    renderResults();
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!hits.length) { return; }
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length;
      renderResults();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (!hits.length) { hits = search(input.value); active = 0; }
      if (hits.length) { choose(hits[Math.max(active, 0)]); }
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  input.addEventListener("blur", function () { results.hidden = true; });
  input.addEventListener("focus", function () { if (input.value.trim()) { renderResults(); } });

  /* ---- toolbar ---- */
  var physics = document.getElementById("physics");
  physics.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physics.checked } });
  });
  var edgeLabels = document.getElementById("edge-labels");
  function syncEdgeLabels() {
    var want = edgeLabels.checked && (!META.big || network.getScale() >= LABEL_SCALE);
    if (want === edgeLabelsShown) { return; }
    edgeLabelsShown = want;
    edges.update(DATA.edges.map(function (e) { return { id: e.id, label: want ? e.label : "" }; }));
  }
  edgeLabels.addEventListener("change", syncEdgeLabels);
  network.on("zoom", syncEdgeLabels);
  network.on("animationFinished", syncEdgeLabels);
  document.getElementById("reset").addEventListener("click", function () {
    clearSelection();
    input.value = "";
    results.hidden = true;
    setAllLegend(true);
    network.fit({ animation: false });
  });

  /* ---- start ---- */
  window.policykg = {
    data: DATA, network: network, nodes: nodes, edges: edges,
    select: select, clearSelection: clearSelection, search: search, ready: false
  };
  network.once("afterDrawing", function () {
    window.policykg.ready = true;
    document.documentElement.setAttribute("data-ready", "true");
  });
  var start = idFromHash();
  if (start) { select(start, { animate: false }); }
  else { network.fit({ animation: false }); }
}());
