"""The review page of ``policykg annotate --html``: the text with every suggestion highlighted.

One offline HTML file, built by the same safety rules as the graph page: it loads nothing (a
Content-Security-Policy of ``default-src 'none'`` with only inline styles allowed), holds no
script and no event handler at all, and every text from the document or the graph is
HTML-escaped. Each passage shows its quote with mentions, figures and periods, enumerations and
modality cues highlighted (cues coloured by modality; hover for what each is), the evidence not
found word for word (the draft's ``match:``: acronym, coordination, fuzzy, caption, anaphora,
author), and,
folded underneath, the YAML that the passage becomes in the draft.

The curator reviews in the page itself (issue 23): each proposed passage, fact, provision and
entity can be accepted, rejected or edited (as JSON), and *Save the reviewed draft* downloads the
draft with accepted items ``status: accepted``, a rejected passage ``status: rejected`` (its
quote only: remembered, so that the corpus import does not draft its words again), other
rejected items deleted and undecided ones still proposed (JSON, which is YAML: ``policykg add``
reads it). The page's one script is
``templates/review.js``, inline and allowed by its SHA-256 hash alone; the draft is a JSON data
block (never run); the page still loads nothing and can connect nowhere.
"""

from __future__ import annotations

import bisect
import html
from pathlib import Path
from typing import Any

from policykg.authoring.annotate import Annotation, dump_draft

__all__ = ["CSP", "page_csp", "review_page"]

#: The page's Content-Security-Policy: nothing is loaded and nothing connects; the one script that
#: runs is the page's own review script, allowed by its hash (:func:`page_csp`).
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _script() -> str:
    return (Path(__file__).parent / "templates" / "review.js").read_text(encoding="utf-8")


def page_csp(script: str) -> str:
    """The page's Content-Security-Policy: :data:`CSP` and the review script's hash."""
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"{CSP}; script-src 'sha256-{digest}'"


def _json_block(data: Any) -> str:
    """``data`` as JSON safe inside ``<script type="application/json">`` (no ``</script>``)."""
    import json

    text = json.dumps(data, ensure_ascii=False, sort_keys=False, default=str)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))

_PRIORITY = {"cue": 0, "figure": 1, "period": 2, "mention": 3, "enum": 4}


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _marks(ann: Annotation) -> list[tuple[int, int, str, str]]:
    """Every highlight: (start, end, css classes, title)."""
    marks: list[tuple[int, int, str, str]] = []
    for m in ann.mentions:
        known = m.term.kind == "entity"
        what = (
            f"mention of {m.term.iri}"
            if known
            else f"mention of the class {m.term.iri} (a new entity)"
        )
        marks.append((m.start, m.end, "mention" if known else "mention new", what))
    for m in ann.near:
        marks.append(
            (
                m.start,
                m.end,
                f"mention near {m.match}",
                f"{m.match} mention of {m.term.iri} ({m.term.label}): not word for word, review",
            )
        )
    for f in ann.figures:
        fig = f.figure
        title = f"figure: {fig.value} {fig.unit}" + (f", {fig.qualifier}" if fig.qualifier else "")
        if f.period is not None:
            title += f"; period: {f.period.label}" + (f" = {f.period.iso}" if f.period.iso else "")
            marks.append(
                (
                    f.period.start,
                    f.period.end,
                    "period",
                    f"period: {f.period.label}"
                    + (f" = {f.period.iso}" if f.period.iso else " (not resolved)"),
                )
            )
        marks.append((fig.start, fig.end, "figure", title))
    for c in ann.cues:
        if c.modality == "condition":
            marks.append((c.start, c.end, "cue condition", f"condition ({c.words})"))
    for cand, n, spans in ann.candidates:
        for a, b in spans:
            marks.append((a, b, "mention new", f"new term candidate: {cand} ({n} times)"))
    for e in ann.enumerations:
        marks.append(
            (
                e.start,
                e.start + len(e.cue),
                "enum",
                f"enumeration: examples of {e.head.label}: " + ", ".join(i.label for i in e.items),
            )
        )
    for p in ann.provisions:
        who = p.addressee.label if p.addressee else "no addressee named"
        action = ", ".join(a.label for a in p.action) or "(no action found)"
        marks.append(
            (
                p.cue.start,
                p.cue.end,
                f"cue {p.modality}",
                f"{p.modality} ({p.cue.words}): {who} -> {action}",
            )
        )
    return marks


