"""``policykg load``: filling a persistent Oxigraph store; Graph Store URL guessing."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

import policykg
from policykg.errors import BackendError, ParseError
from policykg.rdf.graphio import GraphFile, graph_files
from policykg.store.bulk import LoadProgress, graph_store_url, load_store

EX = "http://example.org/"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_load_store_keeps_named_graphs_and_reports_progress(tmp_path: Path) -> None:
    trig = _write(
        tmp_path / "a.trig",
        f'<{EX}g1> {{ <{EX}s> <{EX}p> <{EX}o> . }}\n<{EX}g2> {{ <{EX}s> <{EX}p> "x" . }}\n',
    )
    ttl = _write(tmp_path / "b.ttl", f"<{EX}t> <{EX}p> <{EX}o> .\n")
    seen: list[LoadProgress] = []
    report = load_store(
        [GraphFile(trig, None), GraphFile(ttl, URIRef(EX + "g3"))],
        tmp_path / "store",
        progress=seen.append,
    )
    assert (report.quads, report.graphs, report.files) == (3, 3, 2)
    assert seen[-1].index == 2 and seen[-1].done == seen[-1].size == ttl.stat().st_size
    store = ox.Store.read_only(str(tmp_path / "store"))
    assert {g.value for g in store.named_graphs()} == {EX + "g1", EX + "g2", EX + "g3"}
    assert (
        ox.Quad(
            ox.NamedNode(EX + "t"),
            ox.NamedNode(EX + "p"),
            ox.NamedNode(EX + "o"),
            ox.NamedNode(EX + "g3"),
        )
        in store
    )


def test_failed_load_leaves_the_old_store(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.nq", f"<{EX}s> <{EX}p> <{EX}o> <{EX}g> .\n")
    bad = _write(tmp_path / "bad.nq", f"<{EX}s> <{EX}p> .\n")
    target = tmp_path / "store"
    load_store([GraphFile(good, None)], target)
    with pytest.raises(ParseError, match=r"bad\.nq"):
        load_store([GraphFile(good, None), GraphFile(bad, None)], target)
    assert len(ox.Store.read_only(str(target))) == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


def test_replace_and_append(tmp_path: Path) -> None:
    one = _write(tmp_path / "one.nq", f"<{EX}s> <{EX}p> <{EX}o> <{EX}g1> .\n")
    two = _write(tmp_path / "two.nq", f"<{EX}s> <{EX}p> <{EX}o> <{EX}g2> .\n")
    target = tmp_path / "store"
    load_store([GraphFile(one, None)], target)
    assert load_store([GraphFile(two, None)], target).graphs == 1  # replaced
    assert load_store([GraphFile(one, None)], target, append=True).graphs == 2


class _Calls:
    """A store that records which of its loading methods are called."""

    def __init__(self, store: ox.Store) -> None:
        self.store, self.calls = store, []

    def bulk_load(self, **kwargs) -> None:
        self.calls.append("bulk_load")
        self.store.bulk_load(**kwargs)

    def bulk_extend(self, quads) -> None:
        self.calls.append("bulk_extend")
        self.store.bulk_extend(quads)


def test_small_files_go_in_with_one_bulk_load_and_keep_their_blank_nodes_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each bulk load writes files of its own (0.1 s however small): small files are parsed and
    go in together; as a bulk load of each file did, one file's ``_:b0`` is not another's."""
    from policykg.store import bulk

    files = [
        GraphFile(_write(tmp_path / f"{n}.ttl", f"_:b0 <{EX}p> <{EX}{n}> .\n"), URIRef(EX + n))
        for n in ("a", "b", "c")
    ]
    files.append(GraphFile(_write(tmp_path / "d.trig", f"<{EX}g> {{ _:b0 <{EX}p> 1 }}\n"), None))
    small = _Calls(ox.Store())
    bulk._fill(small, files, None, 0.0)
    assert small.calls == ["bulk_extend"]
    assert len({q.subject for q in small.store}) == 4 and len(small.store) == 4
    monkeypatch.setattr(bulk, "SMALL_FILE_BYTES", 0)  # every file streams into a bulk load
    large = _Calls(ox.Store())
    bulk._fill(large, files, None, 0.0)
    assert large.calls == ["bulk_load"] * 4
    plain = sorted(str(q).split(" ", 1)[1] for q in large.store)  # blank labels aside
    assert plain == sorted(str(q).split(" ", 1)[1] for q in small.store)


def test_refuses_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("keep me")
    with pytest.raises(BackendError, match="not an Oxigraph store"):
        load_store([], tmp_path / "precious")
    assert (tmp_path / "precious" / "notes.txt").read_text() == "keep me"


def test_missing_and_unknown_files(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        load_store([GraphFile(tmp_path / "nope.trig", None)], tmp_path / "s")
    with pytest.raises(ParseError, match="unknown RDF file type"):
        load_store([GraphFile(_write(tmp_path / "x.csv", "a,b"), None)], tmp_path / "s")


@pytest.mark.parametrize(
    ("endpoint", "store"),
    [
        ("http://localhost:7878/query", "http://localhost:7878/store"),
        ("http://u:p@localhost:3030/policy/sparql", "http://u:p@localhost:3030/policy/data"),
        ("https://h/ds/query", "https://h/ds/data"),
        ("http://localhost:8890/sparql", "http://localhost:8890/sparql-graph-crud"),  # Virtuoso
    ],
)
def test_graph_store_url(endpoint: str, store: str) -> None:
    assert graph_store_url(endpoint) == store


def test_graph_store_url_needs_help_for_unknown_servers() -> None:
    with pytest.raises(BackendError, match="--graph-store"):
        graph_store_url("http://localhost:7200/repositories/policy")


def test_cli_load_then_query_the_store(
    run_main, root: Path, tmp_path: Path, kg: policykg.PolicyKG
) -> None:
    target = tmp_path / "kg.oxigraph"
    done = run_main(["load", "--store", str(target)])
    assert done.returncode == 0, done.stderr
    files = len(graph_files())
    assert f"from {files} files" in done.stdout and "named graphs" in done.stdout
    assert "100%" in done.stderr  # progress, one line per file when stderr is not a terminal
    # Regression: docs/scale.md showed this output with 2 quads too many.
    counts = re.search(r"\d+ quads in \d+ named graphs from \d+ files", done.stdout)
    assert counts is not None
    scale = (root / "docs" / "scale.md").read_text(encoding="utf-8")
    assert f"kg.oxigraph: {counts.group(0)}, loaded in" in scale
    with policykg.load(store=target) as on_disk:
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert on_disk.query(count).rows == kg.query(count).rows
    again = run_main(["load", "--store", str(target), "--append", "-q", str(graph_files()[0].path)])
    assert again.returncode == 0 and again.stderr == ""


def test_cli_load_errors(run_main, tmp_path: Path) -> None:
    missing = run_main(["load", "--store", str(tmp_path / "s"), str(tmp_path / "nope.trig")])
    assert missing.returncode == 2
    assert missing.stderr.startswith("policykg: error: ") and "no such file" in missing.stderr
    assert "Traceback" not in missing.stderr
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("x")
    occupied = run_main(["load", "--store", str(tmp_path / "docs")])
    assert occupied.returncode == 2 and "not an Oxigraph store" in occupied.stderr
