"""The benchmarks' peak RSS is the measured command's own, not the benchmark script's.

Linux carries a process's peak RSS (``ru_maxrss``) over to a child across fork and exec, so a
child started by a script that once held 800 MB reports at least 800 MB: ``add to 1m`` in
``benchmarks/RESULTS-validate.md`` read 825 MB (the command itself: 140 MB) in the run where
``bench_validate.py`` had split the 1M corpus in its own memory. ``bench_validate.run`` starts
the command from a small process of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import bench_validate as bench
bench.OUT.mkdir(parents=True, exist_ok=True)
big = bytearray(400_000_000)
big[::4096] = b"x" * len(big[::4096])  # touched: 400 MB resident in this process
del big
print(json.dumps(bench.run(["--help"], home=bench.ROOT)))
"""


def test_a_measured_command_does_not_inherit_the_benchmarks_peak_rss(tmp_path):
    env = dict(os.environ, POLICYKG_BENCH_OUT=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT / "benchmarks")],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    )
    row = json.loads(done.stdout.strip().splitlines()[-1])
    assert row["rc"] == 0
    assert 0 < row["rss_mb"] < 200, row  # policykg --help: tens of MB; 400+ when inherited
