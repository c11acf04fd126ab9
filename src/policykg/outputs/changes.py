"""Offline HTML for ``policykg compare`` and ``policykg timeline``.

One self-contained page each: no script, no external resource (so no network request), every text
escaped. The comparison shows the two documents side by side, one row per change, the two quotes
highlighted by the kind of change; the timeline shows a small bar chart (SVG) of the provisions
per document, or the values of a measure, and a table of the rows with their first quotes. The
workbench serves the same pages (``/compare`` and ``/timeline``).
"""

from __future__ import annotations

from html import escape

from policykg.graph.compare import CHANGE_KINDS, Change, Comparison, ProvisionItem
from policykg.graph.timeline import Timeline

__all__ = ["CHANGE_COLOURS", "compare_html", "timeline_html"]

#: Okabe–Ito colours (distinct for colour-blind readers), one per kind of change.
CHANGE_COLOURS: dict[str, str] = {
    "firmer": "#D55E00",
    "weaker": "#56B4E9",
    "prohibition": "#CC79A7",
    "prohibition lifted": "#F0E442",
    "reworded": "#E69F00",
    "related": "#0072B2",
    "new": "#009E73",
    "dropped": "#999999",
    "unchanged": "#FFFFFF",
}

_CSS = """
body{font:15px/1.45 system-ui,'Noto Sans CJK SC',sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}
th{background:#f4f4f4} .kind{font-weight:600;white-space:nowrap}
.key span{display:inline-block;margin:0 .8em .4em 0;padding:.1em .5em;border:1px solid #888}
.q{border-left:6px solid;padding-left:.5em} .meta{color:#555;font-size:.85em}
svg text{font:12px system-ui,'Noto Sans CJK SC',sans-serif}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>{body}</body></html>\n"
    )


def _side(item: ProvisionItem | None, kind: str) -> str:
    if item is None:
        return '<td class="meta">—</td>'
    colour = CHANGE_COLOURS[kind]
    modality = item.modality + (" (not)" if item.polarity == "negative" else "")
    who = f" · {escape(', '.join(item.addressee_labels))}" if item.addressee_labels else ""
    return (
        f'<td><div class="q" style="border-color:{colour}" lang="und">'
        f'{escape(item.quote)}</div><div class="meta">{escape(modality)}'
        f"{' · “' + escape(item.cue) + '”' if item.cue else ''}{who} · "
        f"{escape(str(item.passage).rsplit('/', 1)[-1])} [{item.start}:{item.end}]</div></td>"
    )


def compare_html(cmp: Comparison, *, label_a: str, label_b: str, unchanged: bool = False) -> str:
    """The comparison of two documents as a self-contained page."""
    counts = cmp.counts()
    key = "".join(
        f'<span style="border-left:10px solid {CHANGE_COLOURS[k]}">{escape(k)}: {counts[k]}</span>'
        for k in CHANGE_KINDS
        if unchanged or k != "unchanged"
    )
    rows: list[str] = []
    for change in cmp.changes:
        if change.kind == "unchanged" and not unchanged:
            continue
        rows.append(_row(change))
    about = f" about {escape(str(cmp.about))}" if cmp.about else ""
    body = (
        f'<p class="key">{key}</p><p class="meta">Provisions matched by what they concern '
        f"(the same concepts and addressee) and by the similarity of their quotes{about}.</p>"
        f"<table><thead><tr><th>change</th><th>{escape(label_a)}</th><th>{escape(label_b)}</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return _page(f"What changed: {label_a} → {label_b}", body)


def _row(change: Change) -> str:
    shared = (
        f'<div class="meta">both about: {escape("; ".join(change.shared))}</div>'
        if change.shared
        else ""
    )
    score = f'<div class="meta">score {change.score:.2f}</div>' if change.a and change.b else ""
    return (
        f'<tr><td class="kind" style="border-left:8px solid {CHANGE_COLOURS[change.kind]}">'
        f"{escape(change.kind)}{score}{shared}</td>"
        f"{_side(change.a, change.kind)}{_side(change.b, change.kind)}</tr>"
    )


def _chart(t: Timeline) -> str:
    """Bars: the provisions about the entity per document (or its values, for a measure)."""
    points: list[tuple[str, float, str]] = []
    for r in t.rows:
        year = str(r.year) if r.year is not None else "?"
        numbers = [float(v.value) for v in r.values if _is_number(v.value)]
        if numbers:
            points.append((year, numbers[0], r.values[0].value))
        else:
            points.append((year, float(len(r.provisions) or len(r.passages)), ""))
    if not points:
        return ""
    width, height, pad = max(320, 60 * len(points)), 180, 28
    top = max(p[1] for p in points) or 1.0
    bars: list[str] = []
    step = (width - 2 * pad) / len(points)
    for n, (year, value, shown) in enumerate(points):
        h = (height - 2 * pad) * value / top
        x = pad + n * step + step * 0.15
        y = height - pad - h
        label = shown or f"{value:g}"
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
            f'fill="#0072B2"><title>{escape(year)}: {escape(label)}</title></rect>'
            f'<text x="{x + step * 0.35:.1f}" y="{height - 8}" text-anchor="middle">'
            f'{escape(year)}</text><text x="{x + step * 0.35:.1f}" y="{y - 4:.1f}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    what = "value" if any(r.values for r in t.rows) else "provisions (or passages) per document"
    return (
        f'<svg role="img" aria-label="{escape(what)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{"".join(bars)}</svg>'
        f'<p class="meta">Bars: {escape(what)}.</p>'
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def timeline_html(t: Timeline) -> str:
    """The timeline of an entity as a self-contained page with a small chart."""
    rows = "".join(
        f"<tr><td>{r.year if r.year is not None else '?'}</td><td>{escape(r.label)}</td>"
        f"<td>{len(r.passages)}</td><td>{escape(r.modalities_text())}</td>"
        f"<td>{escape(r.values_text())}</td>"
        f"<td lang=\"und\">{escape(r.first_quote())}</td></tr>"
        for r in t.rows
    )
    span = (
        f"<p>First named in {t.first.year}, last in {t.last.year} "
        f"({len(t.rows)} document{'s' if len(t.rows) != 1 else ''}).</p>"
        if t.first and t.last
        else "<p>No document names it.</p>"
    )
    body = (
        f"{span}{_chart(t)}<table><thead><tr><th>year</th><th>document</th><th>passages</th>"
        "<th>provisions</th><th>values</th><th>first passage</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    return _page(f"Timeline: {t.label}", body)
