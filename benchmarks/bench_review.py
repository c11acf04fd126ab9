"""Benchmark the review page of ``policykg annotate --html`` (issue 25 N12: it was quadratic).

The text is the article's stored text repeated to the size asked (English, with mentions, cues
and figures in every passage); the page is timed alone (``review_page``), after ``annotate_text``
and ``draft_mapping``. With ``--before FILE`` the review module of another checkout is timed on
the same annotation, for comparison. Run by hand::

    python benchmarks/bench_review.py                    # 0.25, 0.5, 1 and 2 MB
    python benchmarks/bench_review.py --sizes 1000000 --before OTHER/src/policykg/outputs/review.py
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _module(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("review_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000,
                                                              2_000_000])
    ap.add_argument("--before", type=Path, help="another outputs/review.py to time as well")
    ap.add_argument("--smoke", action="store_true", help="one 20,000-character text (tests)")
    args = ap.parse_args(argv)
    if args.smoke:
        args.sizes = [20_000]
    import policykg
    from policykg.authoring.annotate import annotate_text, draft_mapping
    from policykg.authoring.lexicon import Lexicon
    from policykg.outputs.review import review_page

    before = _module(args.before) if args.before else None
    lexicon = Lexicon.from_kg(policykg.load())
    base = (ROOT / "graphs" / "sources" / "ncpf-2025.txt").read_text(encoding="utf-8")
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("| text | passages | page MB | review page (s) |" + (" before (s) |" if before else ""))
    for size in args.sizes:
        text = (base * (size // len(base) + 1))[:size]
        ann = annotate_text(text, lexicon, lang="en")
        data = draft_mapping(ann, doc_id="x", text_name="x.txt")
        t = time.perf_counter()
        page = review_page(ann, data, title="x")
        after = time.perf_counter() - t
        row = (f"| {size / 1e6:.2f} MB | {len(ann.sentences)} | {len(page) / 1e6:.1f} "
               f"| {after:.2f} |")
        if before is not None:
            t = time.perf_counter()
            before.review_page(ann, data, title="x")
            row += f" {time.perf_counter() - t:.2f} |"
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
