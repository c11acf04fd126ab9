"""The workbench's compare view: ``/api/compare``, ``/api/timeline``, ``/compare``, ``/timeline``.

The HTTP side (:func:`view_job`) checks the parameters and makes a request that a query worker
answers (:func:`answer_view`, called by ``server.execute``), so a comparison runs in the worker
processes beside the queries, under the same timeout and lanes. The JSON answers carry every
text as data (the page's script writes it with ``textContent``); the HTML answers are the
self-contained pages of :mod:`policykg.outputs.changes` (no script, every text escaped).

Drafts: by default the answers hold reviewed knowledge only (a change one of whose sides is a
draft provision or figure is left out); ``drafts=1`` keeps them, each marked ``"draft": true``.
"""

from __future__ import annotations

import json
from typing import Any

from policykg.apps.answer import Answer, error
from policykg.core.errors import PolicyKGError
from policykg.graph.compare import compare_documents
from policykg.graph.drafts import draft_resources
from policykg.graph.entities import labels_of
from policykg.graph.kg import PolicyKG
from policykg.graph.timeline import timeline
from policykg.outputs.changes import CHANGE_COLOURS, TARGET_COLOURS, compare_html, timeline_html
from policykg.rdf.terms import _IRI_FORBIDDEN, curie

__all__ = ["VIEW_ROUTES", "answer_view", "view_job"]

#: The routes of the view and what each answers: (view, format).
VIEW_ROUTES: dict[str, tuple[str, str]] = {
    "/api/compare": ("compare", "json"),
    "/api/timeline": ("timeline", "json"),
    "/compare": ("compare", "html"),
    "/timeline": ("timeline", "html"),
}
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})
_MAX_PARAM = 300


def _param(values: Any, name: str) -> str | Answer:
    got = [v for v in values.getlist(name) if v.strip()]
    if len(got) > 1:
        return error(400, f"give at most one '{name}' parameter")
    value = got[0].strip() if got else ""
    if len(value) > _MAX_PARAM:
        return error(400, f"'{name}' is longer than {_MAX_PARAM} characters")
    if any(ord(c) < 32 for c in value):
        return error(400, f"'{name}' holds a control character")
    if value.startswith("<") and value.endswith(">") and _IRI_FORBIDDEN.search(value[1:-1]):
        return error(400, f"'{name}' is not an IRI: {value[:80]} (give a CURIE, an IRI or a label)")
    return value


def view_job(path: str, method: str, values: Any) -> dict[str, Any] | Answer:
    """The worker request for a view route, or the ``400`` / ``405`` answer.

    Args:
        path: one of :data:`VIEW_ROUTES`.
        method: the HTTP method.
        values: the request's parameters (a Werkzeug ``MultiDict``).
    """
    view, fmt = VIEW_ROUTES[path]
    if method not in ("GET", "HEAD"):
        return error(405, f"{method} is not allowed on {path} (use GET)")
    names = ("a", "b", "about") if view == "compare" else ("entity",)
    params: dict[str, str] = {}
    for name in (*names, "drafts"):
        got = _param(values, name)
        if isinstance(got, Answer):
            return got
        params[name] = got
    if view == "compare":
        missing = [n for n in ("a", "b") if not params[n]]
        if missing:
            return error(400, f"{path} needs the documents 'a' and 'b' (e.g. "
                              f"{path}?a=kg:gwr-2023&b=kg:gwr-2024); missing: {', '.join(missing)}")
    elif not params["entity"]:
        return error(400, f"{path} needs 'entity' (e.g. {path}?entity=kg:new-urban-jobs)")
    flag = params.pop("drafts").lower()
    if flag not in _TRUE | _FALSE:
        return error(400, f"drafts={flag[:20]!r}: give drafts=1 to show drafts, drafts=0 to hide "
                          "them")
    # "query" names the request for the lanes' memory of slow queries (apps/lanes.py)
    shape = " ".join(json.dumps(params[n], ensure_ascii=False) for n in names)
    return {"view": view, "format": fmt, "params": params, "drafts": flag in _TRUE,
            "query": f"view {view} {shape}", "default_graphs": [], "named_graphs": []}


def _drafts(kg: PolicyKG, cache: dict[str, Any] | None) -> frozenset[str]:
    found = cache.get("view-drafts") if cache is not None else None
    if not isinstance(found, frozenset):
        found = frozenset(str(r) for r in draft_resources(kg))
        if cache is not None:
            cache["view-drafts"] = found
    return found


