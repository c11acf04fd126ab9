"""A real SPARQL server: Oxigraph's own ``oxigraph serve`` on a loopback port.

The graph is pushed with ``policykg push`` (Graph Store HTTP Protocol, named graphs kept), then
every named query runs through ``--endpoint`` and must give the embedded answers.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import policykg
from policykg.errors import BackendError, QueryError
from policykg.sparql.catalogue import named_queries
from policykg.sparql.results import parse_results_json
from policykg.store.backends import EndpointBackend
from test_backends import normalise

pytestmark = pytest.mark.server


def oxigraph_executable() -> str | None:
    """Find the ``oxigraph`` command of the ``oxigraph`` PyPI package."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OxigraphServer:
    """``oxigraph serve`` in memory on 127.0.0.1, stopped by :meth:`stop`."""

    def __init__(self, *, union: bool = True) -> None:
        exe = oxigraph_executable()
        if exe is None:
            pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [exe, "serve", "--bind", f"127.0.0.1:{self.port}"]
        if union:
            args.append("--union-default-graph")
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.process.stderr.read()!r}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph serve did not answer within 30 s")

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def oxigraph(run_cli) -> Iterator[OxigraphServer]:
    server = OxigraphServer()
    try:
        pushed = run_cli(["push", "--endpoint", server.query_url])
        assert pushed.returncode == 0, pushed.stderr
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def remote(oxigraph: OxigraphServer) -> Iterator[policykg.PolicyKG]:
    graph = policykg.load(endpoint=oxigraph.query_url)
    yield graph
    graph.close()


def test_push_keeps_every_named_graph(
    oxigraph: OxigraphServer, kg: policykg.PolicyKG, remote: policykg.PolicyKG
) -> None:
    graphs = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    assert remote.query(graphs).rows == kg.query(graphs).rows
    assert isinstance(remote.backend, EndpointBackend)
    assert remote.backend.default_graph_is_union() is True


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_same_answer_on_the_server(
    name: str, kg: policykg.PolicyKG, remote: policykg.PolicyKG
) -> None:
    q = named_queries()[name]
    assert normalise(q.run(remote, **q.examples)) == normalise(q.run(kg, **q.examples))


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_cli_named_query_through_the_endpoint(
    name: str, run_main, oxigraph: OxigraphServer, kg: policykg.PolicyKG
) -> None:
    """``policykg query NAME --endpoint URL`` (the command line in this process; a process of
    its own asks the endpoint in test_cli_query_through_the_endpoint)."""
    q = named_queries()[name]
    params = [a for k, v in q.examples.items() for a in ("--param", f"{k}={v}")]
    done = run_main(["query", name, *params, "--format", "json", "--endpoint", oxigraph.query_url])
    assert done.returncode == 0, done.stderr
    served = parse_results_json(done.stdout.encode())
    assert normalise(served) == normalise(q.run(kg, **q.examples))


def test_cli_query_through_the_endpoint(run_cli, oxigraph: OxigraphServer) -> None:
    q = named_queries()["cq-2-soe-functions"]
    params = [a for k, v in q.examples.items() for a in ("--param", f"{k}={v}")]
    local = run_cli(["query", q.name, *params, "--format", "csv"])
    served = run_cli(
        ["query", q.name, *params, "--format", "csv", "--endpoint", oxigraph.query_url]
    )
    assert served.returncode == 0, served.stderr
    assert sorted(served.stdout.splitlines()) == sorted(local.stdout.splitlines())
    env = {**os.environ, "POLICYKG_ENDPOINT": oxigraph.query_url}
    by_env = run_cli(["query", q.name, *params, "--format", "csv"], env=env)
    assert sorted(by_env.stdout.splitlines()) == sorted(local.stdout.splitlines())


def test_bound_values_and_query_forms(kg: policykg.PolicyKG, remote: policykg.PolicyKG) -> None:
    concept = "https://w3id.org/policykg/ontology#Concept"
    assert remote.label(concept, lang="zh") == kg.label(concept, lang="zh")
    goal = kg.query("SELECT ?g WHERE { ?g a pkg:Goal } ORDER BY ?g LIMIT 1").rows[0][0]
    assert goal is not None
    for text in (
        "DESCRIBE ?x",
        "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }",
        "CONSTRUCT WHERE { ?x ?p ?o }",
    ):
        assert normalise(remote.query(text, x=goal)) == normalise(kg.query(text, x=goal)), text
    ask = "ASK { ?x a pkg:Goal }"
    assert remote.query(ask, x=goal).boolean is True
    text = "SELECT ?l WHERE { ?x skos:prefLabel ?l FILTER(STR(?l) = ?t) }"
    assert remote.query(text, t='no "such" label\n').rows == []


def test_errors_read_like_the_embedded_ones(
    kg: policykg.PolicyKG, remote: policykg.PolicyKG
) -> None:
    for text in ("SELECT * WHERE { ?s ?p }", "SELECT ?x WHERE { ?x nope:p ?y }", "DROP ALL"):
        with pytest.raises(QueryError) as local:
            kg.query(text)
        with pytest.raises(QueryError) as served:
            remote.query(text)
        assert str(served.value) == str(local.value)


def test_wrong_url_is_a_clear_error(oxigraph: OxigraphServer) -> None:
    with pytest.raises(BackendError, match="HTTP 404"):
        EndpointBackend(f"{oxigraph.base}/nothing-here").query("ASK {}")


def test_push_dataset_method_and_union_check(run_cli) -> None:
    plain = OxigraphServer(union=False)
    try:
        pushed = run_cli(["push", "--endpoint", plain.query_url, "--method", "dataset", "-q"])
        assert pushed.returncode == 1
        assert "--union-default-graph" in pushed.stderr and "Traceback" not in pushed.stderr
        with policykg.load(endpoint=plain.query_url) as graph:
            n = graph.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
            assert int(str(n)) > 1000
    finally:
        plain.stop()


def test_push_errors(run_cli, tmp_path: Path) -> None:
    port = free_port()
    down = run_cli(["push", "--endpoint", f"http://127.0.0.1:{port}/query", "-q"])
    assert down.returncode == 2 and "cannot reach" in down.stderr
    unknown = run_cli(["push", "--endpoint", "http://127.0.0.1:9/repositories/x"])
    assert unknown.returncode == 2 and "--graph-store" in unknown.stderr
