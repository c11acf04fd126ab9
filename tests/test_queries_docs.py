"""The examples of README.md and docs/queries.md run as tests: console output as shown, Python as
doctests."""

from __future__ import annotations

import doctest
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "queries.md"
README = ROOT / "README.md"


def console_examples() -> list[tuple[str, list[str], int]]:
    """(command, expected output lines, exit status) for every ``$`` line of a console block."""
    text = DOC.read_text(encoding="utf-8") + README.read_text(encoding="utf-8")
    examples: list[tuple[str, list[str], int]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
            if not chunk.startswith("$ "):
                continue
            command, *output = chunk.rstrip("\n").split("\n")
            status = 0
            if output and (m := re.fullmatch(r"\[exit (\d+)\]", output[-1])):
                status = int(m.group(1))
                output = output[:-1]
            examples.append((command[2:], output, status))
    return examples


EXAMPLES = console_examples()


def test_the_doc_has_examples():
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize(
    ("command", "expected", "status"), EXAMPLES, ids=[e[0][:60] for e in EXAMPLES]
)
def test_console_example(tmp_path, command, expected, status):
    args = shlex.split(command)
    assert args[0] == "policykg"
    done = subprocess.run(
        [sys.executable, "-m", "policykg", *args[1:]],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == status, done.stderr
    shown = done.stdout if status == 0 else done.stderr
    assert [line.rstrip() for line in shown.splitlines()] == expected


def test_python_examples(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 15
    assert result.failed == 0


def test_readme_python_examples(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3
    assert result.failed == 0
