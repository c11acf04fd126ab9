"""SHACL on the store: a graph-wide shape's SPARQL constraints run as SHACL-SPARQL prescribes.

Part of :mod:`policykg.checks.shacl` (see its description for when a shape runs here and when
it goes back to the engine).
"""

from __future__ import annotations

import re

from rdflib.term import Node

from policykg.rdf.terms import from_oxigraph, to_oxigraph

from .data import CheckData
from .shacl_shapes import ShaclResult, StoreShape, sh_term

__all__ = ["store_results"]

_THIS = re.compile(r"[?$]this\b")
#: What SHACL-SPARQL forbids in a constraint: left to the engine, which reports it.
_FORBIDDEN = re.compile(r"\b(MINUS|VALUES|SERVICE)\b", re.IGNORECASE)


def store_results(data: CheckData, shape: StoreShape) -> list[ShaclResult] | None:
    """Run a graph-wide shape on ``data.store``; ``None`` when the engine must run it instead.

    The engine runs it when a solution binds a literal or a blank node (the store may write
    them otherwise than the files: see the module's description) or when the store cannot run
    its query.
    """
    import pyoxigraph as ox

    results: list[ShaclResult] = []
    if any(_FORBIDDEN.search(c.select) for c in shape.constraints):
        return None
    for target in shape.targets:
        for c in shape.constraints:
            subs = {ox.Variable("this"): to_oxigraph(target)} if _THIS.search(c.select) else {}
            try:
                solutions = data.store.query(
                    c.select,
                    prefixes=dict(c.prefixes),
                    use_default_graph_as_union=True,
                    substitutions=subs,
                )
                names = [v.value for v in solutions.variables]
                rows = [[(n, solution[n]) for n in names] for solution in solutions]
            except (SyntaxError, ValueError, RuntimeError, OSError):
                return None
            seen: set[tuple[tuple[str, Node], ...]] = set()
            for row in rows:
                bound: dict[str, Node] = {}
                for n, term in row:
                    if term is None:
                        continue
                    if isinstance(term, (ox.Literal, ox.BlankNode)):
                        return None
                    node = from_oxigraph(term)
                    assert node is not None
                    bound[n] = node
                key = tuple(sorted(bound.items()))
                if key in seen:
                    continue  # pySHACL reports a solution once
                seen.add(key)
                if "failure" in bound:
                    return None  # pySHACL's ?failure rows: left to the engine
                path = bound.pop("path", None)
                value = bound.pop("value", None)
                this = bound.pop("this", None)
                if value is None:
                    value = target
                fill = dict(bound)
                if this is not None:  # as pySHACL: {$this} only when the query binds it
                    fill["this"] = this
                if path is not None:
                    fill["path"] = path
                fill["value"] = value
                messages = [_fill(m, fill) for m in c.messages]
                results.append(
                    (
                        target,
                        path,
                        value,
                        shape.node,
                        c.node,
                        shape.severity,
                        messages,
                        sh_term("SPARQLConstraintComponent"),
                    )
                )
    return results


def _fill(message: str, values: dict[str, Node]) -> str:
    """Replace ``{?var}`` and ``{$var}`` by the values' text, as pySHACL does."""
    for var, val in values.items():
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message
