"""Static checks are part of the suite: ruff and mypy must be clean."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks"],
        [sys.executable, "-m", "mypy"],
    ],
    ids=["ruff", "mypy"],
)
def test_static_checks(root, command):
    if shutil.which("ruff") is None and command[2] == "ruff":
        pytest.skip("ruff is not installed")
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_help_is_instant_because_heavy_imports_are_lazy(root):
    code = (
        "import sys; from policykg.apps.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('rdflib', 'pyoxigraph', 'pyvis', 'owlready2', 'pyshacl', 'networkx') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy = done.stdout.rsplit("HEAVY=", 1)[1].strip()
    assert heavy == "", f"--help imported {heavy}"