def _side(side: dict[str, Any] | None, drafts: frozenset[str]) -> dict[str, Any] | None:
    if side is None:
        return None
    out = dict(side)
    passage = str(out.get("passage") or "")
    out["passage_id"] = curie(passage) if passage else ""
    for key in ("provision", "figure", "indicator"):
        if out.get(key):
            out[key + "_id"] = curie(str(out[key]))
    out["draft"] = any(str(out.get(k) or "") in drafts for k in ("provision", "figure", "passage"))
    return out


def _keep(change: dict[str, Any], show_drafts: bool) -> bool:
    return show_drafts or not any(s and s["draft"] for s in (change["a"], change["b"]))


def _compare(kg: PolicyKG, request: dict[str, Any], drafts: frozenset[str]) -> Answer:
    p = request["params"]
    cmp = compare_documents(kg, p["a"], p["b"], about=p.get("about") or None)
    names = labels_of(kg, [cmp.a, cmp.b])
    show = bool(request.get("drafts"))
    if request.get("format") == "html":
        page = compare_html(cmp, label_a=names.name(cmp.a), label_b=names.name(cmp.b))
        return Answer(200, "text/html; charset=utf-8", page.encode("utf-8"))
    data = cmp.to_dict()
    for group in ("changes", "targets"):
        items = [{**c, "a": _side(c["a"], drafts), "b": _side(c["b"], drafts)}
                 for c in data[group]]
        data[group] = [c for c in items if _keep(c, show)]
    counts = dict.fromkeys(data["counts"], 0)
    for c in data["changes"]:
        counts[c["kind"]] += 1
    data["counts"] = counts
    data["documents"] = {
        "a": {"id": curie(str(cmp.a)), "label": names.name(cmp.a)},
        "b": {"id": curie(str(cmp.b)), "label": names.name(cmp.b)},
    }
    if cmp.about is not None:
        data["about_label"] = labels_of(kg, [cmp.about]).name(cmp.about)
    data["colours"] = {**CHANGE_COLOURS, **TARGET_COLOURS}
    data["drafts"] = show
    return _json(data)


def _timeline(kg: PolicyKG, request: dict[str, Any], drafts: frozenset[str]) -> Answer:
    t = timeline(kg, request["params"]["entity"])
    show = bool(request.get("drafts"))
    if not show and drafts:  # reviewed knowledge only: the draft passages and provisions go
        for row in t.rows:
            row.passages = {p for p in row.passages if str(p) not in drafts}
            row.quotes = {p: q for p, q in row.quotes.items() if str(p) not in drafts}
            row.provisions = {v: m for v, m in row.provisions.items() if str(v) not in drafts}
        t.rows = [r for r in t.rows if r.passages or r.values]
    if request.get("format") == "html":
        return Answer(200, "text/html; charset=utf-8", timeline_html(t).encode("utf-8"))
    data = t.to_dict()
    data["id"] = curie(str(t.entity))
    for row, raw in zip(data["rows"], t.rows, strict=True):
        row["document_id"] = curie(str(raw.document))
        first = min(raw.quotes.items(), key=lambda kv: kv[1])[0] if raw.quotes else None
        row["first_passage"] = curie(str(first)) if first is not None else ""
        row["draft"] = any(str(x) in drafts for x in (*raw.passages, *raw.provisions))
    data["drafts"] = show
    return _json(data)


def _json(data: dict[str, Any]) -> Answer:
    body = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return Answer(200, "application/json", body, {"Cache-Control": "no-cache"})


def answer_view(kg: PolicyKG, request: dict[str, Any],
                cache: dict[str, Any] | None = None) -> Answer:
    """Answer a view request (:func:`view_job`) on the worker's graph.

    A document or entity that names nothing, or the same document twice, is a ``400`` of one
    line.
    """
    try:
        drafts = _drafts(kg, cache)
        if request.get("view") == "compare":
            return _compare(kg, request, drafts)
        if request.get("view") == "timeline":
            return _timeline(kg, request, drafts)
        return error(404, f"no such view: {str(request.get('view'))[:40]}")
    except PolicyKGError as exc:
        return error(400, str(exc).strip().splitlines()[0] if str(exc).strip() else
                     type(exc).__name__)

