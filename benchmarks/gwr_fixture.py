"""A stand-in for the Government Work Report corpus import, built to the shared contract.

The corpus import itself is another branch's work; the workbench is measured and tested against
a graph of the same shape, made here from ``shared/corpus/gwr-zh.jsonl``:

- one document per record: a report ``kg:gwr-YYYY`` (``pkg:GovernmentWorkReport``, YYYY = the
  record's year) or the NPC resolution approving it ``kg:gwr-YYYY-resolution``
  (``pkg:Resolution``; YYYY from the session named in its title: the 12th NPC's first session
  met in 2013, the 13th's in 2018, the 14th's in 2023, one session a year), with
  ``pkg:publicationYear`` (``xsd:integer``, as the compiler writes it) and its title as
  ``rdfs:label``;
- its stored text ``drop_furniture(content).text``, cut into passages ``kg:gwr-YYYY-s0001``
  ... (4 digits, text order) at each 。, ！, ？, ； or line break; every passage a **draft**
  (``pkg:reviewStatus pkg:Unreviewed``, ``prov:wasGeneratedBy`` an ``pkg:AnnotationRun``), its
  record in the document graph ``kgg:gwr-YYYY`` and one draft statement in its own graph.

Nothing here states a fact of a report: the only statements are the passages' records.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = ["build_fixture", "document_id", "find_corpus"]


def find_corpus() -> Path | None:
    """``shared/corpus/gwr-zh.jsonl`` beside the clone, or two levels up (a worktree)."""
    root = Path(__file__).resolve().parent.parent
    for base in (root.parent, root.parent.parent):
        path = base / "shared" / "corpus" / "gwr-zh.jsonl"
        if path.is_file():
            return path
    return None

_SESSION = re.compile(r"第(十[二三四])届全国人民代表大会第([一二三四五六七八九])次会议")
_FIRST_YEAR = {"十二": 2013, "十三": 2018, "十四": 2023}
_DIGITS = "一二三四五六七八九"
_CUT = re.compile(r"(?<=[。！？；])|\n+")
_PREFIXES = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix kg: <https://w3id.org/policykg/id/> .
@prefix kgg: <https://w3id.org/policykg/graph/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def document_id(record: dict[str, object]) -> tuple[str, str, int]:
    """(document id, class, year) of a corpus record, by the shared contract."""
    title = str(record.get("title") or "")
    if record.get("year"):
        year = int(str(record["year"]))
        return f"gwr-{year}", "GovernmentWorkReport", year
    match = _SESSION.search(title)
    if match is None:
        raise ValueError(f"no NPC session in the title {title!r}")
    year = _FIRST_YEAR[match.group(1)] + _DIGITS.index(match.group(2))
    return f"gwr-{year}-resolution", "Resolution", year


def _lit(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _passages(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CUT.finditer(text):
        end = m.start()
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if chunk.strip():
            spans.append((start + lead, start + trail))
        start = m.end()
    if text[start:].strip():
        chunk = text[start:]
        spans.append((start + len(chunk) - len(chunk.lstrip()), start + len(chunk.rstrip())))
    return spans


def build_fixture(corpus: Path, out: Path, *, documents: int = 0,
                  passages: int = 0) -> list[Path]:
    """Write one TriG file (and the stored text) per corpus record into ``out``.

    Args:
        corpus: the JSONL corpus (``shared/corpus/gwr-zh.jsonl``).
        out: the folder to write into.
        documents: most documents (0 = all), for a smoke run.
        passages: most passages per document (0 = all).

    Returns:
        The TriG files written, sorted.
    """
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from policykg.authoring.corpus.furniture import drop_furniture

    out.mkdir(parents=True, exist_ok=True)
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    written: list[Path] = []
    for record in sorted(records, key=lambda r: document_id(r)[0])[: documents or None]:
        doc, cls, year = document_id(record)
        text = drop_furniture(str(record["content"])).text
        (out / f"{doc}.txt").write_text(text, encoding="utf-8")
        spans = _passages(text)[: passages or None]
        run = f"kg:{doc}-fixture-run"
        lines = [_PREFIXES, f"kgg:{doc} {{"]
        lines.append(f"  kg:{doc} a pkg:{cls} ; rdfs:label {_lit(str(record['title']))}@zh ;")
        lines.append(f'    pkg:publicationYear "{year}"^^xsd:integer .')
        lines.append(f'  {run} a pkg:AnnotationRun ; rdfs:label "workbench fixture"@en .')
        for n, (a, b) in enumerate(spans, 1):
            pid = f"kg:{doc}-s{n:04d}"
            lines.append(f"  {pid} a pkg:Passage ; pkg:inDocument kg:{doc} ;")
            lines.append(f"    pkg:quote {_lit(text[a:b])} ;")
            lines.append(f'    pkg:startOffset "{a}"^^xsd:nonNegativeInteger ; '
                         f'pkg:endOffset "{b}"^^xsd:nonNegativeInteger ;')
            lines.append(f"    pkg:reviewStatus pkg:Unreviewed ; prov:wasGeneratedBy {run} .")
        lines.append("}")
        for n in range(1, len(spans) + 1):
            pid = f"kg:{doc}-s{n:04d}"
            lines.append(f"{pid} {{ {pid} prov:wasGeneratedBy {run} . }}")
        path = out / f"{doc}.trig"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return sorted(written)
