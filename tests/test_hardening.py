"""Regression tests of issue 14 part B: the faults a hostile or clumsy user found."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from fixtures.extensions.helpers import ADD, tree_hash
from policykg.apps.cli import main
from policykg.core.errors import PolicyKGError


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- fault 11: files written with mode 0600 -----------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_write_atomic_gives_new_files_the_umask_mode(tmp_path: Path, mask: int) -> None:
    from policykg.core.io import write_atomic, write_many_atomic

    with umask(mask):
        one = write_atomic(tmp_path / "one.txt", "x")
        many = write_many_atomic([(tmp_path / "a.txt", "a"), (tmp_path / "b" / "c.txt", b"c")])
    for path in (one, *many):
        assert _mode(path) == 0o666 & ~mask, path


def test_write_atomic_keeps_an_existing_files_mode(tmp_path: Path) -> None:
    from policykg.core.io import write_atomic, write_many_atomic

    dest = tmp_path / "kept.txt"
    dest.write_text("old")
    dest.chmod(0o640)
    with umask(0o022):
        write_atomic(dest, "new")
        assert _mode(dest) == 0o640
        dest.chmod(0o604)
        write_many_atomic([(dest, "newer")])
    assert _mode(dest) == 0o604
    assert dest.read_text() == "newer"


# -- fault 5: a YAML alias bomb, and messages of any length -------------------------------------

BOMB = "\n".join(
    [
        "document: {id: bomb, text: solar-brief.txt}",
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
    ]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["entities: {x: {type: Concept, label: *i}}", ""]
)


def test_add_refuses_yaml_aliases_at_once_with_a_short_message(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "solar-brief.txt").write_bytes((ADD / "solar-brief.txt").read_bytes())
    (folder / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    before = tree_hash(project)
    code, _, err = cli(["add", str(folder / "bomb.yaml")], capsys)
    assert code == 2
    assert len(err) < 500
    assert err.count("\n") == 1
    assert "YAML aliases (*name) are not allowed" in err
    assert "bomb.yaml:3:8:" in err
    assert tree_hash(project) == before


def test_every_error_message_is_capped_and_on_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from policykg.core.text import MAX_MESSAGE

    huge = PolicyKGError("x" * 10_000_000)
    assert len(str(huge)) < MAX_MESSAGE + 100
    import policykg.apps.commands.stats as stats

    def boom(args: object) -> int:
        raise PolicyKGError("first\nforged line \x1b]0;title\x07" + "y" * 5000)

    monkeypatch.setattr(stats, "run", boom)
    code, _, err = cli(["stats"], capsys)
    assert code == 2
    assert err.count("\n") == 1
    assert "\x1b" not in err
    assert "first\\nforged line \\x1b]0;title\\x07" in err
    assert len(err) < MAX_MESSAGE + 100


# -- fault 6: deeply nested queries crashed the process -----------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    ],
    ids=["braces", "parentheses"],
)
def test_deeply_nested_query_is_refused_before_parsing(
    query: str, tmp_path: Path, run_cli: Any
) -> None:
    file = tmp_path / "deep.rq"
    file.write_text(query, encoding="utf-8")
    done = run_cli(["query", "--file", str(file)], timeout=60)
    assert done.returncode == 2, done.stderr[-300:]
    assert "query nested too deeply at line 1" in done.stderr
    assert "more than 100 levels" in done.stderr


def test_the_query_path_refuses_deep_nesting_for_every_caller() -> None:
    from policykg.core.errors import QueryError
    from policykg.sparql.syntax import MAX_NESTING, check_nesting
    from policykg.store.execute import run

    ok = "SELECT * WHERE " + "{" * MAX_NESTING + " ?s ?p ?o " + "}" * MAX_NESTING
    check_nesting(ok)
    check_nesting('SELECT * WHERE { ?s ?p "' + "{" * 500 + '" }')  # inside a string: not nesting

    class Never:
        @property
        def backend(self) -> Any:
            raise AssertionError("the backend must not see the query")

    deep = "ASK " + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1)
    with pytest.raises(QueryError, match="nested too deeply"):
        run(Never(), deep)


# -- fault 7: escape sequences in labels on terminals and in tables -----------------------------

EVIL = "evil\x1b]0;pwned\x07\x1b[31mred\x9b2J"
EVIL_SHOWN = "evil\\x1b]0;pwned\\x07\\x1b[31mred\\x9b2J"


def _evil_extension(project: Path) -> None:
    label = EVIL.replace("\x1b", "\\u001B").replace("\x07", "\\u0007").replace("\x9b", "\\u009B")
    (project / "graphs/extensions/evil.trig").write_text(
        "@prefix pkg: <https://w3id.org/policykg/ontology#> .\n"
        "@prefix kg: <https://w3id.org/policykg/id/> .\n"
        "@prefix kgg: <https://w3id.org/policykg/graph/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "kgg:evil { kg:evil a pkg:Concept ; "
        f'skos:prefLabel "{label}"@en ; rdfs:label "{label}"@en . }}\n'
        "kg:fixture-brief-evil { kg:evil pkg:drives kg:new-quality-productive-forces . }\n",
        encoding="utf-8",
    )


Q_EVIL = "SELECT ?label WHERE { kg:evil skos:prefLabel ?label }"


def test_table_describe_and_path_escape_control_characters(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _evil_extension(project)
    for args in (
        ["query", Q_EVIL, "--format", "table"],
        ["query", Q_EVIL, "--format", "md"],
        ["query", "SELECT ?e WHERE { ?e pkg:drives ?x }", "--format", "table"],
        ["describe", "kg:evil"],
        ["path", "kg:evil", "kg:new-quality-productive-forces"],
    ):
        code, out, err = cli(args, capsys)
        assert code == 0, err
        shown = EVIL_SHOWN.replace("\\", "\\\\") if "md" in args else EVIL_SHOWN
        assert shown in out, args
        assert not any(c in out for c in "\x1b\x07\x9b"), args


def test_data_formats_keep_control_characters_exact(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io
    import json

    _evil_extension(project)
    _, out, _ = cli(["query", Q_EVIL, "--format", "json"], capsys)
    assert json.loads(out)["results"]["bindings"][0]["label"]["value"] == EVIL
    _, out, _ = cli(["query", Q_EVIL, "--format", "csv"], capsys)
    assert list(csv.reader(io.StringIO(out)))[1] == [EVIL]
    _, out, _ = cli(["describe", "kg:evil", "--format", "json"], capsys)
    assert json.loads(out)["label"] == EVIL


def test_emit_escapes_control_characters_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from policykg.apps.commands.query import emit

    class Tty(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", Tty(raw, encoding="utf-8"))
    emit(f"a,b\r\n{EVIL},\ttab\r\nnext\n")
    assert raw.getvalue().decode("utf-8") == f"a,b\r\n{EVIL_SHOWN},\ttab\r\nnext\n"


# -- fault 8: GraphML/GEXF with control characters were not well-formed XML ---------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_with_control_characters_are_well_formed_xml(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    import xml.etree.ElementTree as ET

    _evil_extension(project)
    ext = project / "graphs/extensions/evil.trig"
    ext.write_text(ext.read_text().replace("evil\\u001B", "ev\\u0001il\\u001B"), encoding="utf-8")
    out = tmp_path / f"net.{fmt}"
    code, _, err = cli(["export", "--format", fmt, "--out", str(out)], capsys)
    assert code == 0, err
    root = ET.fromstring(out.read_bytes())
    texts = [el.text or "" for el in root.iter()] + [
        v for el in root.iter() for v in el.attrib.values()
    ]
    assert any("ev\\x01il\\x1b]0;pwned\\x07\\x1b[31mred" in t for t in texts)


# -- fault 12: one-line errors instead of tracebacks --------------------------------------------


def _one_line_refusal(
    args: list[str], project: Path, capsys: pytest.CaptureFixture[str], expected: str
) -> None:
    before = tree_hash(project)
    code, _, err = cli(args, capsys)
    assert code == 2, err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert expected in err
    assert tree_hash(project) == before


def test_add_of_non_utf8_yaml_or_csv_is_one_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yml = tmp_path / "bad.yaml"
    yml.write_bytes(b"document:\n  id: bad\n  title: \xff\xfe\n")
    _one_line_refusal(["add", str(yml)], project, capsys, "bad.yaml: not UTF-8 text (byte 29)")
    csv = tmp_path / "bad.csv"
    csv.write_bytes(b"kind,id\nentity,\xff\n")
    _one_line_refusal(["add", str(csv)], project, capsys, "bad.csv: not UTF-8 text")


def test_add_of_an_unreadable_ttl_is_one_line(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ttl = tmp_path / "locked.ttl"
    ttl.write_text("@prefix kg: <https://w3id.org/policykg/id/> .\n", encoding="utf-8")
    real_open = open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(ttl):  # root reads a chmod 000 file: refuse it here instead
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    import builtins
    import io

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)  # what pathlib's read_bytes() calls
    _one_line_refusal(
        ["add", str(ttl)], project, capsys, "locked.ttl: cannot read: Permission denied"
    )


def test_add_of_a_trig_with_a_space_in_an_iri_is_one_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fixtures.extensions.helpers import FIXTURES

    text = (FIXTURES / "valid-green-hydrogen.trig").read_text(encoding="utf-8")
    bad = tmp_path / "space.trig"
    bad.write_text(
        text.replace(
            "kg:green-hydrogen pkg:enables",
            "<https://w3id.org/policykg/id/green hydrogen> pkg:enables",
        ),
        encoding="utf-8",
    )
    _one_line_refusal(
        ["add", "--dry-run", str(bad)],
        project,
        capsys,
        "space.trig: invalid IRI <https://w3id.org/policykg/id/green hydrogen>",
    )


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "ttl"],
        ["viz"],
        ["docs"],
        ["reason"],
    ],
    ids=lambda a: a[0],
)
def test_out_naming_a_folder_is_one_line(
    args: list[str], project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    _one_line_refusal([*args, "--out", str(folder)], project, capsys, "it is a folder")


def _yaml_to_add(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("solar-brief.yaml", "solar-brief.txt"):
        (folder / name).write_bytes((ADD / name).read_bytes())
    return folder / "solar-brief.yaml"


def _writes_into_graphs(project: Path) -> list[list[str]]:
    """Commands that write into graphs/: build (of an edited source) and export."""
    src = project / "graphs/sources/fixture-brief.yaml"
    src.write_text(
        src.read_text(encoding="utf-8").replace(
            "title: Fixture brief", "title: Fixture brief, edited"
        )
    )
    return [["build"], ["export", "--format", "ttl", "--out", str(project / "graphs/all.ttl")]]


def test_a_read_only_graphs_folder_is_one_line(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    real = tempfile.mkstemp
    graphs = str(project / "graphs")

    def read_only(*args: Any, **kwargs: Any) -> Any:  # root ignores chmod: refuse it here
        if str(kwargs.get("dir", "")).startswith(graphs):
            raise OSError(30, "Read-only file system")
        return real(*args, **kwargs)

    commands = _writes_into_graphs(project)
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    for args in commands:
        _one_line_refusal(args, project, capsys, "Read-only file system")


def test_a_full_disk_is_one_line_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    commands = _writes_into_graphs(project)
    monkeypatch.setattr(os, "fsync", full)
    for args in commands:
        _one_line_refusal(args, project, capsys, "No space left on device")
    assert not list(project.rglob("*.tmp"))


# -- fault 4: owl:imports were followed (a silent host hung validate/add/reason; file: read) ----


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A loopback URL whose server accepts connections and never answers."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/ontology"
    finally:
        sock.close()


@pytest.fixture
def fifo_iri(tmp_path: Path) -> str:
    """A file: IRI of a FIFO: reading it blocks forever, so a test that returns did not read it."""
    fifo = tmp_path / "secret.ttl"
    os.mkfifo(fifo)
    return fifo.as_uri()


def _promptly(call: Any, limit: float = 30.0) -> Any:
    """Run ``call()`` in a thread; fail (instead of hanging) if it has not returned in time."""
    import threading

    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"still running after {limit} s (fetching an import?)"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _importing_graph(*iris: str) -> Any:
    from rdflib import Graph, URIRef

    from policykg.core.namespaces import OWL, RDF

    g = Graph()
    onto = URIRef("https://w3id.org/policykg/id/importer")
    g.add((onto, RDF.type, OWL.Ontology))
    for iri in iris:
        g.add((onto, OWL.imports, URIRef(iri)))
    g.add((URIRef("https://w3id.org/policykg/id/c"), RDF.type, OWL.Class))
    return g


def test_owlready2_and_hermit_never_see_owl_imports(silent_url: str, fifo_iri: str) -> None:
    from fixtures.extensions.helpers import need_java
    from policykg.checks.reason import is_consistent, run_hermit
    from policykg.rdf.owl import load_world

    graph = _importing_graph(silent_url, fifo_iri)
    world = _promptly(lambda: load_world(graph))
    assert world.get_ontology("https://w3id.org/policykg/union").imported_ontologies == []
    need_java()
    assert _promptly(lambda: is_consistent(graph)) is True
    _promptly(lambda: run_hermit(graph))


def _ontology_importing(project: Path, *iris: str) -> None:
    onto = project / "ontology/policykg.ttl"
    text = onto.read_text(encoding="utf-8")
    head = "<https://w3id.org/policykg/ontology> a owl:Ontology ;"
    assert head in text
    imports = ", ".join(f"<{i}>" for i in iris)
    onto.write_text(text.replace(head, f"{head} owl:imports {imports} ;", 1), encoding="utf-8")


def test_validate_ignores_owl_imports(
    project: Path, run_cli: Any, silent_url: str, fifo_iri: str
) -> None:
    from fixtures.extensions.helpers import cli_env, need_java

    need_java()
    _ontology_importing(project, silent_url, fifo_iri)
    env = cli_env(project)
    done = run_cli(["validate", "--no-shacl", "--no-queries"], env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "HermiT: consistent" in done.stderr
    # reason and add reach HermiT through the same load_world (tested in-process above)


def test_follow_imports_has_a_timeout_and_refuses_what_would_block(
    project: Path, tmp_path: Path, run_cli: Any, silent_url: str, fifo_iri: str
) -> None:
    from fixtures.extensions.helpers import cli_env

    env = cli_env(project)
    _ontology_importing(project, silent_url)
    args = ["reason", "--reasoner", "hermit", "--follow-imports", "--imports-timeout", "0.5"]
    done = run_cli([*args, "--out", str(tmp_path / "i.ttl")], env=env, timeout=60)
    assert done.returncode == 2
    assert (
        done.stderr
        == f"policykg: error: owl:imports <{silent_url}>: no complete answer within 0.5 s\n"
    )
    from policykg.core.errors import ParseError
    from policykg.rdf.owl import resolve_imports

    with pytest.raises(ParseError, match="not a regular file"):
        _promptly(lambda: resolve_imports(_importing_graph(fifo_iri), timeout=0.5))


def test_follow_imports_reads_the_imported_ontology_when_asked(tmp_path: Path) -> None:
    from rdflib import URIRef

    from policykg.core.namespaces import OWL, RDF
    from policykg.rdf.owl import resolve_imports

    second = tmp_path / "second.ttl"
    second.write_text("<urn:x:d> a <http://www.w3.org/2002/07/owl#Class> .\n", encoding="utf-8")
    first = tmp_path / "first.ttl"
    first.write_text(
        f"<urn:x:first> <http://www.w3.org/2002/07/owl#imports> <{second.as_uri()}> .\n"
        "<urn:x:e> a <http://www.w3.org/2002/07/owl#Class> .\n",
        encoding="utf-8",
    )
    merged = resolve_imports(_importing_graph(first.as_uri()), timeout=5)
    assert (URIRef("urn:x:e"), RDF.type, OWL.Class) in merged
    assert (URIRef("urn:x:d"), RDF.type, OWL.Class) in merged


# -- fault 13: symlinked text, negative --max-width, CSV formulas, a huge add --------------------


@pytest.mark.parametrize("how", ["file", "folder", "outside"])
def test_add_refuses_a_text_that_is_a_link_or_outside_the_folder(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Solar power drives new quality productive forces. private\n")
    folder = tmp_path / "in"
    folder.mkdir()
    yaml_text = (ADD / "solar-brief.yaml").read_text(encoding="utf-8")
    if how == "file":
        (folder / "solar-brief.txt").symlink_to(secret)
    elif how == "folder":
        (folder / "texts").symlink_to(tmp_path)
        yaml_text = yaml_text.replace("text: solar-brief.txt", "text: texts/secret.txt")
    else:
        yaml_text = yaml_text.replace("text: solar-brief.txt", f"text: {secret}")
    (folder / "solar-brief.yaml").write_text(yaml_text, encoding="utf-8")
    before = tree_hash(project)
    code, _, err = cli(["add", str(folder / "solar-brief.yaml")], capsys)
    assert code == 2, err
    assert "document.text" in err
    assert ("symbolic link" in err) if how != "outside" else ("relative to the source" in err)
    assert tree_hash(project) == before


def test_negative_max_width_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from policykg.core.errors import QueryError
    from policykg.sparql.formats import to_table
    from policykg.sparql.results import QueryResult

    with pytest.raises(SystemExit) as stop:
        main(["query", "ASK {}", "--max-width", "-5"])
    assert stop.value.code == 2
    assert "--max-width: must be 0 or more, not -5" in capsys.readouterr().err
    with pytest.raises(QueryError, match="0 or more"):
        to_table(QueryResult("ask", boolean=True), max_width=-1)


FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tx", "plain"]


def test_csv_safe_neutralises_formula_cells_and_the_default_stays_exact(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import csv
    import io

    values = " ".join('("' + v.replace('"', '\\"').replace("\t", "\\t") + '")' for v in FORMULAS)
    q = f"SELECT ?v WHERE {{ VALUES (?v) {{ {values} }} }}"
    _, out, _ = cli(["query", q, "--format", "csv"], capsys)
    assert [r[0] for r in csv.reader(io.StringIO(out))][1:] == FORMULAS
    _, out, _ = cli(["query", q, "--format", "csv", "--csv-safe"], capsys)
    safe = [r[0] for r in csv.reader(io.StringIO(out))][1:]
    assert safe == [f"'{v}" for v in FORMULAS[:-1]] + ["plain"]


def test_export_csv_safe(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    from policykg.graph.export import export_facts_csv
    from policykg.graph.kg import load

    (project / "graphs/extensions/formula.trig").write_text(
        "@prefix kg: <https://w3id.org/policykg/id/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "kg:fixture-brief-f { kg:china skos:definition \"=cmd|' /C calc'!A0\"@en . }\n",
        encoding="utf-8",
    )
    kg = load()
    try:
        exact = list(csv.reader(io.StringIO(export_facts_csv(kg))))
        safe = list(csv.reader(io.StringIO(export_facts_csv(kg, csv_safe=True))))
    finally:
        kg.close()
    assert [r[4] for r in exact if r[4].startswith("=")] == ["=cmd|' /C calc'!A0"]
    assert not any(c.startswith(("=", "+", "-", "@")) for r in safe for c in r)
    assert any(r[4] == "'=cmd|' /C calc'!A0" for r in safe)


def test_add_refuses_a_file_over_the_size_limit_at_once(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    from policykg.authoring.extend import MAX_ADD_BYTES

    big = tmp_path / "big.trig"
    with big.open("wb") as handle:
        handle.truncate(MAX_ADD_BYTES + 1)  # sparse: instant to make
    t0 = time.perf_counter()
    _one_line_refusal(["add", "--dry-run", str(big)], project, capsys, "policykg load --store")
    assert time.perf_counter() - t0 < 5


# -- fault 10: non-atomic swaps, leftovers, concurrent loads --------------------------------------

EX = "http://example.org/"


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so no handler catches it."""


