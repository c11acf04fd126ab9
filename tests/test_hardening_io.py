"""Issue 25: writers (N3) and the one YAML loader (point 1)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from policykg.apps.cli import main
from policykg.core.errors import OutputError, ParseError
from policykg.core.io import write_atomic
from policykg.core.yamlsafe import load_yaml_file, load_yaml_text

# -- N3: a device, a pipe or a symbolic link is never replaced by a regular file ---------------


def test_write_atomic_refuses_a_named_pipe_and_leaves_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic(fifo, "x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_write_atomic_refuses_a_symlink_and_leaves_it(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    with pytest.raises(OutputError, match="symbolic link"):
        write_atomic(link, "new")
    assert link.is_symlink()
    assert target.read_text() == "keep"


def test_write_atomic_special_follows_a_symlink_and_writes_into_a_device(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomic(link, "new", special=True)
    assert link.is_symlink()
    assert target.read_text() == "new"
    write_atomic("/dev/null", b"gone", special=True)
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_write_atomic_refuses_a_device(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="use '-' for standard output"):
        write_atomic("/dev/null", "x")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_export_out_refuses_a_device_and_dash_means_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code = main(["export", "--format", "nt", "--no-ontology", "--out", str(fifo)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    code = main(["export", "--format", "nt", "--no-ontology", "--out", "-"])
    out = capsys.readouterr().out
    assert code == 0
    assert "<https://w3id.org/policykg/id/" in out


# -- point 1: one YAML loader, aliases refused with file:line ----------------------------------


def test_the_yaml_loader_refuses_an_alias_with_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text("a: &x [1, 2]\nb:\n  c: *x\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"draft\.yaml:3:6: YAML aliases"):
        load_yaml_file(path)
    assert load_yaml_text("a: [1, 2]\n") == {"a": [1, 2]}


def test_the_yaml_loader_reports_syntax_errors_and_bad_bytes(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=r"x\.yaml:2:1: YAML syntax error"):
        load_yaml_text("a: [1, 2\n", "x.yaml")
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"a: \xff\n")
    with pytest.raises(ParseError, match="not UTF-8"):
        load_yaml_file(path)


# -- the JSONL corpus import under the same rules -----------------------------------------------


def test_read_jsonl_refuses_devices_long_lines_and_non_objects(tmp_path: Path) -> None:
    from policykg.core.jsonl import read_jsonl

    with pytest.raises(ParseError, match="not a regular file"):
        list(read_jsonl("/dev/zero"))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ParseError, match="not a regular file"):
        list(read_jsonl(fifo))  # refused before it is opened: nothing blocks
    good = tmp_path / "c.jsonl"
    good.write_text('{"a": 1}\n\n{"b": 2}\n', encoding="utf-8")
    assert list(read_jsonl(good)) == [(1, {"a": 1}), (3, {"b": 2})]
    long = tmp_path / "long.jsonl"
    long.write_text('{"a": 1}\n{"x": "' + "y" * 5000 + '"}\n', encoding="utf-8")
    with pytest.raises(ParseError, match=r"long\.jsonl:2: a line longer than 1000 bytes"):
        list(read_jsonl(long, max_line=1000))
    for text, why in (("[1]\n", "JSON object"), ("{bad\n", "not JSON"),
                      ("[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply|JSON object")):
        bad = tmp_path / "bad.jsonl"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ParseError, match=why):
            list(read_jsonl(bad))


def test_the_real_corpus_reads_under_the_rules(corpus_file: Path) -> None:
    from policykg.core.jsonl import read_jsonl

    records = list(read_jsonl(corpus_file))
    assert records and all("content" in r for _, r in records)


def test_read_text_file_fails_in_one_line(tmp_path: Path) -> None:
    """The one reader of YAML and CSV sources: a missing or non-UTF-8 file is one line."""
    from policykg.core.io import read_text_file

    with pytest.raises(ParseError, match=r"nope\.yaml: cannot read: No such file"):
        read_text_file(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n\xe9\n")
    with pytest.raises(ParseError, match=r"bad\.csv: not UTF-8 text \(byte 4\)"):
        read_text_file(bad)
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfa,b\n")
    assert read_text_file(bom, encoding="utf-8-sig") == "a,b\n"
    assert read_text_file(bom).startswith("\ufeff")
