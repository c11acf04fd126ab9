"""The workbench's own routes of ``policykg serve``.

Its static files, the vocabulary the editor completes from, and the named queries' catalogue.
"""

from __future__ import annotations

import json

from policykg.apps.answer import Answer, error
from policykg.core.namespaces import PREFIXES
from policykg.outputs.viz.html import static_asset
from policykg.sparql.catalogue import named_queries

__all__ = ["VOCAB_QUERY", "catalogue_json", "static", "vocab_json"]


VOCAB_QUERY = """
SELECT DISTINCT ?term ?kind ?label WHERE {
  VALUES ?type { owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty
                 owl:AnnotationProperty rdf:Property }
  ?term a ?type .
  FILTER(isIRI(?term))
  BIND(IF(?type IN (owl:Class, rdfs:Class), "class", "property") AS ?kind)
  OPTIONAL { ?term rdfs:label ?label FILTER(LANG(?label) = "en") }
}
ORDER BY ?kind ?term
"""

#: Files shipped under ``policykg/apps/static/`` the server may send, by suffix.
_STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    "LICENSE": "text/plain; charset=utf-8",
}


def static(name: str) -> Answer:
    """A file of the served page: the graph page's assets or ``policykg/apps/static/``."""
    from importlib import resources

    found = static_asset(name)
    if found is not None:
        body, ctype = found
        return Answer(200, ctype, body, {"Cache-Control": "no-cache"})
    parts = name.split("/")
    if not name or any(p in ("", ".", "..") or p.startswith(".") or "\\" in p for p in parts):
        return error(404, f"no such file: /static/{name}")
    kind = next((t for suffix, t in _STATIC_TYPES.items() if parts[-1].endswith(suffix)), None)
    node = resources.files("policykg.apps").joinpath("static", *parts)
    if kind is None or not node.is_file():
        return error(404, f"no such file: /static/{name}")
    return Answer(200, kind, node.read_bytes(), {"Cache-Control": "no-cache"})


def vocab_json(results: bytes) -> bytes:
    """Turn the vocabulary query's SPARQL JSON into what the editor completes from."""
    doc = json.loads(results)
    classes: list[dict[str, str]] = []
    props: list[dict[str, str]] = []
    for b in doc["results"]["bindings"]:
        entry = {"iri": b["term"]["value"], "label": b.get("label", {}).get("value", "")}
        (classes if b["kind"]["value"] == "class" else props).append(entry)
    out = {"prefixes": PREFIXES, "classes": classes, "properties": props}
    return json.dumps(out, sort_keys=True, ensure_ascii=False).encode("utf-8")


def catalogue_json() -> bytes:
    """The named queries, their parameters and examples, for the query page's forms."""
    items = []
    for name, q in sorted(named_queries().items()):
        items.append({
            "name": name, "title": q.title, "description": q.description, "role": q.role,
            "params": [{"name": p.name, "kind": p.kind, "description": p.description,
                        "example": q.examples.get(p.name, "")} for p in q.params],
            "text": q.text,
        })
    return json.dumps(items, ensure_ascii=False).encode("utf-8")
