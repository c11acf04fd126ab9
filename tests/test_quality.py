"""Static checks are part of the suite: ruff and mypy must be clean, no module over 600 lines."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks", "scripts"],
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


#: The style rule: no module over this many lines (split by concern, docs/DESIGN.md).
MAX_MODULE_LINES = 600

#: Modules still over the limit that other engineers are splitting right now. An explicit,
#: temporary allowance: the lead empties it once their branches are merged (an entry that is no
#: longer over the limit fails the test below, so the list can only shrink).
OVER_LIMIT_ALLOWED: set[str] = set()


def modules_over(package, limit=MAX_MODULE_LINES):
    """``{path relative to package: lines}`` for every ``*.py`` under ``package`` over ``limit``."""
    over = {}
    for path in sorted(package.rglob("*.py")):
        with path.open(encoding="utf-8") as f:
            lines = sum(1 for _ in f)
        if lines > limit:
            over[path.relative_to(package).as_posix()] = lines
    return over


def test_modules_over_the_limit_are_found(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "long.py").write_text("x = 1\n" * 601, encoding="utf-8")
    (tmp_path / "short.py").write_text("x = 1\n" * 600, encoding="utf-8")
    assert modules_over(tmp_path) == {"sub/long.py": 601}


def test_no_module_is_over_600_lines(root):
    over = modules_over(root / "src" / "policykg")
    unexpected = {m: n for m, n in over.items() if m not in OVER_LIMIT_ALLOWED}
    assert not unexpected, f"modules over {MAX_MODULE_LINES} lines (split by concern): {unexpected}"
    stale = sorted(OVER_LIMIT_ALLOWED - set(over))
    assert not stale, f"no longer over the limit: remove from OVER_LIMIT_ALLOWED: {stale}"
