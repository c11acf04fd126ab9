"""Issue 25, N1/N2: a document's stored text is read only from inside the project's sources.

A graph names its text with ``pkg:textFile``, and graphs come from other people. Before the fix a
document whose ``pkg:textFile`` was ``/etc/passwd`` (or ``../../x``) made ``validate`` print
``(which reads 'root:x:0:0:root:/roo')``, and ``/dev/zero`` was read without limit.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policykg.apps.cli import main
from policykg.core.errors import StoredTextError
from policykg.core.io import read_stored_text

SECRET = "TOPSECRET-0123456789-abcdefghij"

DOC = """@prefix kg: <https://w3id.org/policykg/kg/> .
@prefix kgg: <https://w3id.org/policykg/graph/> .
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

kgg:probe {{
    kg:probe a pkg:Article ; pkg:title "Probe"@en ; pkg:textFile "{path}" .
    kg:probe-p1 a pkg:Passage ; pkg:quote "x" ; pkg:inDocument kg:probe ;
        pkg:startOffset "0"^^xsd:nonNegativeInteger ; pkg:endOffset "20"^^xsd:nonNegativeInteger .
}}
"""


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET * 3, encoding="utf-8")
    return path


def _probe(tmp_path: Path, text_file: str) -> Path:
    doc = tmp_path / "probe.trig"
    doc.write_text(DOC.format(path=text_file), encoding="utf-8")
    return doc


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_validate_never_reads_or_prints_a_file_outside_the_texts_folder(
    tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    if how == "absolute":
        rel = str(secret)
    elif how == "dotdot":
        rel = "../outside/secret.txt"
    else:
        (texts / "link.txt").symlink_to(secret)
        rel = "link.txt"
    code = main(["validate", str(_probe(tmp_path, rel)), "--texts", str(texts), "--owl", "sparql"])
    out = capsys.readouterr()
    assert code != 0
    assert "TOPSECRET" not in out.out + out.err
    assert "refused" in out.out + out.err


def test_etc_passwd_is_refused_by_the_reader(tmp_path: Path) -> None:
    with pytest.raises(StoredTextError, match="relative path"):
        read_stored_text(tmp_path, "/etc/passwd")
    with pytest.raises(StoredTextError, match=r"leaves its folder"):
        read_stored_text(tmp_path, "../../../../etc/passwd")


def test_devices_pipes_and_folders_are_refused_before_reading(tmp_path: Path) -> None:
    (tmp_path / "zero").symlink_to("/dev/zero")
    with pytest.raises(StoredTextError, match="outside"):
        read_stored_text(tmp_path, "zero")  # a link out of the folder
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(StoredTextError, match="not a regular file"):
        read_stored_text(tmp_path, "pipe")  # would hang if opened for reading
    (tmp_path / "dir").mkdir()
    with pytest.raises(StoredTextError, match="not a regular file"):
        read_stored_text(tmp_path, "dir")


def test_a_text_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"a" * 2000)
    with pytest.raises(StoredTextError, match="over the limit"):
        read_stored_text(tmp_path, "big.txt", limit=1000)
    assert read_stored_text(tmp_path, "big.txt", limit=2000) == "a" * 2000


def test_a_mismatch_message_shows_no_more_of_the_file_than_the_quote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "doc.txt").write_text(SECRET, encoding="utf-8")
    code = main(
        ["validate", str(_probe(tmp_path, "doc.txt")), "--texts", str(texts), "--owl", "sparql"]
    )
    out = capsys.readouterr().out
    assert code != 0
    assert "(which reads 'T')" in out  # the quote is one character: one character is shown
    assert SECRET[:5] not in out.replace("'T'", "")
