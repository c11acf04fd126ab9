/* The review page of `policykg annotate --html`: accept, reject or edit each proposed item and
 * save the reviewed draft (a download; nothing is sent anywhere, the page's policy allows no
 * connection). The draft is read from the page's JSON block (data, never run); every text is put
 * in with textContent. The saved file is the draft as JSON, which is YAML too: `policykg add`
 * reads it as it reads the YAML draft (accepted items `status: accepted`, a rejected passage
 * `status: rejected` with its quote only, so that the corpus import does not draft its words
 * again, other rejected items deleted, undecided ones still `status: proposed`, so that `add`
 * lists them). */
(function () {
  "use strict";
  var block = document.getElementById("draft-data");
  if (!block) { return; }
  var draft = JSON.parse(block.textContent);
  var decisions = Object.create(null);   /* path key -> "accepted" | "rejected" */
  var edits = Object.create(null);       /* path key -> the edited item */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function key(path) { return JSON.stringify(path); }
  function isProposed(item) { return item && typeof item === "object" && item.status === "proposed"; }
  function summary(item) {
    var copy = {};
    Object.keys(item).forEach(function (k) { if (k !== "status" && k !== "match") { copy[k] = item[k]; } });
    var text = JSON.stringify(copy);
    return text.length > 240 ? text.slice(0, 239) + "…" : text;
  }

  var rows = [];  /* every reviewable item: {path, item, row, state} */
  var byKey = Object.create(null);
  /* accepting a passage accepts its undecided items; accepting an item keeps its passage */
  function related(path) {
    if (path[0] !== "passages") { return; }
    rows.forEach(function (e) {
      if (e.path[0] !== "passages" || e.path[1] !== path[1] || decisions[key(e.path)]) { return; }
      if (path.length === 2 ? e.path.length === 4 : e.path.length === 2) { setState(e, "accepted"); }
    });
  }
  function setState(entry, state) {
    if (state) { decisions[key(entry.path)] = state; } else { delete decisions[key(entry.path)]; }
    entry.row.setAttribute("data-decision", state || "proposed");
    entry.state.textContent = state || "proposed";
    count();
  }
  function controls(path, item, where, label) {
    var row = el("div", "rv-item");
    row.setAttribute("data-path", key(path));
    row.setAttribute("data-decision", "proposed");
    var head = el("div", "rv-head");
    head.appendChild(el("span", "rv-what", label));
    var state = el("span", "rv-state", "proposed");
    head.appendChild(state);
    var entry = { path: path, item: item, row: row, state: state };
    byKey[key(path)] = entry;
    [["accept", "Accept"], ["reject", "Reject"], ["edit", "Edit"]].forEach(function (b) {
      var btn = el("button", "rv-" + b[0], b[1]);
      btn.type = "button";
      btn.setAttribute("data-act", b[0]);
      head.appendChild(btn);
    });
    row.appendChild(head);
    var shown = el("code", "rv-summary", summary(item));
    row.appendChild(shown);
    var editor = el("textarea", "rv-editor");
    editor.hidden = true;
    editor.rows = 4;
    editor.spellcheck = false;
    var problem = el("span", "rv-problem", "");
    row.appendChild(editor);
    row.appendChild(problem);
    row.addEventListener("click", function (ev) {
      var act = ev.target && ev.target.getAttribute && ev.target.getAttribute("data-act");
      if (!act) { return; }
      if (act === "accept") {
        var on = decisions[key(path)] !== "accepted";
        setState(entry, on ? "accepted" : null);
        if (on) { related(path); }
      }
      if (act === "reject") { setState(entry, decisions[key(path)] === "rejected" ? null : "rejected"); }
      if (act === "edit") {
        editor.hidden = !editor.hidden;
        if (!editor.hidden) {
          var current = edits[key(path)] || item;
          var copy = {};
          Object.keys(current).forEach(function (k) { if (k !== "status") { copy[k] = current[k]; } });
          editor.value = JSON.stringify(copy, null, 1);
          editor.focus();
        }
      }
    });
    editor.addEventListener("input", function () {
      try {
        var value = JSON.parse(editor.value);
        if (!value || typeof value !== "object" || Array.isArray(value)) { throw new Error("an item is an object: { ... }"); }
        edits[key(path)] = value;
        shown.textContent = summary(value);
        problem.textContent = "";
        row.setAttribute("data-edited", "true");
        if (!decisions[key(path)]) { setState(entry, "accepted"); related(path); }
      } catch (err) {
        problem.textContent = "not saved: " + err.message;
      }
    });
    where.appendChild(row);
    rows.push(entry);
    return entry;
  }

  /* ---- the toolbar: counts, accept the rest, save ---- */
  var bar = el("div", "rv-bar");
  bar.id = "review-bar";
  var counts = el("span", "rv-counts", "");
  var acceptRest = el("button", "rv-accept-rest", "Accept every undecided item");
  acceptRest.type = "button";
  var save = el("button", "rv-save", "Save the reviewed draft");
  save.type = "button";
  var saved = el("span", "rv-saved", "");
  bar.appendChild(counts);
  bar.appendChild(acceptRest);
  bar.appendChild(save);
  bar.appendChild(saved);
  var main = document.querySelector("main");
  main.insertBefore(bar, main.firstChild);
  function count() {
    var a = 0, r = 0, u = 0;
    rows.forEach(function (e) {
      var d = decisions[key(e.path)];
      if (d === "accepted") { a += 1; } else if (d === "rejected") { r += 1; } else { u += 1; }
    });
    counts.textContent = a + " accepted, " + r + " rejected, " + u + " undecided";
    document.body.setAttribute("data-undecided", String(u));
  }

  /* ---- the items: passages with their facts and provisions, then the entities ---- */
  var passages = draft.passages || {};
  Object.keys(passages).forEach(function (pid) {
    var body = passages[pid];
    var section = document.getElementById(pid);
    if (!section || !body || typeof body !== "object") { return; }
    var box = el("div", "rv-box");
    if (isProposed(body)) {
      var copy = {};
      Object.keys(body).forEach(function (k) { if (k !== "facts" && k !== "provisions") { copy[k] = body[k]; } });
      controls(["passages", pid], copy, box, "passage " + pid);
    }
    ["provisions", "facts"].forEach(function (sub) {
      (Array.isArray(body[sub]) ? body[sub] : []).forEach(function (item, n) {
        if (isProposed(item)) { controls(["passages", pid, sub, n], item, box, sub.slice(0, -1) + " " + (n + 1)); }
      });
    });
    if (box.childNodes.length) { section.appendChild(box); }
  });
  var entities = draft.entities || {};
  var proposedEntities = Object.keys(entities).filter(function (id) { return isProposed(entities[id]); });
  if (proposedEntities.length) {
    var heading = el("h2", "", "Entities");
    var list = el("section", "rv-entities");
    list.id = "review-entities";
    main.appendChild(heading);
    main.appendChild(list);
    proposedEntities.forEach(function (id) { controls(["entities", id], entities[id], list, "entity " + id); });
  }
  acceptRest.addEventListener("click", function () {
    rows.forEach(function (e) { if (!decisions[key(e.path)]) { setState(e, "accepted"); } });
  });

  /* ---- the reviewed draft ---- */
  function decided(path, item) {
    var k = key(path);
    if (decisions[k] === "rejected") { return null; }
    var out = edits[k] ? JSON.parse(JSON.stringify(edits[k])) : JSON.parse(JSON.stringify(item));
    out.status = decisions[k] === "accepted" ? "accepted" : (item.status || "accepted");
    return out;
  }
  /* a rejected passage is remembered: its quote (the words rejected) and nothing it held */
  function rejectedPassage(body) {
    var out = { status: "rejected", quote: body.quote };
    if (body.occurrence !== undefined && body.occurrence !== null) { out.occurrence = body.occurrence; }
    return out;
  }
  function reviewed() {
    var out = JSON.parse(JSON.stringify(draft));
    var ents = out.entities || {};
    Object.keys(ents).forEach(function (id) {
      if (!isProposed(entities[id])) { return; }
      var kept = decided(["entities", id], entities[id]);
      if (kept === null) { delete ents[id]; } else { ents[id] = kept; }
    });
    var ps = out.passages || {};
    Object.keys(ps).forEach(function (pid) {
      var body = passages[pid];
      var result = ps[pid];
      if (isProposed(body)) {
        var edited = edits[key(["passages", pid])];
        if (decisions[key(["passages", pid])] === "rejected") { ps[pid] = rejectedPassage(edited || body); return; }
        if (edited) {
          Object.keys(result).forEach(function (k) { if (k !== "facts" && k !== "provisions") { delete result[k]; } });
          Object.keys(edited).forEach(function (k) { if (k !== "facts" && k !== "provisions") { result[k] = edited[k]; } });
        }
        result.status = decisions[key(["passages", pid])] === "accepted" ? "accepted" : "proposed";
      }
      ["provisions", "facts"].forEach(function (sub) {
        if (!Array.isArray(body[sub])) { return; }
        var items = [];
        body[sub].forEach(function (item, n) {
          if (!isProposed(item)) { items.push(result[sub][n]); return; }
          var kept = decided(["passages", pid, sub, n], item);
          if (kept !== null) { items.push(kept); }
        });
        if (items.length) { result[sub] = items; } else { delete result[sub]; }
      });
    });
    /* an entity proposed for mentions in passages all rejected goes with them (as deleting a
       passage of a draft deletes its mentions); one mentioned elsewhere keeps those mentions */
    function live(p) {
      return Object.prototype.hasOwnProperty.call(ps, p) && !(ps[p] && ps[p].status === "rejected");
    }
    Object.keys(ents).forEach(function (id) {
      var e = ents[id];
      if (!e || typeof e !== "object" || !isProposed(entities[id])) { return; }
      var where = e.mentioned_in;
      if (where === undefined || where === null) { return; }
      var list = (Array.isArray(where) ? where : [where]).filter(live);
      if (!list.length) { delete ents[id]; return; }
      e.mentioned_in = list;
      if (e.match && typeof e.match === "object") {
        Object.keys(e.match).forEach(function (p) { if (!live(p)) { delete e.match[p]; } });
        if (!Object.keys(e.match).length) { delete e.match; }
      }
    });
    return out;
  }
  /* JSON is YAML; the characters YAML takes as line breaks or refuses are written as escapes */
  var UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
  function asYaml(data) {
    var text = JSON.stringify(data, null, 2).replace(UNSAFE, function (c) {
      return "\\u" + ("0000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
    return "# Reviewed in the review page of 'policykg annotate --html'. JSON is YAML: 'policykg add'\n" +
      "# reads this file as it reads the draft. Items still 'status: proposed' were not decided;\n" +
      "# a passage 'status: rejected' is kept so that its words are not drafted again.\n" + text + "\n";
  }
  save.addEventListener("click", function () {
    var text = asYaml(reviewed());
    var blob = new Blob([text], { type: "application/x-yaml" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    var doc = (draft.document && draft.document.id) || "draft";
    a.download = doc + ".yaml";
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    saved.textContent = "saved as " + a.download + " (put it beside the document's text, then run policykg add)";
    window.policykgReview.last = text;
  });
  window.policykgReview = { reviewed: reviewed, yaml: function () { return asYaml(reviewed()); }, last: null };
  count();
  document.body.setAttribute("data-review-ready", "true");
}());
