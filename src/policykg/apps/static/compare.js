/* policykg compare view (the workbench's #wb-compare-slot, in the Query tab of `policykg serve`).
 * Two documents side by side: their provisions matched (by what they concern and by their
 * quotes), one row per change, coloured by its kind (the Okabe–Ito key the server sends), both
 * quotes, each linked to its passage in the reader; the targets that changed. And the timeline
 * of a concept, actor or measure: a bar chart (SVG) and one row per document.
 * Every request goes to the server that sent the page (api/compare, api/timeline, api/documents);
 * every text is written with textContent, never parsed as HTML. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { e.textContent = String(text); }
    return e;
  }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.text().then(function (text) {
        if (!r.ok) { throw new Error(r.status + " " + text.trim()); }
        return JSON.parse(text);
      });
    });
  }
  /* the filter bar's drafts toggle (workbench.js) also applies here */
  function draftsWanted() {
    var box = document.getElementById("wb-drafts");
    return !!(box && box.checked);
  }

  function build(slot) {
    if (slot.getAttribute("data-compare")) { return; }
    slot.setAttribute("data-compare", "ready");
    slot.hidden = false;
    var PKG = window.policykg || {};
    var bar = el("div", "cv-bar");
    var compareBtn = el("button", "cv-mode", "Compare two documents");
    compareBtn.type = "button";
    compareBtn.id = "cv-open-compare";
    var timelineBtn = el("button", "cv-mode", "Timeline of a concept or measure");
    timelineBtn.type = "button";
    timelineBtn.id = "cv-open-timeline";
    bar.appendChild(compareBtn);
    bar.appendChild(timelineBtn);
    slot.appendChild(bar);

    /* a control with its id (and, for a text input, its placeholder) */
    function control(tag, cls, id, placeholder) {
      var c = el(tag, cls);
      c.id = id;
      if (placeholder) { c.type = "text"; c.placeholder = placeholder; }
      return c;
    }
    /* a hidden panel of the slot: its form (labelled fields, a submit button, a status) and its
     * output; fields are [label text, control] pairs */
    function panel(cls, label, fields, goText) {
      var box = el("section", "cv-panel " + cls);
      box.hidden = true;
      box.setAttribute("aria-label", label);
      var form = el("form", "cv-form");
      fields.forEach(function (f) {
        var l = el("label", "cv-field");
        l.appendChild(el("span", "", f[0]));
        l.appendChild(f[1]);
        form.appendChild(l);
      });
      var go = el("button", "cv-go", goText);
      go.type = "submit";
      form.appendChild(go);
      var status = el("span", "cv-status", "");
      status.setAttribute("aria-live", "polite");
      form.appendChild(status);
      box.appendChild(form);
      var out = el("div", "cv-out");
      box.appendChild(out);
      slot.appendChild(box);
      return { box: box, form: form, status: status, out: out };
    }

    /* ---- compare ---- */
    var selA = control("select", "cv-doc", "cv-a");
    var selB = control("select", "cv-doc", "cv-b");
    var about = control("input", "cv-about", "cv-about", "e.g. kg:new-quality-productive-forces");
    var cmp = panel("cv-compare", "Compare two documents",
                    [["Earlier", selA], ["Later", selB], ["About (optional)", about]], "Compare");
    var cmpBox = cmp.box, cmpStatus = cmp.status, cmpOut = cmp.out;

    /* ---- timeline ---- */
    var entity = control("input", "cv-entity", "cv-entity", "新质生产力, kg:new-urban-jobs, …");
    var tl = panel("cv-timeline", "Timeline of a concept or measure",
                   [["Concept, actor or measure", entity]], "Show timeline");
    var tlBox = tl.box, tlOut = tl.out;

    function mode(which) {
      var open = which === "compare" ? cmpBox : tlBox;
      var other = which === "compare" ? tlBox : cmpBox;
      open.hidden = !open.hidden;
      other.hidden = true;
      compareBtn.classList.toggle("active", !cmpBox.hidden);
      timelineBtn.classList.toggle("active", !tlBox.hidden);
      compareBtn.setAttribute("aria-pressed", String(!cmpBox.hidden));
      timelineBtn.setAttribute("aria-pressed", String(!tlBox.hidden));
      slot.setAttribute("data-mode", cmpBox.hidden && tlBox.hidden ? "" : which);
    }
    compareBtn.addEventListener("click", function () { mode("compare"); });
    timelineBtn.addEventListener("click", function () { mode("timeline"); });

    getJSON("api/documents").then(function (info) {
      var docs = info.documents || [];
      docs.forEach(function (d) {
        var text = d.label + (d.year && d.label.indexOf(String(d.year)) < 0 ? " (" + d.year + ")" : "");
        selA.appendChild(new Option(text, d.id));
        selB.appendChild(new Option(text, d.id));
      });
      if (docs.length > 1) {  /* the two latest reports by default */
        selA.value = docs[docs.length - 2].id;
        selB.value = docs[docs.length - 1].id;
      }
      slot.setAttribute("data-documents", String(docs.length));
    }, function (err) { cmpStatus.textContent = "cannot list the documents: " + err.message; });

    /* a passage link: opens the reader on it when the page holds it, else the page's #passage= link */
    function passageLink(id) {
      var a = el("a", "cv-passage", id);
      a.href = "#passage=" + encodeURIComponent(id).replace(/%3A/g, ":");
      a.setAttribute("data-passage", id);
      a.title = "Open this passage in the reader";
      a.addEventListener("click", function (ev) {
        if (PKG.openPassage && PKG.data && Object.prototype.hasOwnProperty.call(PKG.data.passages || {}, id)) {
          ev.preventDefault();
          PKG.openPassage(id, { select: true });
        }
      });
      return a;
    }
    function draftTag() { return el("span", "wb-draft", "draft"); }
    function sideCell(side, colour, what) {
      var td = el("td", "cv-side");
      if (!side) { td.appendChild(el("span", "cv-none", "— (" + what + ")")); return td; }
      var q = el("blockquote", "cv-quote", side.quote);
      q.setAttribute("lang", /[\u3400-\u9fff]/.test(side.quote) ? "zh" : "en");
      q.style.borderLeftColor = colour;
      td.appendChild(q);
      var meta = el("div", "cv-meta");
      var bits = [];
      if (side.modality) { bits.push(side.modality + (side.polarity === "negative" ? " (not)" : "")); }
      if (side.cue) { bits.push("“" + side.cue + "”"); }
      if (side.addressees && side.addressees.length) { bits.push(side.addressees.join(", ")); }
      if (side.value !== undefined) {
        bits.push([side.qualifier, side.value, side.unit].filter(Boolean).join(" "));
      }
      meta.appendChild(el("span", "", bits.join(" · ") + (bits.length ? " · " : "")));
      meta.appendChild(passageLink(side.passage_id));
      if (side.draft) { meta.appendChild(draftTag()); }
      td.appendChild(meta);
      return td;
    }
    /* a chip's text is white on a dark colour (related's blue), black on a light one */
    function dark(hex) {
      var m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || "");
      if (!m) { return false; }
      var l = [m[1], m[2], m[3]].map(function (h) {
        var c = parseInt(h, 16) / 255;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
      });
      return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2] < 0.18;
    }
    function kindCell(kind, colour, extra) {
      var td = el("td", "cv-kind");
      var chip = el("span", "cv-chip", kind);
      chip.style.background = colour;
      chip.style.color = dark(colour) ? "#ffffff" : "#111111";
      td.appendChild(chip);
      (extra || []).forEach(function (t) { td.appendChild(el("div", "cv-meta", t)); });
      return td;
    }
    /* a table with its head row (cells given as [text, class] pairs); rows go into its body */
    function table(cls, heads) {
      var t = el("table", cls);
      var head = el("tr");
      heads.forEach(function (h) { head.appendChild(el("th", h[1] || "", h[0])); });
      var thead = el("thead");
      thead.appendChild(head);
      t.appendChild(thead);
      var body = el("tbody");
      t.appendChild(body);
      return { node: t, body: body };
    }
    /* one row of the compare table: the kind's chip (with its notes), then each side's quote */
    function changeRow(cls, kind, colour, notes, a, b, noneA, noneB) {
      var tr = el("tr", cls);
      tr.setAttribute("data-kind", kind);
      tr.appendChild(kindCell(kind, colour, notes));
      tr.appendChild(sideCell(a, colour, noneA));
      tr.appendChild(sideCell(b, colour, noneB));
      return tr;
    }
    function drawCompare(data) {
      cmpOut.textContent = "";
      var colours = data.colours || {};
      var key = el("p", "cv-key");
      key.setAttribute("aria-label", "Colour key");
      Object.keys(data.counts).forEach(function (k) {
        if (k === "unchanged" || k.indexOf("target ") === 0) { return; }
        var s = el("span", "cv-key-item");
        var sw = el("span", "cv-swatch");
        sw.style.background = colours[k] || "#999999";
        s.appendChild(sw);
        s.appendChild(document.createTextNode(k + ": " + data.counts[k]));
        key.appendChild(s);
      });
      cmpOut.appendChild(key);
      if (data.about_label) { cmpOut.appendChild(el("p", "cv-note cv-about-note", "Only the provisions about " + data.about_label + ".")); }
      if (data.drafts) { cmpOut.appendChild(el("p", "cv-note", "Drafts shown: rows from unreviewed passages are marked “draft”.")); }
      var labelA = data.documents.a.label, labelB = data.documents.b.label;
      var t = table("cv-table", [["change", "cv-kind-h"], [labelA], [labelB]]);
      (data.targets || []).forEach(function (x) {
        t.body.appendChild(changeRow("cv-row cv-target", x.kind, colours[x.kind] || "#999999", [x.measure],
                                     x.a, x.b, "no target", "no target"));
      });
      data.changes.forEach(function (c) {
        var notes = [];
        if (c.a && c.b) { notes.push("match " + c.score.toFixed(2)); }
        if (c.shared_concerns && c.shared_concerns.length) { notes.push("both about: " + c.shared_concerns.join("; ")); }
        t.body.appendChild(changeRow("cv-row", c.kind, colours[c.kind] || "#999999", notes,
                                     c.a, c.b, "not in " + labelA, "not in " + labelB));
      });
      cmpOut.appendChild(t.node);
      slot.setAttribute("data-changes", String(data.changes.length + (data.targets || []).length));
      return data.changes.length + " changes, " + (data.targets || []).length + " targets";
    }
    /* a form's submit: one request at a time counts (a later one wins); its answer drawn (draw
     * returns the status text), its error shown in one line; the slot's attribute attr is ""
     * while it runs, "error" when it failed */
    function submits(p, attr, busy, url, draw) {
      var runs = 0;
      p.form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var request = url();
        var run = ++runs;
        p.status.textContent = busy;
        slot.setAttribute(attr, "");
        getJSON(request).then(function (data) {
          if (run !== runs) { return; }
          p.status.textContent = draw(data);
        }, function (err) {
          if (run !== runs) { return; }
          p.out.textContent = "";
          p.out.appendChild(el("pre", "wb-error", err.message));
          p.status.textContent = "failed";
          slot.setAttribute(attr, "error");
        });
      });
    }
    submits(cmp, "data-changes", "comparing…", function () {
      var params = new URLSearchParams({ a: selA.value, b: selB.value });
      if (about.value.trim()) { params.append("about", about.value.trim()); }
      if (draftsWanted()) { params.append("drafts", "1"); }
      return "api/compare?" + params.toString();
    }, drawCompare);

    /* ---- the timeline chart: values of a measure, else provisions (or passages) per document ---- */
    function chart(data) {
      var points = data.rows.map(function (r) {
        var nums = (r.values || []).filter(function (v) { return v.value !== "" && !isNaN(Number(v.value)); });
        if (nums.length) {
          return { year: r.year, value: Number(nums[0].value), label: [nums[0].qualifier, nums[0].value].filter(Boolean).join(" "), draft: r.draft };
        }
        var n = r.provisions || r.passages;
        return { year: r.year, value: n, label: String(n), draft: r.draft };
      });
      var measure = data.rows.some(function (r) { return (r.values || []).length; });
      var width = Math.max(360, Math.min(1000, 90 * points.length + 80)), height = 240, left = 40, bottom = 34, top = 26;
      var box = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img", "class": "cv-chart",
                             "aria-label": measure ? "values by year" : "provisions (or passages) per document, by year" });
      var maxV = Math.max.apply(null, points.map(function (p) { return p.value; }).concat([1]));
      var step = (width - left - 10) / Math.max(1, points.length);
      box.appendChild(svg("line", { x1: left, y1: height - bottom, x2: width - 6, y2: height - bottom, stroke: "#52606d" }));
      points.forEach(function (p, i) {
        var h = (height - bottom - top) * p.value / maxV;
        var x = left + i * step + step * 0.2, y = height - bottom - h;
        var rect = svg("rect", { x: x.toFixed(1), y: y.toFixed(1), width: (step * 0.6).toFixed(1), height: Math.max(1, h).toFixed(1),
                                 fill: p.draft ? "#E69F00" : "#0072B2", "class": "cv-bar" });
        rect.appendChild(svg("title", {}, (p.year === null ? "?" : p.year) + ": " + p.label + (p.draft ? " (draft)" : "")));
        box.appendChild(rect);
        box.appendChild(svg("text", { x: (x + step * 0.3).toFixed(1), y: (y - 6).toFixed(1), "text-anchor": "middle", "class": "cv-value" }, p.label));
        box.appendChild(svg("text", { x: (x + step * 0.3).toFixed(1), y: height - bottom + 18, "text-anchor": "middle", "class": "cv-year" },
                            p.year === null ? "?" : p.year));
      });
      return { node: box, what: measure ? "the value the report states (the first, when several)" : "provisions about it per document (passages when none)" };
    }
    function drawTimeline(data) {
      tlOut.textContent = "";
      var head = el("p", "cv-span");
      head.appendChild(el("strong", "", data.label));
      head.appendChild(document.createTextNode(data.rows.length
        ? ": first named in " + data.first + ", last in " + data.last + " (" + data.rows.length + " document" + (data.rows.length === 1 ? "" : "s") + ")."
        : ": no document names it."));
      tlOut.appendChild(head);
      if (!data.rows.length) { slot.setAttribute("data-timeline", "0"); return ""; }
      var c = chart(data);
      tlOut.appendChild(c.node);
      tlOut.appendChild(el("p", "cv-meta", "Bars: " + c.what + "."));
      var t = table("cv-table cv-tl", [["year"], ["document"], ["passages"], ["provisions"], ["values"], ["first passage"]]);
      data.rows.forEach(function (r) {
        var row = el("tr", "cv-row");
        row.appendChild(el("td", "", r.year === null ? "?" : r.year));
        var doc = el("td", "", r.label);
        if (r.draft) { doc.appendChild(draftTag()); }
        row.appendChild(doc);
        row.appendChild(el("td", "", r.passages));
        row.appendChild(el("td", "", Object.keys(r.modalities || {}).map(function (k) { return k + " " + r.modalities[k]; }).join(", ")));
        row.appendChild(el("td", "", (r.values || []).map(function (v) { return [v.kind, v.qualifier, v.value, v.unit].filter(Boolean).join(" "); }).join("; ")));
        var q = el("td", "cv-side");
        var quote = el("blockquote", "cv-quote", r.first_quote);
        q.appendChild(quote);
        if (r.first_passage) { var m = el("div", "cv-meta"); m.appendChild(passageLink(r.first_passage)); q.appendChild(m); }
        row.appendChild(q);
        t.body.appendChild(row);
      });
      tlOut.appendChild(t.node);
      slot.setAttribute("data-timeline", String(data.rows.length));
      return "";
    }
    submits(tl, "data-timeline", "…", function () {
      var params = new URLSearchParams({ entity: entity.value.trim() });
      if (draftsWanted()) { params.append("drafts", "1"); }
      return "api/timeline?" + params.toString();
    }, drawTimeline);
    window.policykgCompare = { mode: mode };
  }

  /* the slot is made by workbench.js when the Query tab first opens */
  var wb = document.getElementById("workbench");
  if (!wb) { return; }
  function look() {
    var slot = document.getElementById("wb-compare-slot");
    if (slot) { build(slot); return true; }
    return false;
  }
  if (!look()) {
    var watch = new MutationObserver(function () { if (look()) { watch.disconnect(); } });
    watch.observe(wb, { childList: true, subtree: true });
  }
}());