def _nq(tmp_path: Path, name: str, graph: str) -> Any:
    from policykg.rdf.graphio import GraphFile

    path = tmp_path / name
    path.write_text(f"<{EX}s> <{EX}p> <{EX}o> <{EX}{graph}> .\n", encoding="utf-8")
    return GraphFile(path, None)


def _graphs(store: Path) -> set[str]:
    import pyoxigraph as ox

    return {g.value for g in ox.Store.read_only(str(store)).named_graphs()}


def _kill_at_second_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """Die after the first rename; from then on nothing cleans up (as after a real kill)."""
    import shutil

    import policykg.store.bulk as bulk

    state = {"renames": 0, "dead": False}
    real_rename, real_rmtree = Path.rename, shutil.rmtree

    def rename(self: Path, target: Any) -> Any:
        state["renames"] += 1
        if state["renames"] == 2:
            state["dead"] = True
            raise Killed
        return real_rename(self, target)

    def rmtree(path: Any, *args: Any, **kwargs: Any) -> None:
        if not state["dead"]:
            real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(Path, "rename", rename)
    monkeypatch.setattr(bulk.shutil, "rmtree", rmtree)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "journal"])
def test_a_load_killed_while_swapping_never_loses_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    import policykg.store.bulk as bulk
    from policykg.store.bulk import load_store, recover_store

    target = tmp_path / "store"
    load_store([_nq(tmp_path, "one.nq", "old")], target)
    if not exchange:
        monkeypatch.setattr(bulk, "_exchange", lambda a, b: False)
    with monkeypatch.context() as m:
        _kill_at_second_rename(m)
        try:
            load_store([_nq(tmp_path, "two.nq", "new")], target)
        except Killed:
            assert not exchange, "the atomic exchange has no second rename"
    if exchange:
        assert _graphs(target) == {EX + "new"}  # one atomic step: old or new, never neither
    recover_store(target)  # what the next load does first
    assert _graphs(target) == {EX + "new"}
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".store.")]
    assert leftovers == []


