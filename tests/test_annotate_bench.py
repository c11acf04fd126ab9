"""The annotate benchmark runs (smoke mode: 100 KB timing, no hostile runs) and reports the
article (in-sample) beside the reviewed work-report sections (held out)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_smoke_run_reports_in_sample_and_held_out(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_annotate

    out = tmp_path / "RESULTS.md"
    assert bench_annotate.main(["--smoke", "--out", str(out)]) == 0
    md = out.read_text(encoding="utf-8")
    assert "## Held out: the reviewed sections of the 2023 and 2024 work reports" in md
    assert "**these scores are held out; the article's above are in-sample.**" in md
    if (ROOT / "graphs" / "sources" / "gwr-2024.yaml").is_file():
        assert "| gwr-2024 |" in md and "| **both** |" in md
    assert "(not run: --no-hostile)" in md
    capsys.readouterr()