def _render_quote(
    text: str,
    start: int,
    end: int,
    marks: list[tuple[int, int, str, str]],
    starts: list[int] | None = None,
) -> str:
    """The span ``text[start:end]`` with non-overlapping highlights (cues first, then figures).

    ``marks`` sorted and ``starts`` their start offsets: only the marks starting inside the span
    are looked at (bisect), so a page of n passages is drawn in O(n log n), not O(n²) (N12).
    """
    if starts is None:
        marks = sorted(marks)
        starts = [m[0] for m in marks]
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    inside = [m for m in marks[lo:hi] if m[1] <= end and m[0] < m[1]]
    inside.sort(key=lambda m: (_PRIORITY[m[2].split()[0]], m[0], -m[1]))
    chosen: list[tuple[int, int, str, str]] = []
    for m in inside:
        if all(m[1] <= c[0] or m[0] >= c[1] for c in chosen):
            chosen.append(m)
    chosen.sort()
    out: list[str] = []
    pos = start
    for a, b, css, title in chosen:
        out.append(_e(text[pos:a]))
        out.append(f'<span class="{_e(css)}" title="{_e(title)}">{_e(text[a:b])}</span>')
        pos = b
    out.append(_e(text[pos:end]))
    return "".join(out)


def review_page(ann: Annotation, data: dict[str, Any] | None, *, title: str) -> str:
    """The review page of an annotation (and of its draft mapping, for the YAML and statuses)."""
    css = (Path(__file__).parent / "templates" / "review.css").read_text(encoding="utf-8")
    script = _script()
    marks = sorted(_marks(ann))
    starts = [m[0] for m in marks]
    passages = (data or {}).get("passages") or {}
    by_quote = {
        (b.get("quote"), b.get("occurrence") or 1): (pid, b)
        for pid, b in passages.items()
        if isinstance(b, dict)
    }
    counts = (
        f"{len(ann.sentences)} passages, {len(ann.mentions)} mentions, "
        f"{len(ann.figures)} figures, {len(ann.provisions)} provisions, "
        f"{len(ann.enumerations)} enumerations, {len(ann.candidates)} term candidates"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(page_csp(script))}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e('Review: ' + title)}</title>",
        f"<style>{css}</style></head><body>",
        f"<header><h1>{_e('Review: ' + title)}</h1>",
        f"<p>{_e(counts)}; language {_e(ann.lang)}, lexicon {_e(ann.lexicon)}, reference date "
        f"{_e(ann.date.isoformat() if ann.date else 'none')}. Hover a highlight for the "
        "suggestion; open a passage's YAML to see what it becomes.</p></header><main>",
        '<p class="legend"><span class="mention">known term</span>'
        '<span class="mention near">near, caption or pronoun</span>'
        '<span class="mention new">new entity</span><span class="figure">figure</span>'
        '<span class="period">period</span><span class="enum">enumeration</span>'
        + "".join(
            f'<span class="cue {m}">{m}</span>'
            for m in (
                "obligation",
                "recommendation",
                "necessity",
                "possibility",
                "expectation",
                "intention",
                "condition",
            )
        )
        + "</p>",
    ]
    # evidence not found word for word, per passage: the draft entities' "match:" mappings
    matched: dict[str, list[str]] = {}
    entities = (data or {}).get("entities") or {}
    for eid, desc in entities.items() if isinstance(entities, dict) else ():
        how = desc.get("match") if isinstance(desc, dict) else None
        for pid, kind in how.items() if isinstance(how, dict) else ():
            label = desc.get("label") or desc.get("zh") or eid  # a new Chinese term: zh only
            matched.setdefault(str(pid), []).append(f"{label} [{eid}]: {kind}")
    if ann.author is not None:
        parts.append(
            f'<p class="author">Author suggested: {_e(ann.author.label)} [{_e(ann.author.id)}] '
            "(from a byline or an author's note; every provision is stated by the author unless "
            "it names another speaker)</p>"
        )
    for sent in ann.sentences:
        pid, body = by_quote.get((sent.quote, sent.occurrence or 1), (sent.id, None))
        status = body.get("status", "accepted") if isinstance(body, dict) else "proposed"
        cls = "passage accepted" if status == "accepted" else "passage"
        parts.append(f'<section class="{cls}" id="{_e(str(pid))}">')
        parts.append(
            f'<span class="pid">{_e(str(pid))} · {sent.start}–{sent.end} · {_e(str(status))}</span>'
        )
        quote = _render_quote(ann.text, sent.start, sent.end, marks, starts)
        parts.append(f'<span class="quote">{quote}</span>')
        if matched.get(str(pid)):
            parts.append(
                '<p class="evidence">Also evidence for (not word for word, review): '
                + "; ".join(_e(x) for x in sorted(matched[str(pid)]))
                + "</p>"
            )
        if body is not None:
            snippet = dump_draft(
                {"document": (data or {}).get("document", {}), "passages": {pid: body}}
            ).split("\npassages:\n", 1)[-1]
            parts.append(f"<details><summary>YAML</summary><pre>{_e(snippet)}</pre></details>")
        parts.append("</section>")
    if ann.candidates:
        parts.append(
            '<h2>New term candidates</h2><table class="candidates">'
            "<tr><th>phrase</th><th>occurrences</th></tr>"
        )
        for cand, n, _spans in ann.candidates:
            parts.append(f"<tr><td>{_e(cand)}</td><td>{n}</td></tr>")
        parts.append("</table>")
    parts.append("</main>")
    if data is not None:
        block = _json_block(data)
        parts.append(f'<script type="application/json" id="draft-data">{block}</script>')
        parts.append(f"<script>{script}</script>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