def test_leftovers_of_killed_loads_are_removed_by_the_next_load(tmp_path: Path) -> None:
    from policykg.store.bulk import load_store

    target = tmp_path / "store"
    load_store([_nq(tmp_path, "one.nq", "a")], target)
    for name in (".store.x1y2.loading", ".store.old"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "data").write_text("partial")
    load_store([_nq(tmp_path, "two.nq", "b")], target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.nq", "store", "two.nq"]
    assert _graphs(target) == {EX + "b"}


def test_a_second_load_into_the_same_store_gets_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import fcntl

    from policykg.core.errors import BackendError
    from policykg.store.bulk import load_store

    target = tmp_path / "store"
    load_store([_nq(tmp_path, "one.nq", "a")], target)
    with open(tmp_path / ".store.lock", "w") as held:  # what a running load holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BackendError, match="another 'policykg load' is writing this store"):
            load_store([_nq(tmp_path, "two.nq", "b")], target)
        code, _, err = cli(["load", "--store", str(target), str(tmp_path / "two.nq")], capsys)
        assert code == 2
        assert err.count("\n") == 1 and "another 'policykg load'" in err
    assert _graphs(target) == {EX + "a"}
    load_store([_nq(tmp_path, "two.nq", "b")], target)  # free again
    assert _graphs(target) == {EX + "b"}


def test_a_multi_file_write_killed_between_renames_is_completed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policykg.core import io as pio
    from policykg.core.paths import write_journal
    from policykg.rdf.graphio import graph_files

    files = [
        (project / "graphs/sources/new.yaml", "document: {id: new}\n"),
        (project / "graphs/sources/new.txt", "the text\n"),
        (project / "graphs/new.trig", "# graph\n"),
    ]
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if str(dst).endswith("new.txt"):  # the second of the three renames
            raise Killed
        real_replace(src, dst)

    with monkeypatch.context() as m:
        m.setattr(pio.os, "replace", replace)
        with pytest.raises(Killed):
            pio.write_many_atomic(files, journal=write_journal())
    assert (project / "graphs/sources/new.yaml").exists()
    assert not (project / "graphs/sources/new.txt").exists()  # registered without its text ...
    graph_files()  # ... until anything reads the project again
    for dest, text in files:
        assert dest.read_text() == text
    assert not write_journal().exists()
    assert not list(project.rglob("*.tmp"))
