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


def test_a_read_only_graphs_folder_is_one_line(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tempfile

    from fixtures.extensions.helpers import need_java

    need_java()
    src = _yaml_to_add(tmp_path)

    def read_only(*args: Any, **kwargs: Any) -> Any:  # root ignores chmod: refuse it here
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    _one_line_refusal(["add", str(src)], project, capsys, "Read-only file system")


def test_a_full_disk_is_one_line_and_writes_nothing(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fixtures.extensions.helpers import need_java

    need_java()
    src = _yaml_to_add(tmp_path)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    _one_line_refusal(["add", str(src)], project, capsys, "No space left on device")
    assert not list(project.rglob("*.tmp"))
