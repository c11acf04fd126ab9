"""Load ``policykg serve`` with concurrent clients on loopback and measure cheap-query latency.

Run ``python benchmarks/bench_load.py`` (not a test; ``--smoke`` is what the test suite runs).
It starts ``policykg serve`` on ``127.0.0.1`` (loopback only: the address is fixed) with its
default settings and, for every number of clients (20, 50, 100) and share of slow queries (0 %
and 10 %), runs that many client threads for ``--seconds`` seconds. Each client sends one query
after another on its own keep-alive connection: a slow query (a three-way cartesian product,
which runs until the server's timeout) with the given probability, else a cheap one (ten
provisions). Bounded: at most ``--max-requests`` requests per scenario, at most 100 clients.

Reported per scenario: cheap queries sent, their p50 / p95 / max latency, the cheap queries
that got ``503`` or another error, the slow queries' statuses, and the *recovery*: once the
clients stop, how long until a cheap query answers (the slow queries still running do not
hold it up). Goals (issue 25): cheap p95 under 1 s and no 503 for cheap queries at 20 clients
with 10 % slow queries; recovery within 1 s.

Usage: ``python benchmarks/bench_load.py [--seconds S] [--out FILE] [--smoke]``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import select
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only, never another host
CHEAP = "SELECT ?p WHERE { ?p a pkg:Provision } ORDER BY ?p LIMIT 10"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MAX_CLIENTS = 100


@dataclass
class Scenario:
    """The results of one load: latencies and statuses by kind of query."""

    clients: int
    slow_share: float
    cheap: list[float] = field(default_factory=list)
    cheap_status: dict[int, int] = field(default_factory=dict)
    slow_status: dict[int, int] = field(default_factory=dict)
    recovery: float = 0.0


def start_server(*extra: str) -> tuple[subprocess.Popen[str], int]:
    """Start ``policykg serve`` on loopback; return the process and its port."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    process = subprocess.Popen(
        [sys.executable, "-m", "policykg", "serve", "--host", HOST, "--port", "0", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if "serving http://" in line:
                url = line.split("serving ", 1)[1].split(" ", 1)[0]
                return process, int(urllib.parse.urlsplit(url).port or 0)
    process.kill()
    raise RuntimeError("policykg serve did not start")


def ask(conn: http.client.HTTPConnection, query: str) -> int:
    """Send one query on a keep-alive connection; return the status (0: connection failed)."""
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    try:
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        conn.close()
        return 0


def run_scenario(port: int, clients: int, slow_share: float, seconds: float,
                 max_requests: int, seed: int = 25) -> Scenario:
    """Run ``clients`` threads for ``seconds``; then measure the recovery."""
    result = Scenario(clients, slow_share)
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    sent = [0]

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        while time.monotonic() < stop:
            with lock:
                if sent[0] >= max_requests:
                    break
                sent[0] += 1
            slow = rng.random() < slow_share
            started = time.monotonic()
            status = ask(conn, SLOW if slow else CHEAP)
            took = time.monotonic() - started
            with lock:
                if slow:
                    result.slow_status[status] = result.slow_status.get(status, 0) + 1
                else:
                    result.cheap.append(took)
                    result.cheap_status[status] = result.cheap_status.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    while time.monotonic() < stop:
        time.sleep(0.05)
    ended = time.monotonic()
    probe = http.client.HTTPConnection(HOST, port, timeout=60)
    while ask(probe, CHEAP) != 200 and time.monotonic() - ended < 60:
        time.sleep(0.01)
    result.recovery = time.monotonic() - ended
    probe.close()
    for t in threads:
        t.join(timeout=90)
    return result


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def table(results: list[Scenario]) -> str:
    """The Markdown table of the results."""
    lines = [
        "| clients | slow | cheap sent | cheap p50 ms | cheap p95 ms | cheap max ms | "
        "cheap 503 | cheap other errors | slow statuses | recovery ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in results:
        errors = sum(n for s, n in r.cheap_status.items() if s not in (200, 503))
        slow = ", ".join(f"{s}: {n}" for s, n in sorted(r.slow_status.items())) or "-"
        lines.append(
            f"| {r.clients} | {r.slow_share:.0%} | {len(r.cheap)} | "
            f"{_pct(r.cheap, 0.5) * 1000:.0f} | {_pct(r.cheap, 0.95) * 1000:.0f} | "
            f"{max(r.cheap, default=float('nan')) * 1000:.0f} | {r.cheap_status.get(503, 0)} | "
            f"{errors} | {slow} | {r.recovery * 1000:.0f} |"
        )
    return "\n".join(lines)


def goals_met(results: list[Scenario]) -> list[str]:
    """The goals of issue 25 that a run missed (empty: all met)."""
    missed = []
    for r in results:
        if r.clients == 20 and r.slow_share > 0:
            if _pct(r.cheap, 0.95) >= 1.0:
                missed.append(f"cheap p95 {_pct(r.cheap, 0.95):.2f} s at 20 clients, 10 % slow")
            if r.cheap_status.get(503, 0):
                missed.append(f"{r.cheap_status[503]} cheap 503s at 20 clients, 10 % slow")
        if r.recovery >= 1.0:
            missed.append(f"recovery {r.recovery:.2f} s at {r.clients} clients")
    return missed


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print (and write) the Markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load per scenario (10)")
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, nargs="*", default=[20, 50, 100])
    parser.add_argument("--out", type=Path, default=None,
                        help="write the report here (default benchmarks/RESULTS-load.md; "
                             "--smoke: nowhere)")
    parser.add_argument("--smoke", action="store_true",
                        help="a quick run for the tests: 20 clients, 1 s, both shares, a 2 s "
                             "query timeout")
    args = parser.parse_args(argv)
    clients = [20] if args.smoke else args.clients
    seconds = 1.0 if args.smoke else args.seconds
    if any(not 1 <= c <= MAX_CLIENTS for c in clients) or not 0 < seconds <= 120:
        parser.error(f"clients in 1..{MAX_CLIENTS}, seconds in (0, 120]")
    process, port = start_server(*(("--timeout", "2") if args.smoke else ()))
    results = []
    try:
        for n in clients:
            for share in (0.0, 0.1):
                results.append(run_scenario(port, n, share, seconds, args.max_requests))
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    missed = goals_met(results)
    report = "\n".join([
        "# policykg serve under load (benchmarks/bench_load.py)",
        "",
        f"Default `policykg serve` settings on loopback; {seconds:g} s per scenario; "
        f"{os.cpu_count()} CPU(s). Cheap: `{CHEAP}`; slow: `{SLOW}` (runs to the timeout).",
        "",
        table(results),
        "",
        "Goals (cheap p95 < 1 s and no cheap 503 at 20 clients with 10 % slow; recovery < 1 s): "
        + ("met." if not missed else "missed: " + "; ".join(missed) + "."),
        "",
    ])
    print(report)
    out = args.out if args.out is not None else (None if args.smoke else
                                                 ROOT / "benchmarks" / "RESULTS-load.md")
    if out is not None:
        sys.path.insert(0, str(ROOT / "src"))
        from policykg.core.io import write_atomic

        write_atomic(out, report)
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
