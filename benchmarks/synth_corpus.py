"""Build a synthetic corpus N times the real one (``../shared/corpus/gwr-zh.jsonl``).

Each copy ``k`` of each real Government Work Report becomes a report of the year
``3000 + 20·k + (year − 2014)`` (title ``YYYY年中华人民共和国国务院政府工作报告``, url
``<url>#synthetic-<k>``) whose content is the real one from its salutation on (a title block
would name an NPC session of that year, which does not exist). The eleven resolutions are left
out (they name real sessions); they are 1% of the text. Records go to JSON Lines parts of at
most ``--part-mb`` MB (a corpus file may hold 32 MiB), so a 100× corpus is three files.

Usage::

    python benchmarks/synth_corpus.py --times 100 --out benchmarks/out/synth-100
    python benchmarks/synth_corpus.py --times 1 --reports 2 --out /tmp/smoke   # smoke
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "gwr-zh.jsonl"


def find_corpus() -> Path:
    """The real corpus beside the clone, or beside /work/wt (a worktree)."""
    for candidate in (DEFAULT_CORPUS, HERE.parent.parent.parent / "shared/corpus/gwr-zh.jsonl"):
        if candidate.is_file():
            return candidate
    raise SystemExit(f"the real corpus is missing ({DEFAULT_CORPUS})")


def build(corpus: Path, out: Path, *, times: int, reports: int | None = None,
          part_mb: float = 20.0) -> list[Path]:
    """Write the synthetic corpus's parts to ``out``; return their paths."""
    real = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    real = [r for r in real if r.get("year")][: reports or None]
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.jsonl"):
        old.unlink()
    parts: list[Path] = []
    chunk: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal chunk, size
        if chunk:
            path = out / f"part-{len(parts) + 1:03d}.jsonl"
            path.write_text("".join(chunk), encoding="utf-8")
            parts.append(path)
        chunk, size = [], 0

    for k in range(times):
        for r in real:
            year = 3000 + 20 * k + int(r["year"]) - 2014
            body = r["content"][r["content"].index("各位代表"):]
            line = json.dumps({
                "title": f"{year}年中华人民共和国国务院政府工作报告",
                "url": f"{r['url']}#synthetic-{k}",
                "content": body,
                "year": str(year),
            }, ensure_ascii=False) + "\n"
            if size + len(line.encode()) > part_mb * 1e6:
                flush()
            chunk.append(line)
            size += len(line.encode())
    flush()
    return parts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--times", type=int, default=100)
    ap.add_argument("--reports", type=int, default=None, help="only the first N reports")
    ap.add_argument("--out", type=Path, default=HERE / "out" / "synth-corpus")
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--part-mb", type=float, default=20.0)
    ap.add_argument("--smoke", action="store_true",
                    help="1 time, 2 reports, under $POLICYKG_BENCH_OUT (the test suite's run)")
    args = ap.parse_args(argv)
    if args.smoke:
        args.times, args.reports = 1, 2
        args.out = Path(os.environ.get("POLICYKG_BENCH_OUT") or HERE / "out") / "synth-corpus"
    parts = build(args.corpus or find_corpus(), args.out, times=args.times,
                  reports=args.reports, part_mb=args.part_mb)
    total = sum(p.stat().st_size for p in parts)
    print(f"{len(parts)} part(s), {total / 1e6:.1f} MB in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
