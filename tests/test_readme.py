"""The README contract: its two commands, run as a newcomer would."""

from __future__ import annotations

import os
import re
import subprocess

import pytest


def readme_commands(root):
    text = (root / "README.md").read_text(encoding="utf-8")
    quickstart = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash[^\n]*\n(.*?)```", quickstart, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_quickstart_has_the_two_commands(root):
    assert readme_commands(root) == ["bash scripts/main.sh", "bash scripts/test.sh"]
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci


def test_main_job_runs_and_leaves_the_committed_files_as_they_are(root):
    if not (root / ".venv" / "bin" / "policykg").exists():
        pytest.skip("scripts/main.sh needs the .venv that scripts/test.sh creates")
    tracked = ["graphs", "ontology"]
    before = subprocess.run(
        ["git", "status", "--porcelain", *tracked],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    done = subprocess.run(
        ["bash", "scripts/main.sh"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "StateOwnedEnterprise" in out  # the stats
    assert "national-level research institutes" in out  # competency question 1 answered
    assert "policykg.html" in out
    # regression: the main job left ontology/policykg.owl stale after an ontology edit (only
    # 'policykg docs' wrote it); it now says it keeps the copy current
    assert "ontology/policykg.owl: RDF/XML copy" in out
    after = subprocess.run(
        ["git", "status", "--porcelain", *tracked],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert after == before, "the main job changed committed files: rebuild and commit them"
