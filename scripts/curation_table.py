"""Print the sentence-by-sentence table of a curated document (docs/curation-<doc>.md).

Usage: python scripts/curation_table.py [ncpf-2025] > /tmp/table.md

Each sentence of the stored text (split as tests/test_provisions.py splits it) with every
statement the graph records for it: plain facts and provisions (with their modality), and the
passage that states them. A passage that spans two sentences gives each statement to the sentence
that names its entities (or holds its cue). The result is pasted into the curation note and read
against the article.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = re.compile(r"\S.*?(?:[.!?][\"”’)]*(?=\s|$)|$)")


def sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for every sentence, line by line."""
    out, offset = [], 0
    for line in text.split("\n"):
        for m in SENTENCE.finditer(line):
            if m.group().strip():
                out.append((offset + m.start(), offset + m.end(), m.group()))
        offset += len(line) + 1
    return out


def main(doc: str = "ncpf-2025") -> None:
    """Print the table of ``doc`` (its YAML source and stored text) as Markdown."""
    src = yaml.safe_load((ROOT / "graphs" / "sources" / f"{doc}.yaml").read_text(encoding="utf-8"))
    text = (ROOT / "graphs" / "sources" / src["document"]["text"]).read_text(encoding="utf-8")
    ents = src["entities"]

    def lab(e: object) -> str:
        if isinstance(e, list):
            return ", ".join(lab(x) for x in e)
        if isinstance(e, str) and e in ents:
            return ents[e]["label"]
        return str(e)

    def names(e: object) -> list[str]:
        if isinstance(e, list):
            return [n for x in e for n in names(x)]
        if isinstance(e, str) and e in ents:
            found = [ents[e]["label"], *(ents[e].get("alt") or [])]
            # "new energy vehicle industry" in "the new energy vehicle, ... industries"
            heads = [f.rsplit(" ", 1)[0] for f in found if f.endswith((" industry", " industries"))]
            return found + heads
        return []

    sents = sentences(text)
    rows: dict[int, list[tuple[str, str, str]]] = {i: [] for i in range(len(sents))}
    for pid, body in src["passages"].items():
        quote = body["quote"]
        start = text.index(quote)
        end = start + len(quote)
        mine = [i for i, (s, e, _) in enumerate(sents) if s < end and e > start]

        def place(words: list[str], mine: list[int] = mine) -> int:
            best = mine[0]
            for w in words:
                for i in mine:
                    _s, _e, t = sents[i]
                    if w and w.lower() in t.lower():
                        best = max(best, i)
                        break
            return best

        for n, prov in enumerate(body.get("provisions") or [], 1):
            parts = [f"{prov['modality']} (“{prov.get('cue', '')}”)"]
            for key in ("addressee", "action", "condition", "means", "purpose", "stated_by"):
                if key in prov:
                    parts.append(f"{key.replace('_', ' ')}: {lab(prov[key])}")
            words = [prov.get("cue", ""), *names(prov.get("action"))]
            rows[place(words)].append(("; ".join(parts), f"provision `kg:{doc}-{pid}-v{n}`", pid))
        for fact in body.get("facts") or []:
            if isinstance(fact, list):
                s, p, o = fact
                pairs = [(p, o)]
            else:
                s = fact["subject"]
                pairs = [(k, v) for k, v in fact.items() if k != "subject"]
                if len(pairs) > 1:  # one record (a figure, an event, a membership): one row
                    body_text = "; ".join(
                        f"{k}: {lab(v) if not isinstance(v, dict) else v.get('text', '')}"
                        for k, v in pairs
                    )
                    words = names(s) + [w for _, v in pairs for w in names(v)]
                    rows[place(words)].append(
                        (f"{lab(s)} — {body_text}", f"record `kg:{s}` ({len(pairs)} facts)", pid)
                    )
                    continue
            for p, o in pairs:
                o_text = lab(o) if not isinstance(o, dict) else o.get("text", "")
                stmt = f"{lab(s)} — {p} → {o_text}"
                rows[place(names(s) + names(o))].append((stmt, f"plain fact `{p}`", pid))
    print("| no. | sentence | statement | how modelled | passage |")
    print("|---:|---|---|---|---|")
    for i, (_, _, sentence) in enumerate(sents):
        cell = sentence.replace("|", "\\|")
        items = rows[i] or [("(see the passage of the neighbouring sentence)", "", "")]
        for j, (stmt, how, pid) in enumerate(items):
            first = (str(i + 1), cell) if j == 0 else ("", "")
            stmt = stmt.replace("|", "\\|")
            print(f"| {first[0]} | {first[1]} | {stmt} | {how} | {pid} |")


if __name__ == "__main__":
    main(*sys.argv[1:])
