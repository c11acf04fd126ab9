"""The corpus benchmark's smoke mode runs end to end (a benchmark, not a timed test)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_synthetic_corpus_is_importable(corpus_file: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from policykg.authoring.corpus.records import read_records
    from synth_corpus import build

    parts = build(corpus_file, tmp_path, times=3, reports=2, part_mb=0.05)
    records = [r for p in parts for r in read_records(p)]
    assert len(parts) > 1 and len(records) == 6
    assert len({r.url for r in records}) == 6
    assert sorted(r.year or "" for r in records) == ["3000", "3001", "3020", "3021", "3040", "3041"]
