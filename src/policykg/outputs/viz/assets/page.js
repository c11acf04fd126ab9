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
  var MODALITY = Object.create(null);
  (DATA.modalities || []).forEach(function (m) { MODALITY[m.key] = m; });
  var DOCS = DATA.documents || {};
  var READER = !!document.getElementById("reader") && Object.keys(DOCS).length > 0;
  /* provisions: the facts whose subject is a node typed pkg:Provision */
  var PROVISIONS = Object.create(null);
  DATA.nodes.forEach(function (n) {
    if ((n.types || []).indexOf("pkg:Provision") >= 0) {
      PROVISIONS[n.id] = { modality: "", roles: Object.create(null), passages: [] };
    }
  });
  DATA.facts.forEach(function (f) {
    var info = PROVISIONS[f[0]];
    if (!info) { return; }
    if (f[1] === "pkg:modality") { info.modality = info.modality || f[2]; return; }
    if (f[1] === "pkg:statedIn") { if (info.passages.indexOf(f[2]) < 0) { info.passages.push(f[2]); } return; }
    (info.roles[f[1]] = info.roles[f[1]] || []).push([f[2], f[3]]);
    f[6].forEach(function (src) {
      if (has(DATA.passages, src) && info.passages.indexOf(src) < 0) { info.passages.push(src); }
    });
  });

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
    if (n.draft) { box.appendChild(el("div", "pkg-tip-cls", "draft: machine-made, not reviewed")); }
    return box;
  }

  /* ---- drafts (hidden unless asked for) and the document and year filters ---- */
  var FILTERS = DATA.filters || null;
  var showDrafts = false, wantDoc = "", wantYear = "";
  function docYear(d) { return FILTERS && has(FILTERS.documents, d) ? String(FILTERS.documents[d].year) : ""; }
  function passFilter(n) {
    if (n.draft && !showDrafts) { return false; }
    if (!wantDoc && !wantYear) { return true; }
    return (n.docs || []).some(function (d) { return (!wantDoc || d === wantDoc) && (!wantYear || docYear(d) === wantYear); });
  }
  var visNodes = DATA.nodes.map(function (n) {
    var copy = Object.assign({}, n);
    copy.title = tooltip(n);
    if (n.draft) {
      copy.label = "draft · " + n.label;
      copy.shapeProperties = { borderDashes: [4, 3] };
      copy.hidden = true;
    }
    return copy;
  });
  var nodes = new vis.DataSet(visNodes);
  /* big graphs: edge labels are set only once zoomed in (measuring 10,000s of them is slow) */
  var LABEL_SCALE = 0.5;
  var edgeLabelsShown = !META.big;
  var focusEdges = null;  /* edge id -> true: the edges of the current selection (big graphs) */
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
    var cur = mode === "overview" ? nodes.get(n.id) : null;  /* keep the overview's sizes */
    if (cur && cur.font && cur.font.size) { f.size = cur.font.size; }
    f.color = color || f.color || "#1f2933";
    return f;
  }
  /* dim every node but those in keep, and every edge but those edgeOn(e) keeps */
  function dimAllBut(keep, edgeOn) {
    nodes.update(DATA.nodes.map(function (n) {
      return keep[n.id]
        ? { id: n.id, color: orig[n.id], font: fontOf(n, "#1f2933") }
        : { id: n.id, color: { background: "#e4e7eb", border: "#cbd2d9" }, font: fontOf(n, "#b4bcc5") };
    }));
    focusEdges = Object.create(null);
    edges.update(DATA.edges.map(function (e) {
      var on = edgeOn(e);
      if (on) { focusEdges[e.id] = true; }
      return { id: e.id, color: on ? edgeOrig[e.id] : { color: "#e9ecef", highlight: "#1d2b36" },
               font: { color: on ? "#52606d" : "#d0d5da" } };
    }));
    dimmed = true;
  }
  function highlight(id) {
    var keep = Object.create(null);
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (k) { keep[k] = true; });
    dimAllBut(keep, function (e) { return e.from === id || e.to === id; });
  }
  function unhighlight() {
    if (!dimmed) { return; }
    focusEdges = null;
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
  /* a fact as a list item: subject, predicate and object (a node, an IRI or a literal); self is
   * the node the panel shows (named, not linked) */
  function factItem(f, self) {
    var li = el("li");
    li.appendChild(nodeRef(f[0], self));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", "pred", predLabel(f[1])));
    li.appendChild(document.createTextNode(" "));
    if (f[3] === "node") { li.appendChild(nodeRef(f[2], self)); }
    else if (f[3] === "iri") { li.appendChild(el("span", "literal", labelOf(f[2]))); }
    else { li.appendChild(literal(f)); }
    return li;
  }
  function quoteBlock(pid) {
    var p = DATA.passages[pid];
    var q = el("blockquote", "quote", p.quote);
    var where = pid + (p.doc ? " · " + labelOf(p.doc) : "");
    if (p.start !== null && p.start !== undefined) { where += " · characters " + p.start + "–" + p.end; }
    var cite = el("cite", "", where);
    if (READER && p.doc && has(DATA.documents, p.doc)) {
      var read = el("button", "link read", "read in context");
      read.type = "button";
      read.addEventListener("click", function () { openPassage(pid, { select: false }); });
      cite.appendChild(document.createTextNode(" · "));
      cite.appendChild(read);
    }
    q.appendChild(cite);
    return q;
  }

  /* ---- provisions: modality, addressee, action, condition, means, purpose, who states it ---- */
  var PROVISION_ROLES = [["pkg:addressee", "Addressee"], ["pkg:action", "Action"],
    ["pkg:condition", "Condition"], ["pkg:means", "Means"], ["pkg:purpose", "Purpose"],
    ["pkg:statedBy", "Stated by"], ["pkg:cue", "Cue"]];
  function provisionBlock(id) {
    var info = PROVISIONS[id];
    var box = el("div", "provision");
    var head = el("div", "modality-head");
    var m = MODALITY[info.modality];
    var sw = el("span", "line-swatch");
    styleLine(sw, m);
    head.appendChild(sw);
    head.appendChild(el("strong", "", m ? m.label : (info.modality ? labelOf(info.modality) : "no modality stated")));
    if (m && m.zh) { var zh = el("span", "zh-small", m.zh); zh.lang = "zh"; head.appendChild(zh); }
    box.appendChild(head);
    var dl = el("dl", "roles");
    PROVISION_ROLES.forEach(function (role) {
      var values = info.roles[role[0]] || [];
      if (!values.length) { return; }
      dl.appendChild(el("dt", "", role[1]));
      var dd = el("dd");
      values.forEach(function (v, i) {
        if (i) { dd.appendChild(document.createTextNode("; ")); }
        if (v[1] === "literal") { dd.appendChild(el("span", "literal", "“" + v[0] + "”")); }
        else { dd.appendChild(nodeRef(v[0], id)); }
      });
      dl.appendChild(dd);
    });
    if (!(info.roles["pkg:addressee"] || []).length) {
      dl.appendChild(el("dt", "", "Addressee"));
      dl.appendChild(el("dd", "unstated", "not stated"));
    }
    box.appendChild(dl);
    info.passages.forEach(function (pid) { if (has(DATA.passages, pid)) { box.appendChild(quoteBlock(pid)); } });
    return box;
  }
  function styleLine(sw, m) {
    var color = m ? m.color : "#8a96a3";
    var dash = m && m.dashes.length ? (m.dashes[0] <= 2 ? "dotted" : "dashed") : "solid";
    sw.style.borderTop = Math.max(2, Math.round(m ? m.width : 1.5)) + "px " + dash + " " + color;
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
    if (n.draft) { panel.appendChild(el("p", "draft-badge", "draft: machine-made, not reviewed")); }
    if (PROVISIONS[id]) { panel.appendChild(provisionBlock(id)); }

    var facts = factsOf(id).filter(function (f) { return showDrafts || !f[8]; });
    var quoted = Object.create(null);
    if (facts.length) {
      panel.appendChild(el("h3", "", "Facts (" + facts.length + ")"));
      var ul = el("ul", "facts");
      facts.forEach(function (f) {
        var li = factItem(f, id);
        if (f[7]) { li.appendChild(el("span", "badge", "inferred")); }
        if (f[8]) { li.appendChild(el("span", "draft-badge", "draft")); }
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
    if (mode === "overview") { revealAround(id); }
    current = id;
    network.selectNodes([id]);
    highlight(id);
    if (mode === "overview") { declutter(null); }  /* a selected label is bold: wider */
    showPanel(id);
    if (opts.focus !== false) { frame(id, opts.animate); }
    if (mode === "overview" && opts.focus !== false && opts.animate) {
      network.once("animationFinished", function () { declutter(null); });
    }
    if (opts.hash !== false) { setHash(id); }
    if (READER) { markPassages(passagesOfNode(id), opts.scroll !== false && tab === "reader"); }
    if (mode === "overview") { declutter(null); }
    return true;
  }
  /* how far out a node's or a group's frame may go to cut no label: the overview's labels are of
     20 px, still 10 px at 0.5; the full graph's, of 12 to 15 px, not below the frame's 0.6 */
  function frameLeast() { return mode === "overview" ? 0.5 : 0.6; }
  /* show a node with its neighbours, at a scale where labels can be read */
  function frame(id, animate) {
    var anim = animate ? { duration: 350, easingFunction: "easeInOutQuad" } : false;
    var start = { position: network.getViewPosition(), scale: network.getScale() };
    var around = [id].concat(network.getConnectedNodes(id)).filter(function (k) {
      var item = nodes.get(k);
      return item && !item.hidden;
    });
    var f = framing(around), clamped = Math.min(Math.max(f.scale, 0.6), 1.3);
    var centre = clamped === f.scale ? { x: f.x, y: f.y } : network.getPositions([id])[id];
    /* that view, or one a little further out or aside, whose edges cut no label */
    if (!cleanView(around, id, centre, clamped, Math.min(clamped, frameLeast()), f)) { moveToArea(centre.x, centre.y, clamped, false, f.v); }
    var target = { position: network.getViewPosition(), scale: network.getScale() };
    if (animate) { network.moveTo({ position: start.position, scale: start.scale, animation: false }); }
    network.moveTo({ position: target.position, scale: target.scale, animation: anim });
    if (!animate) { syncEdgeLabels(); }
  }

  function clearSelection() {
    current = null;
    if (mode === "overview") { hideRevealed(); }
    currentPassage = null;
    if (READER) { markPassages([], false); }
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
    if (params.nodes.length && has(groupById, params.nodes[0])) { toggleGroup(params.nodes[0]); }
    else if (params.nodes.length) { select(params.nodes[0], { focus: false }); }
    else if (!params.edges.length) { clearSelection(); }
  });
  window.addEventListener("hashchange", function () {
    var pid = passageFromHash();
    if (pid) { if (pid !== currentPassage) { openPassage(pid, { select: true }); } return; }
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
    if (mode === "overview") { setMode("full", { fit: false }); }
    hiddenLegend[key] = !visible;
    if (legendBoxes[key]) { legendBoxes[key].checked = visible; }
    nodes.update(DATA.nodes.filter(function (n) { return n.legend === key; })
      .map(function (n) { return { id: n.id, hidden: !visible || !passFilter(n) }; }));
    if (!visible && current && legendOf[current] === key) { clearSelection(); }
  }
  function setAllLegend(visible) {
    if (mode === "overview") { setMode("full", { fit: false }); }
    var changed = [];
    DATA.legend.forEach(function (entry) {
      hiddenLegend[entry.key] = !visible;
      legendBoxes[entry.key].checked = visible;
    });
    DATA.nodes.forEach(function (n) { changed.push({ id: n.id, hidden: !visible || !passFilter(n) }); });
    nodes.update(changed);
    if (!visible) { clearSelection(); }
  }
  document.getElementById("legend-all").addEventListener("click", function () { setAllLegend(true); });
  document.getElementById("legend-none").addEventListener("click", function () { setAllLegend(false); });

  /* ---- search over English and Chinese labels ---- */
  /* as policykg.graph.names.name_key: width, case, spaces and hyphens ignored */
  function norm(s) { return String(s || "").normalize("NFKC").toLowerCase().replace(/[\s\-\u2010-\u2015\u2212_\u00b7\u30fb]+/g, ""); }
  /* as policykg.graph.names.initials: "NQPF" and "SOEs" find their entity (a search aid) */
  function initials(s) {
    var words = String(s || "").trim().split(/[\s\-\u2010-\u2015\u2212_\/]+/).filter(function (w) { return /^[0-9A-Za-z]/.test(w); });
    return words.length >= 2 ? words.map(function (w) { return w[0]; }).join("").toLowerCase() : "";
  }
  var searchIndex = DATA.nodes.map(function (n) {
    var texts = [n.label, n.zh].concat(n.alt || [], n.alt_zh || [], [n.id]).filter(Boolean).map(norm);
    var acr = initials(n.label);
    if (acr) { texts.push(acr, acr + "s"); }
    return { id: n.id, texts: texts };
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
  /* big graphs: with a selection, only the selection's edges get their labels (measuring
     thousands of labels is what makes vis-network slow); small graphs label every edge */
  var labelled = Object.create(null);
  if (!META.big) { DATA.edges.forEach(function (e) { labelled[e.id] = true; }); }
  function syncEdgeLabels() {
    var want = edgeLabels.checked && (!META.big || network.getScale() >= LABEL_SCALE);
    var changes = [];
    DATA.edges.forEach(function (e) {
      var on = want && (!META.big || !focusEdges || focusEdges[e.id] === true);
      if (on !== !!labelled[e.id]) {
        labelled[e.id] = on;
        changes.push({ id: e.id, label: on ? e.label : "" });
      }
    });
    edgeLabelsShown = want;
    if (changes.length) { edges.update(changes); }
  }
  edgeLabels.addEventListener("change", syncEdgeLabels);
  network.on("zoom", syncEdgeLabels);
  network.on("animationFinished", syncEdgeLabels);
  document.getElementById("reset").addEventListener("click", function () {
    clearSelection();
    input.value = "";
    results.hidden = true;
    setAllLegend(true);
    if (OV) { setMode("overview"); } else if (HIERARCHY) { readableStart(); } else { fitVisible(); }
  });

  /* ---- modality legend ---- */
  if ((DATA.modalities || []).length) {
    var mlist = document.getElementById("modality-list");
    DATA.modalities.forEach(function (m) {
      var li = el("li");
      var sw = el("span", "line-swatch");
      styleLine(sw, m);
      li.appendChild(sw);
      li.appendChild(el("span", "name", m.label));
      if (m.zh) { var zh = el("span", "zh-small", m.zh); zh.lang = "zh"; li.appendChild(zh); }
      li.appendChild(el("span", "count", m.count));
      li.title = m.definition || m.label;
      mlist.appendChild(li);
    });
    document.getElementById("modality-legend").hidden = false;
  }

  /* ---- overview: the most connected entities by name, the rest in groups ---- */
  var OV = DATA.overview || null;
  var mode = "full";
  var groupById = Object.create(null);
  var ovPos = Object.create(null);
  var fullPos = Object.create(null);
  DATA.nodes.forEach(function (n) { fullPos[n.id] = { x: n.x, y: n.y }; });
  if (OV) {
    OV.nodes.forEach(function (id) { ovPos[id] = { x: OV.positions[id][0], y: OV.positions[id][1] }; });
    var groupNodes = OV.groups.map(function (g) {
      groupById[g.id] = g;
      g.expanded = false;
      var tip = el("div", "pkg-tip");
      tip.appendChild(el("div", "pkg-tip-en", g.label));
      var zh = el("div", "pkg-tip-zh", g.zh); zh.lang = "zh"; tip.appendChild(zh);
      tip.appendChild(el("div", "pkg-tip-cls", "Click to show them; click again to fold them away."));
      return { id: g.id, label: "+ " + g.label, shape: g.shape === "box" ? "box" : g.shape, x: g.x, y: g.y,
               size: 20, hidden: true, title: tip, borderWidth: 2, shapeProperties: { borderDashes: [4, 3] },
               color: { background: "#f0f2f4", border: "#7b8794", highlight: { background: "#e4e7eb", border: "#1f2933" } },
               font: { size: 17, color: "#3e4c59" } };
    });
  }
  function inOverview(id) {
    var item = nodes.get(id);
    return !!item && !item.hidden;
  }
  /* ---- no overlapping nodes or labels: push apart what overlaps, by the boxes vis-network drew ---- */
  function visibleIds() {
    return nodes.get({ filter: function (n) { return !n.hidden; }, fields: ["id"] }).map(function (n) { return n.id; });
  }
  /* a node's box as drawn: vis-network's bounding box leaves out the gap between a dot (diamond,
     star, ...) and the label under it, so the label's last line reaches below it: add the label */
  function boxOf(id) {
    var b = network.getBoundingBox(id);
    var drawn = network.body && network.body.nodes[id], l = drawn && drawn.labelModule && drawn.labelModule.size;
    if (!b || !l || !l.width) { return b; }
    return { left: Math.min(b.left, l.left), top: Math.min(b.top, l.top),
             right: Math.max(b.right, l.left + l.width), bottom: Math.max(b.bottom, l.top + l.height) };
  }
  /* vis-network measures a label only when it draws it (on screen, above its draw threshold):
     draw every node once, the whole view in sight and every label drawn, then measure */
  function measureBoxes(ids) {
    var view = { position: network.getViewPosition(), scale: network.getScale() };
    network.setOptions({ nodes: { scaling: { label: { drawThreshold: 0, maxVisible: 1000 } } } });
    network.fit({ nodes: ids, animation: false });
    network.redraw();
    var out = ids.map(boxOf);
    var label = ((DATA.options.nodes || {}).scaling || {}).label || {};
    network.setOptions({ nodes: { scaling: { label: Object.assign({ drawThreshold: 5, maxVisible: 30 }, label) } } });
    network.moveTo({ position: view.position, scale: view.scale, animation: false });
    return out;
  }

  /* ---- fitting the view into the part of the canvas nothing covers ----
     vis-network's fit centres on the whole canvas; the page fits into what is left of it once
     the side panel, the legend or anything else drawn over it is taken away, so that no node or
     label of a view lies under them */
  var OVERLAYS = ["panel", "legend", "reader", "bar", "search-results", "workbench"];
  var FIT_MARGIN = 0.05;  /* of the fitted extent, each side (vis-network's fit leaves the same) */
  /* the visible part of the canvas, in CSS pixels from the canvas's top left */
  function visibleArea() {
    var g = container.getBoundingClientRect();
    var a = { left: Math.max(g.left, 0), top: Math.max(g.top, 0),
              right: Math.min(g.right, window.innerWidth || g.right), bottom: Math.min(g.bottom, window.innerHeight || g.bottom) };
    function size(r) { return Math.max(r.right - r.left, 0) * Math.max(r.bottom - r.top, 0); }
    OVERLAYS.forEach(function (id) {
      var o = document.getElementById(id);
      if (!o || o.hidden) { return; }
      var r = o.getBoundingClientRect();
      if (!size(r) || r.left >= a.right || r.right <= a.left || r.top >= a.bottom || r.bottom <= a.top) { return; }
      /* keep the largest of the four parts it leaves free: left, right, above, below */
      a = [{ left: a.left, top: a.top, right: Math.min(a.right, r.left), bottom: a.bottom },
           { left: Math.max(a.left, r.right), top: a.top, right: a.right, bottom: a.bottom },
           { left: a.left, top: a.top, right: a.right, bottom: Math.min(a.bottom, r.top) },
           { left: a.left, top: Math.max(a.top, r.bottom), right: a.right, bottom: a.bottom }]
        .reduce(function (best, p) { return size(p) > size(best) ? p : best; });
    });
    return { x: a.left - g.left, y: a.top - g.top, w: Math.max(a.right - a.left, 1), h: Math.max(a.bottom - a.top, 1),
             cw: g.width, ch: g.height };
  }
  /* centre the visible area on (x, y) of the graph, at a scale */
  function moveToArea(x, y, scale, anim, v) {
    v = v || visibleArea();
    network.moveTo({ position: { x: x - (v.x + v.w / 2 - v.cw / 2) / scale, y: y - (v.y + v.h / 2 - v.ch / 2) / scale },
                     scale: scale, animation: anim || false });
  }
  /* the point of the graph at the centre of the visible area */
  function areaCentre(v) {
    v = v || visibleArea();
    var s = network.getScale(), p = network.getViewPosition();
    return { x: p.x + (v.x + v.w / 2 - v.cw / 2) / s, y: p.y + (v.y + v.h / 2 - v.ch / 2) / s };
  }
  /* the boxes (shape and label) of nodes; a big graph's as last drawn (measuring is slow there) */
  function boxesOf(ids) {
    return META.big ? ids.map(boxOf) : measureBoxes(ids);
  }
  function extentOf(boxes) {
    var e = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
    boxes.forEach(function (b) {
      e.left = Math.min(e.left, b.left); e.top = Math.min(e.top, b.top);
      e.right = Math.max(e.right, b.right); e.bottom = Math.max(e.bottom, b.bottom);
    });
    return e;
  }
  /* network.fit, into the visible area: every node of ids (default: every drawn node) in sight,
     with its label, at a scale of at most maxScale (default 1, as vis-network's fit) */
  function fitVisible(ids, maxScale) {
    ids = (ids || visibleIds()).filter(function (id) { var n = nodes.get(id); return n && !n.hidden; });
    if (!ids.length) { return; }
    var e = extentOf(boxesOf(ids)), v = visibleArea(), k = 1 + 2 * FIT_MARGIN;
    var scale = Math.min(v.w / (k * Math.max(e.right - e.left, 1)), v.h / (k * Math.max(e.bottom - e.top, 1)), maxScale || 1);
    moveToArea((e.left + e.right) / 2, (e.top + e.bottom) / 2, scale, false, v);
  }
  /* every drawn node's box and the fit of those of focus into the visible area (the centre and
     scale fitVisible would show them at, at most maxScale, default 1), the view untouched. The
     boxes of focus are measured; the others are as last measured (the page measures every box
     after each change of view, and a selection changes only colours and the selected label) */
  function framing(focus, maxScale) {
    var ids = visibleIds(), measured = ids.map(boxOf), v = visibleArea(), index = Object.create(null);
    ids.forEach(function (id, i) { index[id] = i; });
    var fresh = focus.filter(function (id) { return has(index, id); });
    var mine = fresh.length ? boxesOf(fresh) : [];
    mine.forEach(function (b, i) { measured[index[fresh[i]]] = b; });
    var e = extentOf(mine), k = 1 + 2 * FIT_MARGIN;
    if (!mine.length) { return { ids: ids, measured: measured, v: v, x: areaCentre(v).x, y: areaCentre(v).y, scale: network.getScale() }; }
    return { ids: ids, measured: measured, v: v, x: (e.left + e.right) / 2, y: (e.top + e.bottom) / 2,
             scale: Math.min(v.w / (k * Math.max(e.right - e.left, 1)), v.h / (k * Math.max(e.bottom - e.top, 1)), maxScale || 1) };
  }
  /* A window of w × h (graph units) whose edges cut no box: every box is wholly inside it or
     wholly outside, but for "soft" boxes, which it may cut at a cost (their `soft`). Of those
     windows it returns the top left of the one holding the most weight inside, then of the least
     cost, then the nearest to the anchor; null when every window cuts a box. Rows of the
     search are 8 units apart; along a row the edges go between boxes exactly (a sweep). */
  function cleanWindow(boxes, w, h, span, anchor) {
    var best = null;
    boxes = boxes.filter(function (b) {  /* only those a window of the search can meet */
      return b.right > span.left - w && b.left < span.right + w && b.bottom > span.top - h && b.top < span.bottom + h;
    }).sort(function (p, q) { return p.top - q.top; });
    var tallest = boxes.reduce(function (m, b) { return Math.max(m, b.bottom - b.top); }, 0), first = 0;
    var rows = Math.max(1, Math.min(200, Math.ceil((span.bottom - span.top + h) / 8)));
    /* the events of a row: where the left edge starts or stops cutting a box, or holding it */
    var at = new Float64Array(4 * boxes.length), dCut = new Float64Array(at.length);
    var dWeight = new Float64Array(at.length), dSoft = new Float64Array(at.length), order = [];
    function event(x, cut, weight, soft) {
      var n = order.length;
      at[n] = x; dCut[n] = cut; dWeight[n] = weight; dSoft[n] = soft;
      order.push(n);
    }
    function byPlace(p, q) { return at[p] - at[q]; }
    for (var k = 0; k <= rows; k += 1) {
      var top = span.top - h + (k * (span.bottom - span.top + h)) / rows, bottom = top + h;
      order.length = 0;
      while (first < boxes.length && boxes[first].top < top - tallest) { first += 1; }  /* rows go down */
      for (var j = first; j < boxes.length && boxes[j].top < bottom; j += 1) {
        var b = boxes[j];
        if (b.bottom <= top) { continue; }
        var hard = b.soft ? 0 : 1, soft = b.soft || 0;
        if (b.row && b.top >= top && b.bottom <= bottom) { continue; }  /* a line no side edge cuts */
        if (b.top < top || b.bottom > bottom || (!b.row && b.right - b.left > w)) {  /* cut by the top or bottom edge */
          event(b.left - w, hard, 0, soft); event(b.right, -hard, 0, -soft);
          continue;
        }
        /* the right edge cuts it, it is inside, the left edge cuts it */
        event(b.left - w, hard, 0, soft); event(b.right - w, -hard, b.weight, -soft);
        event(b.left, hard, -b.weight, soft); event(b.right, -hard, 0, -soft);
      }
      order.sort(byPlace);
      var cuts = 0, weight = 0, softCuts = 0, from = span.left - w;
      for (var i = 0; i <= order.length; i += 1) {
        var e = order[i], to = i < order.length ? at[e] : span.right;
        var a = Math.max(from, span.left - w), z = Math.min(to, span.right);
        if (!cuts && weight > 0 && z - a > 0.5) {
          var left = Math.min(Math.max(anchor.x, a + 0.25), z - 0.25);
          var dist = Math.abs(left - anchor.x) + Math.abs(top - anchor.y);
          if (!best || weight > best.weight || (weight === best.weight && (softCuts < best.soft ||
              (softCuts === best.soft && dist < best.dist)))) {
            best = { x: left, y: top, weight: weight, soft: softCuts, dist: dist };
          }
        }
        if (i < order.length) { cuts += dCut[e]; weight += dWeight[e]; softCuts += dSoft[e]; from = to; }
      }
    }
    return best;
  }
  function windowHolds(b, x, y, w, h) { return b.left >= x && b.right <= x + w && b.top >= y && b.bottom <= y + h; }
  function windowCuts(b, x, y, w, h) {
    if (b.right <= x || b.left >= x + w || b.bottom <= y || b.top >= y + h) { return false; }
    return b.row ? b.top < y || b.bottom > y + h : !windowHolds(b, x, y, w, h);
  }
  /* boxes of nodes that were just shown are measured only once drawn: so redraw and repeat until
     nothing overlaps (the last passes may move any node) */
  function declutter(movable) {
    if (META.big && mode !== "overview") { return 0; }
    var total = 0;
    for (var pass = 0; pass < 8; pass += 1) {
      var n = declutterOnce(pass < 2 ? movable : null, 6);
      total += n;
      if (!n && pass >= 1) { break; }
    }
    return total;
  }
  function declutterOnce(movable, pad) {
    var ids = visibleIds();
    var pos = network.getPositions(ids);
    var measured = measureBoxes(ids);
    var B = ids.map(function (id, i) {
      var b = measured[i], p = pos[id];
      return { id: id, x: p.x, y: p.y, w: b.right - b.left, h: b.bottom - b.top,
               ox: (b.left + b.right) / 2 - p.x, oy: (b.top + b.bottom) / 2 - p.y,
               free: !movable || !!movable[id] };
    });
    var moved = 0, pushed = false;
    for (var round = 0; round < 1500; round += 1) {
      var hits = 0;
      for (var i = 0; i < B.length; i += 1) {
        for (var j = i + 1; j < B.length; j += 1) {
          var a = B[i], c = B[j];
          var dx = (c.x + c.ox) - (a.x + a.ox), dy = (c.y + c.oy) - (a.y + a.oy);
          var ox = (a.w + c.w) / 2 + pad - Math.abs(dx), oy = (a.h + c.h) / 2 + pad - Math.abs(dy);
          if (ox <= 0 || oy <= 0) { continue; }
          if (ox > pad && oy > pad) { hits += 1; }  /* overlapping, not just too close */
          pushed = true;
          /* pushes grow a little every round, so that no crowd settles into a cycle */
          var k = Math.min(1 + round / 200, 4);
          var wa = (a.free ? (c.free ? 0.5 : 1) : (c.free ? 0 : 0.5)) * k, wc = k - wa;
          if (ox < oy) {
            var sx = dx > 0 || (dx === 0 && i < j) ? 1 : -1;
            a.x -= sx * ox * wa; c.x += sx * ox * wc;
          } else {
            var sy = dy > 0 || (dy === 0 && i < j) ? 1 : -1;
            a.y -= sy * oy * wa; c.y += sy * oy * wc;
          }
        }
      }
      if (!hits) { break; }
      moved += hits;
    }
    if (pushed) {
      nodes.update(B.map(function (b) { return { id: b.id, x: Math.round(b.x), y: Math.round(b.y) }; }));
      if (mode === "overview") { B.forEach(function (b) { if (has(ovPos, b.id)) { ovPos[b.id] = { x: Math.round(b.x), y: Math.round(b.y) }; } }); }
      network.redraw();
    }
    return moved;
  }
  /* ---- neighbours: a selected node is drawn with everything it links to (depth 1; select a
     neighbour to go one step further) ---- */
  var adjacency = null;
  function neighboursOf(id) {
    if (adjacency === null) {
      adjacency = Object.create(null);
      DATA.edges.forEach(function (e) {
        (adjacency[e.from] = adjacency[e.from] || []).push(e.to);
        (adjacency[e.to] = adjacency[e.to] || []).push(e.from);
      });
    }
    return (adjacency[id] || []).filter(function (k, i, all) { return all.indexOf(k) === i; });
  }
  var revealed = Object.create(null);
  /* what the overview opens is drawn with labels as large as its named entities' */
  function OV_LOOK(id) {
    var n = byId[id], size = 20;
    return { font: Object.assign({}, n.font || {}, { size: size }), widthConstraint: { maximum: Math.round(170 * size / 14) } };
  }
  function groupOf(id) {
    return OV ? OV.groups.filter(function (g) { return g.members.indexOf(id) >= 0; })[0] : null;
  }
  function revealAround(id) {
    var fresh = Object.create(null), upd = [], centre;
    if (!inOverview(id)) {
      var g = groupOf(id);
      centre = g ? nodes.get(g.id) || { x: g.x, y: g.y } : { x: 0, y: 0 };
      upd.push({ id: id, x: centre.x + 60, y: centre.y + 60, hidden: false });
      fresh[id] = true;
      revealed[id] = true;
    }
    var here = upd.length ? upd[0] : network.getPositions([id])[id];
    var todo = neighboursOf(id).filter(function (k) { return !inOverview(k) && !fresh[k] && passFilter(byId[k]); });
    todo.forEach(function (k, i) {
      var ring = Math.floor(i / 12), slot = i % 12, r = 180 + 110 * ring;
      var ang = (2 * Math.PI * slot) / Math.min(12, todo.length - 12 * ring) + ring * 0.26;
      upd.push(Object.assign({ id: k, x: Math.round(here.x + r * Math.cos(ang)), y: Math.round(here.y + r * Math.sin(ang)), hidden: false }, OV_LOOK(k)));
      fresh[k] = true;
      revealed[k] = true;
    });
    if (!upd.length) { return; }
    nodes.update(upd);
    syncLinks();
    declutter(fresh);
  }
  function hideRevealed() {
    var ids = Object.keys(revealed);
    revealed = Object.create(null);
    if (mode === "overview" && ids.length) {
      nodes.update(ids.filter(function (id) { var g = groupOf(id); return !(g && g.expanded); })
        .map(function (id) { return { id: id, hidden: true }; }));
      syncLinks();
    }
  }
  /* the overview's links: a group's edges to what is drawn, counted (hidden once it is open) */
  var linkEdges = OV ? (OV.links || []).map(function (l, i) {
    return { id: "link:" + i, from: l[0], to: l[1], count: l[2], dashes: [3, 4], arrows: { to: { enabled: false } },
             width: Math.min(1 + Math.log(l[2]) * 0.8, 4), color: { color: "#b4bcc5", highlight: "#52606d", hover: "#52606d" },
             title: l[2] + (l[2] === 1 ? " link" : " links"), label: "", smooth: false, hidden: true };
  }) : [];
  function syncLinks() {
    if (!linkEdges.length || !edges.get(linkEdges[0].id)) { return; }
    edges.update(linkEdges.map(function (l) {
      var a = groupById[l.from], b = groupById[l.to];
      var on = mode === "overview" && !(a && a.expanded) && !(b && b.expanded) && inOverview(l.from) && inOverview(l.to);
      return { id: l.id, hidden: !on };
    }));
  }
  function setMode(want, opts) {
    opts = opts || {};
    if (!OV) { want = "full"; }
    mode = want;
    revealed = Object.create(null);
    var btn = document.getElementById("mode");
    if (btn) { btn.textContent = want === "overview" ? "Full graph" : "Overview"; }
    if (want === "overview") {
      nodes.update(DATA.nodes.map(function (n) {
        return has(ovPos, n.id)
          ? { id: n.id, x: ovPos[n.id].x, y: ovPos[n.id].y, hidden: !passFilter(n),
              font: Object.assign({}, n.font || {}, { size: OV.fonts[n.id] }),
              widthConstraint: { maximum: Math.round(170 * OV.fonts[n.id] / 14) } }
          : { id: n.id, hidden: true };
      }));
      OV.groups.forEach(function (g) { g.expanded = false; });
      if (!nodes.get(OV.groups[0].id)) { nodes.add(groupNodes); }
      nodes.update(OV.groups.map(function (g) { return { id: g.id, hidden: false, label: "+ " + g.label }; }));
      if (linkEdges.length && !edges.get(linkEdges[0].id)) { edges.add(linkEdges); }
      syncLinks();
      declutter(null);
    } else {
      nodes.update(DATA.nodes.map(function (n) {
        var back = { id: n.id, x: fullPos[n.id].x, y: fullPos[n.id].y, hidden: !!hiddenLegend[legendOf[n.id]] || !passFilter(n) };
        if (OV) {
          back.font = Object.assign({ size: 14 }, n.font || {});
          back.widthConstraint = n.widthConstraint || (META.big ? false : { maximum: 170 });
        }
        return back;
      }));
      if (linkEdges.length && edges.get(linkEdges[0].id)) { edges.remove(linkEdges.map(function (l) { return l.id; })); }
      if (OV && nodes.get(OV.groups[0].id)) { nodes.remove(OV.groups.map(function (g) { return g.id; })); }
    }
    document.body.classList.toggle("overview", want === "overview");
    /* nodes are pushed apart before the view is chosen, so that the view stays as chosen */
    if (want === "overview" || (want === "full" && FULL)) { declutter(null); }
    if (want === "full" && FULL) { fullRegions(); }
    if (opts.fit !== false) {
      if (want === "full" && FULL) { readableStart(); } else { fitVisible(); }
      syncEdgeLabels();
    }
  }
  /* a view that does not fit at a readable scale (labels of at least 12 px) opens on a part of
     it at that scale, in a window whose edges cut no label: every node in sight is whole, with
     its label, inside the visible area. Of those windows, the one with the most nodes, those of
     the first part (the full graph's biggest community) counted twice, then the nearest to that
     part's top left; a community's name above its region is kept whole too. */
  function readableStart() {
    var ids = visibleIds();
    if (!ids.length) { return null; }
    var first = FULL && mode === "full" ? FULL.groups[0].members.filter(function (id) { var n = nodes.get(id); return n && !n.hidden; }) : ids;
    if (!first.length) { first = ids; }
    var smallest = Math.min.apply(null, ids.map(function (id) { var n = nodes.get(id); return (n && n.font && n.font.size) || 14; }));
    var least = 12 / smallest;
    fitVisible(first);
    if (network.getScale() >= least) { return null; }
    var v = visibleArea(), inFirst = Object.create(null);
    first.forEach(function (id) { inFirst[id] = true; });
    var measured = boxesOf(ids), boxes = null, win = null, start = null;
    var w = v.w / least, h = v.h / least;
    [true, false].some(function (withEdgeLabels) {  /* no edge label cut either, if it can */
      boxes = obstacles(ids, measured, function (id) { return inFirst[id] ? 2 : 1; }, least, withEdgeLabels);
      start = extentOf(boxes.filter(function (b, i) { return i < ids.length && inFirst[ids[i]]; }));
      win = cleanWindow(boxes, w, h, extentOf(boxes), { x: start.left, y: start.top });
      return win !== null;
    });
    if (!win) { win = { x: start.left, y: start.top }; }  /* every window cuts a node: the first part's top left */
    else {
      /* what it holds moved towards the middle of the window, as far as that cuts nothing either */
      var held = extentOf(boxes.filter(function (b) { return b.weight > 0 && windowHolds(b, win.x, win.y, w, h); }));
      var mid = { x: (held.left + held.right - w) / 2, y: (held.top + held.bottom - h) / 2 };
      var from = win;
      [1, 0.75, 0.5, 0.25].some(function (t) {
        var x = from.x + t * (mid.x - from.x), y = from.y + t * (mid.y - from.y);
        if (boxes.some(function (b) { return windowCuts(b, x, y, w, h); })) { return false; }
        win = { x: x, y: y };
        return true;
      });
    }
    moveToArea(win.x + w / 2, win.y + h / 2, least, false, v);
    return win;
  }
  /* what a window's edges must not cut, at a scale: the nodes' boxes (in the order of ids, with
     their weights), the community names of the full graph and the edges' labels (weight 0); each
     grown by 6 px, so that no label comes closer than that to an edge, inside or out */
  function obstacles(ids, measured, weightOf, scale, withEdgeLabels, labels) {
    var gap = 6 / scale;
    var boxes = measured.map(function (b, i) {
      return { left: b.left - gap, top: b.top - gap, right: b.right + gap, bottom: b.bottom + gap, weight: weightOf(ids[i]) };
    });
    if (FULL && mode === "full") { boxes = boxes.concat(regionTitles(gap)); }
    return withEdgeLabels === false ? boxes : boxes.concat(edgeLabelBoxes(gap, scale, labels));
  }
  /* Show the nodes of `focus` (`must` above all) near the window centred on `centre` at `scale`,
     with no node or label cut at an edge of the visible area: first a window that cuts nothing
     (no edge label either, if it can) and holds all of focus, at `scale` or a little further out
     (a tenth less each time, down to `least`); else, at `scale`, the window that holds the most
     of focus whole, cuts none of it and as little as it can of the rest, nearest to that one.
     False, and the view untouched, when neither holds `must` and as much of focus as the window
     centred on `centre` does. */
  function cleanView(focus, must, centre, scale, least, known) {
    known = known || framing([]);
    var ids = known.ids, measured = known.measured, v = known.v, weight = Object.create(null);
    var labels = edgeLabelsDrawn();
    focus.forEach(function (id) { weight[id] = 10; });
    if (must) { weight[must] = 1000; }
    function weightOf(id) { return weight[id] || 0; }
    var all = focus.reduce(function (sum, id) { return sum + weight[id]; }, 0);
    var w0 = v.w / scale, h0 = v.h / scale, at = { x: centre.x - w0 / 2, y: centre.y - h0 / 2 };
    var need = Math.max(must ? 1000 : 10, measured.reduce(function (sum, b, i) {
      return sum + (windowHolds(b, at.x, at.y, w0, h0) ? weightOf(ids[i]) : 0);
    }, 0));
    function search(boxes, s) {
      var w = v.w / s, h = v.h / s, anchor = { x: centre.x - w / 2, y: centre.y - h / 2 };
      var span = extentOf(boxes.filter(function (b) { return b.weight > 0; }).concat(
        [{ left: anchor.x, top: anchor.y, right: anchor.x + w, bottom: anchor.y + h }]));
      var win = cleanWindow(boxes, w, h, span, anchor);
      return win ? { x: win.x, y: win.y, weight: win.weight, s: s, w: w, h: h } : null;
    }
    var scales = [scale];
    while (scales[scales.length - 1] * 0.9 > least) { scales.push(scales[scales.length - 1] * 0.9); }
    if (scales[scales.length - 1] > least) { scales.push(least); }
    var found = null;
    var held = extentOf(measured.filter(function (b, i) { return weightOf(ids[i]) > 0; }));
    scales.some(function (s) {
      /* (no window holds what is wider or taller than it; with the edge labels too only where a
         window holds it without them) */
      if (held.right - held.left + 12 / s > v.w / s || held.bottom - held.top + 12 / s > v.h / s) { return false; }
      var win = search(obstacles(ids, measured, weightOf, s, false), s);
      if (!win || win.weight < all) { return false; }
      var neat = search(obstacles(ids, measured, weightOf, s, true, labels), s);
      found = neat && neat.weight >= all ? neat : win;
      return true;
    });
    if (!found) {  /* focus whole; as few as can be of the rest cut */
      var win = search(obstacles(ids, measured, weightOf, scale, true, labels).map(function (b) {
        return b.weight > 0 ? b : Object.assign({}, b, { soft: b.edge ? 1 : 10 });
      }), scale);
      if (win && win.weight >= need) { found = win; }
    }
    if (!found) { return false; }
    moveToArea(found.x + found.w / 2, found.y + found.h / 2, found.s, false, v);
    return true;
  }
  /* the boxes of the edges' labels, as obstacles: vis-network draws a label at the middle of its
     edge (curved edges: of the curve), turned along the line between the two nodes; not those
     too small to be drawn at this scale */
  function edgeLabelBoxes(gap, scale, labels) {
    var threshold = (((DATA.options.edges || {}).scaling || {}).label || {}).drawThreshold || 5;
    return (labels || edgeLabelsDrawn()).filter(function (l) { return l.size * scale >= threshold; }).map(function (l) {
      return { left: l.x - l.bw - gap, top: l.y - l.bh - gap, right: l.x + l.bw + gap, bottom: l.y + l.bh + gap, weight: 0, edge: true };
    });
  }
  /* each drawn edge label: its middle, half its width and height as turned, its font size */
  function edgeLabelsDrawn() {
    var drawn = network.body && network.body.edges;
    if (META.big || !edgeLabels.checked || !drawn) { return []; }
    var ctx = document.createElement("canvas").getContext("2d");
    var font = (DATA.options.edges || {}).font || {};
    return edges.get({ filter: function (e) { return !e.hidden && !!e.label; } }).map(function (e) {
      var edge = drawn[e.id], a = nodes.get(e.from), z = nodes.get(e.to);
      if (!edge || !edge.edgeType || !a || !z || a.hidden || z.hidden || e.from === e.to) { return null; }
      var p = edge.edgeType.getPoint(0.5, edge.edgeType.getViaNode());
      var size = (e.font && e.font.size) || font.size || 14;
      ctx.font = size + "px " + (font.face || "sans-serif");
      var w = ctx.measureText(e.label).width + 2 * (font.strokeWidth || 0), h = size * 1.2;
      var angle = font.align === "horizontal" ? 0 : Math.atan2(edge.from.y - edge.to.y, edge.from.x - edge.to.x);
      var c = Math.abs(Math.cos(angle)), s = Math.abs(Math.sin(angle));
      return { x: p.x, y: p.y, bw: (w * c + h * s) / 2, bh: (w * s + h * c) / 2, size: size };
    }).filter(function (l) { return l !== null; });
  }
  /* the boxes of the full graph's community names (drawn above each region), as obstacles */
  /* (they are drawn from the visible left edge and shortened to what is in sight, so only an
     edge across their line cuts them) */
  function regionTitles(gap) {
    return FULL.groups.filter(function (g) { return g.region; }).map(function (g) {
      var r = g.region, y = r[1] + 26;
      return { left: r[0], top: y - 18 - gap, right: r[2], bottom: y + 5 + gap, weight: 0, row: true };
    });
  }
  /* text shortened with an ellipsis to a width (canvas units) */
  function fitText(ctx, text, width) {
    if (ctx.measureText(text).width <= width) { return text; }
    var cps = Array.from(text), n = cps.length;
    while (n > 1 && ctx.measureText(cps.slice(0, n).join("") + "…").width > width) { n -= 1; }
    return n > 1 ? cps.slice(0, n).join("").replace(/\s+$/, "") + "…" : "";
  }
  function toggleGroup(gid) {
    var g = groupById[gid];
    g.expanded = !g.expanded;
    var upd = [], fresh = Object.create(null);
    if (g.expanded) {
      var ring = 0, slot = 0, cap = 10;
      g.members.forEach(function (id) {
        if (inOverview(id) || !passFilter(byId[id])) { return; }
        if (slot >= cap) { ring += 1; slot = 0; cap = 10 + 7 * ring; }
        var r = 130 + 75 * ring, a = (2 * Math.PI * slot) / cap + ring * 0.3;
        upd.push(Object.assign({ id: id, x: Math.round(g.x + r * Math.cos(a)), y: Math.round(g.y + r * Math.sin(a)), hidden: false }, OV_LOOK(id)));
        fresh[id] = true;
        slot += 1;
      });
    } else {
      g.members.forEach(function (id) { if (!revealed[id] && id !== current) { upd.push({ id: id, hidden: true }); } });
    }
    nodes.update(upd);
    nodes.update([{ id: gid, label: (g.expanded ? "− " : "+ ") + g.label }]);
    syncLinks();
    if (g.expanded) { declutter(fresh); }
    declutter(null);
    var around = g.expanded ? g.members.concat([gid]).filter(inOverview) : null;
    if (around) {
      /* the opened group in sight, but never so small that its labels cannot be read; no label
         cut at an edge (a little further out or aside if need be) */
      var f = framing(around), scale = f.scale, centre = { x: f.x, y: f.y };
      if (scale < 0.6) { centre = network.getPositions([gid])[gid]; scale = 0.6; }
      if (!cleanView(around, gid, centre, scale, Math.min(scale, frameLeast()), f)) { moveToArea(centre.x, centre.y, scale, false, f.v); }
      syncEdgeLabels();
    }
  }
  /* the full graph's communities: a region behind each, with its name */
  var FULL = DATA.full || null;
  var REGION_FONT = "bold 18px system-ui, sans-serif";
  /* each community's region, from the boxes of its members as drawn */
  function fullRegions() {
    network.redraw();
    FULL.groups.forEach(function (g) {
      var r = [Infinity, Infinity, -Infinity, -Infinity];
      g.members.forEach(function (id) {
        var item = nodes.get(id);
        if (!item || item.hidden) { return; }
        var b = boxOf(id);
        r = [Math.min(r[0], b.left), Math.min(r[1], b.top), Math.max(r[2], b.right), Math.max(r[3], b.bottom)];
      });
      if (r[0] !== Infinity) { g.region = [r[0] - 16, r[1] - 40, r[2] + 16, r[3] + 12]; }
    });
  }
  if (FULL) {
    network.on("beforeDrawing", function (ctx) {
      if (mode !== "full") { return; }
      var v = visibleArea(), a = network.DOMtoCanvas({ x: v.x, y: v.y }), z = network.DOMtoCanvas({ x: v.x + v.w, y: v.y + v.h });
      var seen = { left: a.x, right: z.x };
      ctx.save();
      FULL.groups.forEach(function (g) {
        var r = g.region;
        ctx.fillStyle = "rgba(228, 231, 235, 0.45)";
        ctx.strokeStyle = "#cbd2d9";
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.rect(r[0], r[1], r[2] - r[0], r[3] - r[1]);
        ctx.fill();
        ctx.stroke();
        ctx.fillStyle = "#3e4c59";
        ctx.font = REGION_FONT;
        /* the name where the region is in sight: from the visible area's left edge, shortened
           with an ellipsis to the width in sight, so that it is never cut at an edge */
        var x = Math.max(r[0] + 10, seen.left + 10), room = Math.min(r[2], seen.right) - 10 - x;
        if (room > 0) { ctx.fillText(fitText(ctx, g.label, room), x, r[1] + 26); }
      });
      ctx.restore();
    });
  }
  var modeBtn = document.getElementById("mode");
  if (modeBtn) {
    modeBtn.addEventListener("click", function () {
      clearSelection();
      setMode(mode === "overview" ? "full" : "overview");
    });
  }

  /* ---- several nodes at once (a passage's facts, a query's result) ---- */
  function selectMany(ids, opts) {
    opts = opts || {};
    ids = ids.filter(function (id) { return has(byId, id); });
    if (!ids.length) { return []; }
    if (mode === "overview" && ids.some(function (id) { return !inOverview(id); })) { setMode("full", { fit: false }); }
    ids.forEach(reveal);
    var keep = Object.create(null);
    ids.forEach(function (id) { keep[id] = true; });
    dimAllBut(keep, function (e) { return keep[e.from] && keep[e.to]; });
    current = null;
    network.selectNodes(ids);
    if (opts.title) {
      panel.textContent = "";
      panelHelp.hidden = true;
      panel.hidden = false;
      panel.appendChild(el("h2", "", opts.title));
      var list = el("ul", "facts");
      ids.slice().sort(function (a, b) { return labelOf(a) < labelOf(b) ? -1 : 1; }).forEach(function (id) {
        var li = el("li");
        li.appendChild(nodeRef(id, null));
        li.appendChild(el("span", "id", " " + id));
        list.appendChild(li);
      });
      panel.appendChild(list);
    }
    var fitTo = (opts.fitTo || ids).filter(function (id) { return keep[id]; });
    if (opts.focus !== false) {
      var focus = fitTo.length ? fitTo : ids;
      var f = framing(focus), scale = f.scale, centre = { x: f.x, y: f.y };
      /* nodes far apart in the layout: show the first at a readable scale rather than all tiny */
      if (scale < 0.45) { centre = network.getPositions([focus[0]])[focus[0]]; scale = 0.6; }
      /* no label cut at an edge: as many of them as a window that cuts none can hold */
      if (!cleanView(focus, null, centre, scale, Math.min(scale, 0.45), f)) { moveToArea(centre.x, centre.y, scale, false, f.v); }
      syncEdgeLabels();
    }
    return ids;
  }

  /* ---- reader: the article's text with its passages highlighted ---- */
  var tab = "graph";
  var currentPassage = null;
  var spansOf = Object.create(null);
  var readerDoc = null;
  function rgba(hex, alpha) {
    var r = parseInt(hex.slice(1, 3), 16), g = parseInt(hex.slice(3, 5), 16), b = parseInt(hex.slice(5, 7), 16);
    return "rgba(" + r + "," + g + "," + b + "," + alpha + ")";
  }
  /* offsets are Unicode code points (Python str indices); JavaScript strings count UTF-16 units,
     so the text is split into code points first and sliced by them */
  function codePoints(text) { return Array.from(text); }
  /* the reader's colour key: the modalities of this page, prohibitions, plain passages, drafts */
  function readerKey() {
    var key = document.getElementById("reader-key");
    if (!key || key.childNodes.length) { return; }
    function entry(text, style, title) {
      var k = el("span", "key"), chip = el("span", "chip");
      Object.keys(style).forEach(function (p) { chip.style[p] = style[p]; });
      k.appendChild(chip); k.appendChild(el("span", "", text));
      if (title) { k.title = title; }
      key.appendChild(k);
    }
    (DATA.modalities || []).forEach(function (m) {
      entry(m.label + (m.zh ? " " + m.zh : ""), { backgroundColor: rgba(m.fill || m.color, 0.28), borderBottom: "3px solid " + m.color }, m.definition);
    });
    entry("plain passage", { backgroundColor: "rgba(143, 188, 223, 0.16)", borderBottom: "2px solid rgba(143, 188, 223, 0.6)" });
    if (Object.keys(DATA.passages).some(function (p) { return DATA.passages[p].negative; })) {
      var neg = el("span", "key"); var t = el("span", "neg-sample", "not");
      t.style.textDecoration = "underline wavy #000"; neg.appendChild(t); neg.appendChild(el("span", "", "prohibition (negative)"));
      key.appendChild(neg);
    }
    if (META.drafts) { entry("draft (shown with drafts ticked)", { outline: "1px dashed #7b8794", backgroundColor: "rgba(123,135,148,.12)" }); }
  }
  function renderDoc(doc) {
    readerKey();
    var box = document.getElementById("reader-text");
    box.textContent = "";
    spansOf = Object.create(null);
    readerDoc = doc;
    var info = DOCS[doc];
    document.getElementById("reader-title").textContent = info.label;
    var cps = codePoints(info.text);
    var mine = Object.keys(DATA.passages).filter(function (pid) {
      var p = DATA.passages[pid];
      return p.doc === doc && p.start !== null && p.start !== undefined && p.end <= cps.length && p.start < p.end;
    }).sort();
    var cuts = [0, cps.length];
    mine.forEach(function (pid) { cuts.push(DATA.passages[pid].start, DATA.passages[pid].end); });
    cuts = cuts.filter(function (c, i, all) { return all.indexOf(c) === i; }).sort(function (a, b) { return a - b; });
    for (var i = 0; i + 1 < cuts.length; i += 1) {
      var a = cuts[i], b = cuts[i + 1];
      var text = cps.slice(a, b).join("");
      var covering = mine.filter(function (pid) { var p = DATA.passages[pid]; return p.start <= a && p.end >= b; });
      if (!covering.length) { box.appendChild(document.createTextNode(text)); continue; }
      covering.sort(function (x, y) {
        var px = DATA.passages[x], py = DATA.passages[y];
        return (px.end - px.start) - (py.end - py.start) || (x < y ? -1 : 1);
      });
      var pid = covering[0];
      var p = DATA.passages[pid];
      var span = el("span", "psg", text);
      span.setAttribute("data-passage", pid);
      span.title = pid + (p.modality && MODALITY[p.modality] ? " · " + MODALITY[p.modality].label : "");
      if (p.modality && MODALITY[p.modality]) {
        span.style.backgroundColor = rgba(MODALITY[p.modality].fill || MODALITY[p.modality].color, 0.2);
        span.style.borderBottom = "2px solid " + rgba(MODALITY[p.modality].color, 0.75);
        span.classList.add("has-modality");
      }
      if (p.negative) { span.classList.add("neg"); span.title += " · prohibition (negative polarity)"; }
      if (p.draft) { span.classList.add("draft"); span.title += " · draft (not reviewed)"; if (!showDrafts) { span.classList.add("draft-hidden"); } }
      (spansOf[pid] = spansOf[pid] || []).push(span);
      box.appendChild(span);
    }
  }
  function passagesOfNode(id) {
    var found = Object.create(null);
    (byId[id].evidence || []).forEach(function (p) { found[p] = true; });
    factsOf(id).forEach(function (f) { f[6].forEach(function (src) { if (has(DATA.passages, src)) { found[src] = true; } }); });
    if (PROVISIONS[id]) { PROVISIONS[id].passages.forEach(function (p) { found[p] = true; }); }
    return Object.keys(found).sort();
  }
  function markPassages(pids, scroll) {
    var box = document.getElementById("reader-text");
    if (!box) { return; }
    Array.prototype.forEach.call(box.querySelectorAll(".psg.hit, .psg.active"), function (s) { s.classList.remove("hit", "active"); });
    var first = null;
    pids.forEach(function (pid) {
      (spansOf[pid] || []).forEach(function (s) { s.classList.add("hit"); first = first || s; });
    });
    if (first && scroll) { first.scrollIntoView({ block: "center" }); }
    document.getElementById("reader").setAttribute("data-hits", String(pids.filter(function (p) { return spansOf[p]; }).length));
  }
  function factsOfPassage(pid) {
    return DATA.facts.filter(function (f) { return f[6].indexOf(pid) >= 0; });
  }
  function showPassagePanel(pid) {
    var p = DATA.passages[pid];
    panel.textContent = "";
    panelHelp.hidden = true;
    panel.hidden = false;
    panel.appendChild(el("h2", "", "Passage " + pid));
    panel.appendChild(quoteBlock(pid));
    var provs = Object.keys(PROVISIONS).filter(function (v) { return PROVISIONS[v].passages.indexOf(pid) >= 0; }).sort();
    if (provs.length) {
      panel.appendChild(el("h3", "", "Provisions (" + provs.length + ")"));
      provs.forEach(function (v) {
        var h = el("div", "prov-title");
        h.appendChild(nodeRef(v, null));
        panel.appendChild(h);
        var block = provisionBlock(v);
        Array.prototype.slice.call(block.querySelectorAll("blockquote")).forEach(function (q) { q.remove(); });
        panel.appendChild(block);
      });
    }
    var facts = factsOfPassage(pid).filter(function (f) { return !PROVISIONS[f[0]]; });
    if (facts.length) {
      panel.appendChild(el("h3", "", "Facts (" + facts.length + ")"));
      var ul = el("ul", "facts");
      facts.forEach(function (f) { ul.appendChild(factItem(f, null)); });
      panel.appendChild(ul);
    }
    var mentioned = DATA.nodes.filter(function (n) { return (n.evidence || []).indexOf(pid) >= 0; }).map(function (n) { return n.id; });
    if (mentioned.length) {
      panel.appendChild(el("h3", "", "Mentions"));
      var line = el("p", "mentions");
      mentioned.forEach(function (id, i) { if (i) { line.appendChild(document.createTextNode(", ")); } line.appendChild(nodeRef(id, null)); });
      panel.appendChild(line);
    }
    document.getElementById("panel").scrollTop = 0;
    return p;
  }
  function nodesOfPassage(pid) {
    var ids = Object.create(null);
    factsOfPassage(pid).forEach(function (f) {
      if (has(byId, f[0])) { ids[f[0]] = true; }
      if (f[3] === "node" && has(byId, f[2])) { ids[f[2]] = true; }
    });
    Object.keys(PROVISIONS).forEach(function (v) { if (PROVISIONS[v].passages.indexOf(pid) >= 0 && has(byId, v)) { ids[v] = true; } });
    if (!Object.keys(ids).length) {
      DATA.nodes.forEach(function (n) { if ((n.evidence || []).indexOf(pid) >= 0) { ids[n.id] = true; } });
    }
    return Object.keys(ids).sort();
  }
  function openPassage(pid, opts) {
    opts = opts || {};
    if (!READER || !has(DATA.passages, pid)) { return false; }
    var p = DATA.passages[pid];
    if (!has(DOCS, p.doc)) { return false; }
    setTab("reader");
    if (readerDoc !== p.doc) { renderDoc(p.doc); }
    currentPassage = pid;
    markPassages([pid], true);
    (spansOf[pid] || []).forEach(function (s) { s.classList.add("active"); });
    if (opts.select !== false) {
      /* who states it (the author of every provision) is selected but not framed: a hub */
      var speakers = Object.create(null);
      factsOfPassage(pid).forEach(function (f) { if (f[1] === "pkg:statedBy") { speakers[f[2]] = true; } });
      var ids = nodesOfPassage(pid);
      selectMany(ids, { fitTo: ids.filter(function (id) { return !speakers[id]; }) });
    }
    showPassagePanel(pid);
    var want = "#passage=" + encodeURIComponent(pid).replace(/%3A/g, ":");
    if (location.hash !== want) { try { history.replaceState(null, "", want); } catch (err) { /* file:// */ } }
    return true;
  }
  function passageFromHash() {
    var m = /^#passage=(.+)$/.exec(location.hash || "");
    if (!m) { return null; }
    var raw;
    try { raw = decodeURIComponent(m[1]); } catch (err) { return null; }
    if (has(DATA.passages, raw)) { return raw; }
    if (has(DATA.passages, "kg:" + raw)) { return "kg:" + raw; }
    return null;
  }
  if (READER) {
    var docSelect = document.getElementById("reader-doc");
    var docIds = Object.keys(DOCS).sort();
    if (docIds.length > 1) {
      docIds.forEach(function (d) { var o = el("option", "", DOCS[d].label); o.value = d; docSelect.appendChild(o); });
      docSelect.hidden = false;
      docSelect.addEventListener("change", function () { renderDoc(docSelect.value); });
    }
    document.getElementById("reader-text").addEventListener("click", function (ev) {
      var t = ev.target;
      if (t && t.getAttribute && t.getAttribute("data-passage")) { openPassage(t.getAttribute("data-passage"), { select: true }); }
    });
  }

  /* ---- filters: document, year, drafts ---- */
  function applyFilters() {
    var narrowed = !!(wantDoc || wantYear);
    if (narrowed && mode === "overview") { setMode("full", { fit: false }); }
    if (mode === "overview") {
      nodes.update(DATA.nodes.filter(function (n) { return n.draft; }).map(function (n) {
        return { id: n.id, hidden: !showDrafts || !inOverview(n.id) };
      }));
    } else {
      nodes.update(DATA.nodes.map(function (n) { return { id: n.id, hidden: !!hiddenLegend[legendOf[n.id]] || !passFilter(n) }; }));
      var shown = visibleIds();
      if (shown.length) { fitVisible(shown); }
    }
    if (current && !passFilter(byId[current])) { clearSelection(); }
    Array.prototype.forEach.call(document.querySelectorAll("#reader-text .psg.draft"), function (sp) {
      sp.classList.toggle("draft-hidden", !showDrafts);
    });
    fillReaderDocs();
    if (READER && wantDoc && has(DOCS, wantDoc) && readerDoc !== wantDoc) { renderDoc(wantDoc); }
    document.body.setAttribute("data-filter", [wantDoc, wantYear, showDrafts ? "drafts" : ""].join("|"));
  }
  function fillReaderDocs() {
    if (!READER) { return; }
    var sel = document.getElementById("reader-doc");
    var ids = Object.keys(DOCS).sort().filter(function (d) { return (!wantDoc || d === wantDoc) && (!wantYear || docYear(d) === wantYear); });
    sel.textContent = "";
    ids.forEach(function (d) { var o = el("option", "", DOCS[d].label); o.value = d; sel.appendChild(o); });
    sel.hidden = Object.keys(DOCS).length < 2;
    if (readerDoc && ids.indexOf(readerDoc) < 0 && ids.length && tab === "reader") { renderDoc(ids[0]); }
    if (readerDoc) { sel.value = readerDoc; }
  }
  var docFilter = document.getElementById("filter-doc"), yearFilter = document.getElementById("filter-year");
  if (FILTERS && docFilter && yearFilter) {
    Object.keys(FILTERS.documents).sort().forEach(function (d) {
      var info = FILTERS.documents[d];
      var o = el("option", "", info.label + (info.year ? " (" + info.year + ")" : "")); o.value = d; docFilter.appendChild(o);
    });
    FILTERS.years.forEach(function (y) { var o = el("option", "", String(y)); o.value = String(y); yearFilter.appendChild(o); });
    docFilter.addEventListener("change", function () { wantDoc = docFilter.value; applyFilters(); });
    yearFilter.addEventListener("change", function () { wantYear = yearFilter.value; applyFilters(); });
  }
  var draftBox = document.getElementById("drafts");
  if (draftBox) { draftBox.addEventListener("change", function () { showDrafts = draftBox.checked; applyFilters(); }); }

  /* ---- tabs: graph, reader, query ---- */
  var tabs = { graph: document.getElementById("tab-graph"), reader: document.getElementById("tab-reader"),
               query: document.getElementById("tab-query") };
  function setTab(name) {
    if (!tabs[name]) { return; }
    if (name === "reader" && readerDoc === null) {
      var allowed = Object.keys(DOCS).sort().filter(function (d) { return (!wantDoc || d === wantDoc) && (!wantYear || docYear(d) === wantYear); });
      renderDoc(allowed[0] || Object.keys(DOCS).sort()[0]);
    }
    tab = name;
    Object.keys(tabs).forEach(function (k) {
      if (tabs[k]) { tabs[k].classList.toggle("active", k === name); tabs[k].setAttribute("aria-pressed", String(k === name)); }
    });
    document.body.classList.toggle("reading", name === "reader");
    document.body.classList.toggle("querying", name === "query");
    var reader = document.getElementById("reader");
    if (reader) { reader.hidden = name !== "reader"; }
    var wb = document.getElementById("workbench");
    if (wb) { wb.hidden = name !== "query"; }
    if (name !== "query") { network.redraw(); }
    document.dispatchEvent(new CustomEvent("policykg:tab", { detail: name }));
  }
  Object.keys(tabs).forEach(function (k) {
    if (tabs[k]) { tabs[k].addEventListener("click", function () { setTab(k); if (k === "reader" && current) { markPassages(passagesOfNode(current), true); } }); }
  });

  /* ---- start ---- */
  window.policykg = {
    data: DATA, network: network, nodes: nodes, edges: edges,
    select: select, selectMany: selectMany, clearSelection: clearSelection, search: search,
    setMode: setMode, mode: function () { return mode; }, declutter: declutter, neighboursOf: neighboursOf,
    measureBoxes: measureBoxes, setTab: setTab, tab: function () { return tab; },
    openPassage: openPassage, passagesOfNode: passagesOfNode, ready: false,
    filter: function (doc, year, drafts) {
      wantDoc = doc || ""; wantYear = year ? String(year) : ""; showDrafts = !!drafts;
      if (docFilter) { docFilter.value = wantDoc; } if (yearFilter) { yearFilter.value = wantYear; }
      if (draftBox) { draftBox.checked = showDrafts; }
      applyFilters();
    }
  };
  network.once("afterDrawing", function () {
    window.policykg.ready = true;
    document.documentElement.setAttribute("data-ready", "true");
  });
  var startPassage = passageFromHash();
  var start = idFromHash();
  if (OV) { setMode("overview", { fit: !start && !startPassage }); }
  else { declutter(null); }
  if (HIERARCHY && !start) { readableStart(); }
  if (startPassage) { openPassage(startPassage, { select: true }); }
  else if (start) { select(start, { animate: false }); }
  else if (!OV && !HIERARCHY) { fitVisible(); }
}());
