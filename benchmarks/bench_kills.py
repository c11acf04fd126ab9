"""Kill ``policykg add --store`` at random moments and check what the next command repairs.

Run ``python benchmarks/bench_kills.py [--kills N] [--seed S]`` (not a test; the test suite's
``tests/test_hardening_kills.py`` does a bounded version). It builds the test fixture project
(``tests/fixtures/extensions``), loads it into an Oxigraph store, times one full
``add --store`` of ``solar-brief.yaml``, then N times: restores project and store, starts the
same ``add --store``, sends ``SIGKILL`` after a random share of that time, records the state
the kill left (document files in the project? graph in the store? intent journal? temporary
files?), runs the next command (the same ``add --store`` again) and records whether project and
store agree and whether any temporary file is left. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["POLICYKG_HOME"] = str(root)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _policykg(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "policykg", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _in_store(store: Path) -> bool:
    import pyoxigraph as ox

    opened = ox.Store.read_only(str(store))
    try:
        graph = ox.NamedNode("https://w3id.org/policykg/graph/solar-brief")
        return any(True for _ in opened.quads_for_pattern(None, None, None, graph))
    finally:
        del opened


def _state(root: Path, store: Path) -> tuple[bool, bool, bool, int]:
    graphs = root / "graphs"
    temporaries = sum(1 for p in graphs.rglob("*") if p.name.endswith(".tmp"))
    return ((graphs / "solar-brief.trig").is_file(), _in_store(store),
            (graphs / ".policykg-store.journal").is_file(), temporaries)


def main(argv: list[str] | None = None) -> int:
    """Run the kills; print the table."""
    from fixtures.extensions.helpers import ADD, make_fixture_project

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--at-intent", action="store_true",
                        help="kill 0-300 ms after the intent journal appears (the window where "
                             "files and store are written) instead of at a random share of the run")
    parser.add_argument("--smoke", action="store_true", help="one kill (the test suite's run)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.kills = 1
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="policykg-kills-"))
    try:
        pristine = make_fixture_project(work / "pristine")
        root, store, source = work / "proj", work / "kg.oxigraph", str(ADD / "solar-brief.yaml")
        env = _env(root)

        def reset() -> None:
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(pristine, root)
            shutil.rmtree(store, ignore_errors=True)
            assert _policykg(["load", "-q", "--store", str(store)], env).wait(300) == 0

        reset()
        started = time.monotonic()
        assert _policykg(["add", "--store", str(store), source], env).wait(300) == 0
        full = time.monotonic() - started
        rows = []
        for n in range(1, args.kills + 1):
            reset()
            at = rng.uniform(0.1, 1.0) * full
            proc = _policykg(["add", "--store", str(store), source], env)
            if args.at_intent:
                begun = time.monotonic()
                intent = root / "graphs" / ".policykg-store.journal"
                while not intent.exists() and proc.poll() is None:
                    time.sleep(0.002)
                time.sleep(rng.uniform(0.0, 0.3))
                at = time.monotonic() - begun
            else:
                time.sleep(at)
            proc.send_signal(signal.SIGKILL)
            code = proc.wait(60)
            left = _state(root, store)
            nxt = _policykg(["add", "--store", str(store), source], env)
            _, err = nxt.communicate(timeout=300)
            after = _state(root, store)
            agree = after[0] == after[1] and not after[2] and after[3] == 0
            rows.append((n, at, "killed" if code == -signal.SIGKILL else f"exit {code}", left,
                         nxt.returncode, agree, "Traceback" in err))
        how = "0-300 ms after the intent appeared" if args.at_intent else "at random moments"
        print(f"Full `add --store` took {full:.2f} s; {args.kills} kills {how} "
              f"(seed {args.seed}).\n")
        print("| # | kill at s | run | left: files / store / intent / .tmp | next exit | "
              "agree after | traceback |")
        print("|---:|---:|---|---|---:|---|---|")
        for n, at, run, left, nexit, agree, tb in rows:
            shown = f"{'yes' if left[0] else 'no'} / {'yes' if left[1] else 'no'} / " \
                    f"{'yes' if left[2] else 'no'} / {left[3]}"
            print(f"| {n} | {at:.2f} | {run} | {shown} | {nexit} | {'yes' if agree else 'NO'} | "
                  f"{'YES' if tb else 'no'} |")
        return 0 if all(r[5] and not r[6] for r in rows) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
