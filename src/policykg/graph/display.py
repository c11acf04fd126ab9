"""How ``describe`` results and provision lists show in a notebook (their ``_repr_html_``).

Every value is escaped; IRIs show as CURIEs; each fact and provision is followed by the verbatim
quote of the passage that states it, with the passage's CURIE and offsets.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from policykg.rdf.terms import curie

if TYPE_CHECKING:
    from policykg.graph.entities import Description, ProvisionView
    from policykg.graph.lookup import Evidence

__all__ = ["description_html", "provisions_html"]

_STYLE = (
    "<style>.pkg-d{font:13px/1.45 system-ui,sans-serif;max-width:60em}"
    ".pkg-d h3{margin:.2em 0}.pkg-d .id{color:#52606d;font-family:monospace}"
    ".pkg-d table{border-collapse:collapse}.pkg-d td,.pkg-d th{border-top:1px solid #e4e7eb;"
    "padding:3px 6px;text-align:left;vertical-align:top}"
    ".pkg-d blockquote{margin:2px 0 2px 0;padding-left:8px;border-left:3px solid #9fb3c8;"
    "color:#334e68}.pkg-d .src{color:#7b8794;font-size:11px}</style>"
)


def _quotes(evidence: Iterable[Evidence]) -> str:
    out = []
    for e in evidence:
        where = curie(str(e.passage))
        if e.start is not None and e.end is not None:
            where += f" · characters {e.start}–{e.end}"
        out.append(
            f"<blockquote>{escape(e.quote)}</blockquote><div class='src'>{escape(where)}</div>"
        )
    return "".join(out)


def provisions_html(provisions: Iterable[ProvisionView]) -> str:
    """Return a table of provisions: modality (cue), the entity's roles, parts, the quote."""
    rows = []
    for p in provisions:
        cue = f" (“{escape(p.cue)}”)" if p.cue else ""
        parts = "<br>".join(
            f"<b>{escape(name)}</b>: {escape(', '.join(values))}" for name, values in p.parts
        )
        rows.append(
            f"<tr><td>{escape(p.modality_label)}{cue}<div class='id'>"
            f"{escape(curie(str(p.provision)))}</div></td><td>{escape(', '.join(p.roles))}</td>"
            f"<td>{parts}{_quotes(p.evidence)}</td></tr>"
        )
    if not rows:
        return f"<div class='pkg-d'>{_STYLE}<i>no provisions</i></div>"
    return (
        f"<div class='pkg-d'>{_STYLE}<table><tr><th>modality</th><th>as</th>"
        f"<th>what it says</th></tr>{''.join(rows)}</table></div>"
    )


def description_html(d: Description) -> str:
    """Return everything ``describe`` found about an entity, with the quotes."""
    labels = "; ".join(dict.fromkeys(escape(str(lit)) for _, lit in d.labels))
    types = ", ".join(escape(curie(str(t))) for t in d.types)
    facts = "".join(
        f"<tr><td>{escape(f.subject_label)}</td><td><i>{escape(f.predicate_label)}</i></td>"
        f"<td>{escape(f.object_label)}{_quotes(f.evidence)}</td></tr>"
        for f in d.facts
    )
    parts = [
        f"<div class='pkg-d'>{_STYLE}<h3>{escape(d.label)}</h3>",
        f"<div class='id'>{escape(curie(str(d.entity)))}</div>",
        f"<div>labels: {labels}</div>" if labels else "",
        f"<div>class: {types}</div>" if types else "",
    ]
    if facts:
        parts.append(f"<h4>Facts ({len(d.facts)})</h4><table>{facts}</table>")
    if d.provisions:
        parts.append(f"<h4>Provisions ({len(d.provisions)})</h4>")
        parts.append(provisions_html(d.provisions))
    if d.mentioned_in:
        parts.append(f"<h4>Mentioned in ({len(d.mentioned_in)})</h4>")
        parts.append(_quotes(d.mentioned_in))
    parts.append("</div>")
    return "".join(parts)
