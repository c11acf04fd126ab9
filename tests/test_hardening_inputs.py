"""Issue 25: hostile inputs (N10, N14, N15, N18, N20, N22) get one line, quickly, bounded."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from loopback import LoopbackServer, Seen, reply
from policykg.apps.cli import main
from policykg.core.errors import BackendError, ParseError, PolicyKGError
from policykg.store.backends import EndpointBackend

ROOT = Path(__file__).resolve().parents[1]

#: A 668-byte kind of RDF/XML "billion laughs": ten levels of ten.
BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY a "lollollollollol">\n'
    + "".join(f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
    ' <rdf:Description rdf:about="http://example.org/x"><rdfs:label>&j;</rdfs:label>'
    "</rdf:Description>\n</rdf:RDF>\n"
)


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


# -- N10: entity declarations refused before any RDF/XML is parsed ----------------------------


@pytest.mark.parametrize("command", [["validate"], ["load", "--store", "STORE"]])
def test_an_rdfxml_entity_bomb_is_refused_at_once(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.owl"
    bomb.write_text(BOMB, encoding="utf-8")
    args = [str(tmp_path / "kg") if a == "STORE" else a for a in command]
    started = time.monotonic()
    code, err = _cli([*args, str(bomb)], capsys)
    assert time.monotonic() - started < 30
    assert code == 2, err
    assert err.count("\n") == 1 and "XML entity declarations (<!ENTITY) are refused" in err


def test_entity_declarations_are_refused_in_utf16_and_in_answers(tmp_path: Path) -> None:
    from policykg.rdf.graphio import refuse_xml_entities, refuse_xml_entities_in_file
    from policykg.sparql.results import parse_graph

    wide = tmp_path / "wide.rdf"
    wide.write_bytes(BOMB.encode("utf-16"))
    with pytest.raises(ParseError, match="refused"):
        refuse_xml_entities_in_file(wide)
    with pytest.raises(ParseError, match="the RDF/XML answer"):
        parse_graph(BOMB.encode("utf-8"), "application/rdf+xml")
    refuse_xml_entities(b'<?xml version="1.0"?><rdf:RDF/>', "plain")  # no entity: accepted


def test_an_endpoint_answering_a_construct_with_entities_is_refused() -> None:
    server = LoopbackServer(lambda h, seen: reply(h, 200, BOMB.encode(), "application/rdf+xml"))
    try:
        backend = EndpointBackend(f"{server.base}/sparql", timeout=10)
        with pytest.raises(PolicyKGError, match="XML entity declarations"):
            backend.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    finally:
        server.close()


# -- N15, N22: the endpoint client -------------------------------------------------------------


def test_the_endpoint_client_refuses_an_answer_over_its_size_limit() -> None:
    big = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b" " * 5000 + b"]}}"
    server = LoopbackServer(lambda h, seen: reply(h, 200, big))
    try:
        backend = EndpointBackend(f"{server.base}/sparql", timeout=10, max_answer=1000)
        with pytest.raises(BackendError, match="larger than 1000 bytes"):
            backend.query("SELECT ?x WHERE { ?x ?p ?o } LIMIT 1")
    finally:
        server.close()


def test_the_endpoint_client_refuses_a_redirect_to_ftp() -> None:
    def handle(h: BaseHTTPRequestHandler, seen: Seen) -> None:
        reply(h, 302, b"", "text/plain", {"Location": "ftp://127.0.0.1/x"})

    server = LoopbackServer(handle)
    try:
        backend = EndpointBackend(f"{server.base}/sparql", timeout=10)
        with pytest.raises(BackendError, match=r"redirected \(HTTP 302\) to a ftp: URL"):
            backend.query("ASK {}")
    finally:
        server.close()


# -- N18: push --timeout bounds the whole request ----------------------------------------------


def test_push_timeout_bounds_an_upload_the_server_reads_slowly() -> None:
    import pyoxigraph as ox

    from policykg.store.bulk import push_graphs

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def trickle() -> None:  # reads 1 KB every 0.1 s: each read is quick, the upload endless
        conn, _ = listener.accept()
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        while not stop.is_set():
            try:
                if not conn.recv(1024):
                    break
            except OSError:
                break
            time.sleep(0.1)
        conn.close()

    threading.Thread(target=trickle, daemon=True).start()
    store = ox.Store()
    g = ox.NamedNode("http://example.org/g")
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode(
        "http://example.org/p"), ox.Literal("x" * 100), g) for i in range(40_000))
    started = time.monotonic()
    try:
        with pytest.raises(BackendError, match="no answer within 2 s"):
            push_graphs(store, f"http://127.0.0.1:{port}/store", timeout=2)
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 10


# -- N20: no tracebacks for absurd numbers ------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["push", "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "inf"],
    ["push", "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "1e20"],
    ["push", "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "nan"],
    ["validate", "--follow-imports", "--imports-timeout", "1e20"],
])
def test_absurd_timeouts_are_one_line_refusals(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "policykg", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "timeout" in done.stderr


def test_a_300_character_document_id_is_refused_in_one_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fixtures.extensions.helpers import ADD

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "solar-brief.txt").write_bytes((ADD / "solar-brief.txt").read_bytes())
    text = (ADD / "solar-brief.yaml").read_text(encoding="utf-8")
    (folder / "long.yaml").write_text(text.replace("id: solar-brief", "id: " + "a" * 300, 1),
                                      encoding="utf-8")
    code, err = _cli(["add", "--dry-run", str(folder / "long.yaml")], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "document.id: 300 characters, more than 120" in err


# -- N14: the CLI query caps rows ---------------------------------------------------------------


def test_query_reads_at_most_max_rows_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "--format", "csv", "--max-rows", "5",
                 "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"])
    out = capsys.readouterr()
    assert code == 0
    assert len(out.out.strip().splitlines()) == 6  # the header and five rows
    assert "only the first 5 rows are shown" in out.err
    code = main(["query", "--format", "csv", "--max-rows", "5",
                 "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s"])
    out = capsys.readouterr()
    assert code == 2 and "more than 5 rows, too many to sort here" in out.err


# -- N19, N26: validate refuses what add refuses, and files too large to check in memory -------


def _deep(path: Path, levels: int) -> Path:
    path.write_text("<http://example.org/a> <http://example.org/p> "
                    + "[ <http://example.org/p> " * levels + "<http://example.org/b>"
                    + " ]" * levels + " .\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["validate", "--no-owl"], ["add", "--dry-run"]])
def test_deeply_nested_turtle_gets_the_same_answer_from_validate_and_add(
    command: list[str], project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = _deep(tmp_path / "deep.ttl", 30_000)
    code, err = _cli([*command, str(deep)], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "deep.ttl:1: nested more than 500 levels deep" in err


def test_a_huge_literal_is_refused_before_hermit(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.ttl"
    big.write_text('<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#comment> "'
                   + "x" * 1_500_000 + '" .\n', encoding="utf-8")
    started = time.monotonic()
    code, err = _cli(["validate", str(big)], capsys)
    assert code == 2 and "a literal of 1500002 characters" in err
    assert time.monotonic() - started < 30


def test_validate_refuses_a_file_larger_than_it_checks_in_memory(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from policykg.checks.data import MAX_VALIDATE_BYTES

    big = tmp_path / "big.nq"
    with big.open("wb") as handle:
        handle.truncate(MAX_VALIDATE_BYTES + 1)
    code, err = _cli(["validate", str(big)], capsys)
    assert code == 2 and "is more than 'policykg validate' checks" in err
