"""Issue 20 point 1 / issue 25 point 2: ``corpus import --store`` is all or nothing, kill-safe."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.extensions.helpers import cli_env, clone, use_project
from policykg.apps.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")
RUN_DATE = "2026-12-06"
SUBSET = ("第十二届全国人民代表大会第五次会议关于政府工作报告的决议",
          "第十二届全国人民代表大会第四次会议关于政府工作报告的决议")
OLD = "会议充分肯定国务院过去一年的工作"
NEW = "会议肯定国务院的工作"


def _subset(corpus_file: Path, path: Path, edit: bool = False) -> Path:
    lines = [line for line in corpus_file.read_text("utf-8").splitlines()
             if json.loads(line)["title"] in SUBSET]
    text = "\n".join(lines) + "\n"
    if edit:
        text = text.replace(OLD, NEW, 1)
    path.write_text(text, encoding="utf-8")
    return path


def _quads(store: Path) -> tuple[int, frozenset[str]]:
    """How many quads, and those without blank nodes (blank node ids differ between loads)."""
    import pyoxigraph as ox

    opened = ox.Store.read_only(str(store))
    try:
        quads = [str(q) for q in opened]
        return len(quads), frozenset(q for q in quads if "_:" not in q)
    finally:
        del opened


def _fresh(root: Path, folder: Path, tmp: Path, drafts: bool) -> tuple[int, frozenset[str]]:
    """The quads of a store loaded from scratch from the project and ``folder``."""
    from policykg.rdf.graphio import graph_files
    from policykg.store.bulk import load_store

    target = tmp / f"fresh-{time.monotonic_ns()}"
    with use_project(root):
        load_store(graph_files(corpus=folder, drafts=drafts), target)
    try:
        return _quads(target)
    finally:
        shutil.rmtree(target)


def _temporaries(*folders: Path) -> list[Path]:
    return [p for f in folders for p in f.rglob("*")
            if p.name.endswith((".tmp", ".journal")) or p.name.endswith(".loading")]


def test_import_into_a_store_replaces_whole_and_fails_whole(
    base: Path, corpus_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = clone(base, tmp_path / "proj")
    folder, store = tmp_path / "corpus", tmp_path / "kg.oxigraph"
    with use_project(root):
        src = _subset(corpus_file, tmp_path / "a.jsonl")
        assert main(["corpus", "import", str(src), "--into", str(folder), "--store", str(store),
                     "--drafts", "--run-date", RUN_DATE]) == 0
        assert "rebuilt from the project" in capsys.readouterr().out
    first = _quads(store)
    assert first == _fresh(root, folder, tmp_path, drafts=True)
    assert any(OLD in q for q in first[1])
    assert any("gwr-2017-resolution" in q and "Unreviewed" in q for q in first[1])  # drafts in
    # a changed text: the store holds the new document and nothing of the old
    with use_project(root):
        changed = _subset(corpus_file, tmp_path / "b.jsonl", edit=True)
        assert main(["corpus", "import", str(changed), "--into", str(folder), "--store",
                     str(store), "--drafts", "--run-date", RUN_DATE]) == 0
    second = _quads(store)
    assert not any(OLD in q for q in second[1]) and any(NEW in q for q in second[1])
    assert second == _fresh(root, folder, tmp_path, drafts=True)
    # bad input: nothing written, the store untouched
    bad = tmp_path / "bad.jsonl"
    bad.write_text(changed.read_text("utf-8") + "{not json\n", encoding="utf-8")
    with use_project(root):
        assert main(["corpus", "import", str(bad), "--into", str(folder), "--store",
                     str(store), "--drafts"]) == 2
    assert "bad.jsonl:3" in capsys.readouterr().err
    assert _quads(store) == second
    assert _temporaries(folder, root / "graphs") == []


def _policykg(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "policykg", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_recover_rebuilds_a_store_a_killed_import_left_behind(
    base: Path, corpus_file: Path, tmp_path: Path
) -> None:
    """Deterministic: the files landed, the store was never rebuilt; the next run rebuilds it."""
    from policykg.store import journal

    root = clone(base, tmp_path / "proj")
    folder, store = tmp_path / "corpus", tmp_path / "kg.oxigraph"
    with use_project(root):
        src = _subset(corpus_file, tmp_path / "a.jsonl")
        assert main(["corpus", "import", str(src), "--into", str(folder), "--store",
                     str(store), "--run-date", RUN_DATE]) == 0
        before = _quads(store)
        changed = _subset(corpus_file, tmp_path / "b.jsonl", edit=True)
        # the import's intent, then the files written without the store (as if killed there)
        record = {"files": [], "sha256": {}, "store": str(store), "graph_files": [],
                  "rebuild": {"corpus": str(folder), "drafts": False,
                              "journal": str(folder / ".corpus-write.journal"), "deletes": []}}
        journal.write_atomic(journal.intent_file(), json.dumps(record))
        assert main(["corpus", "import", str(changed), "--into", str(folder),
                     "--run-date", RUN_DATE, "--no-drafts"]) == 0  # recovers first, then writes
        journal.write_atomic(journal.intent_file(), json.dumps(record))
        assert _quads(store) != _fresh(root, folder, tmp_path, drafts=False)
        said = journal.recover()
        assert said is not None and "rebuilt" in said
        assert not journal.intent_file().exists()
    assert _quads(store) == _fresh(root, folder, tmp_path, drafts=False) != before


@pytest.mark.parametrize("seed", [20])
def test_kills_at_random_points_of_corpus_import_store_leave_folder_and_store_agreeing(
    base: Path, corpus_file: Path, tmp_path: Path, seed: int
) -> None:
    """SIGKILL ``corpus import --store`` at random moments (bounded: 4 kills); the next
    command completes it: the folder holds the old or the new documents whole, the store
    exactly what the folder holds."""
    rng = random.Random(seed)
    root = clone(base, tmp_path / "proj")
    env = cli_env(root)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    folder, store = tmp_path / "corpus", tmp_path / "kg.oxigraph"
    src = _subset(corpus_file, tmp_path / "a.jsonl")
    changed = _subset(corpus_file, tmp_path / "b.jsonl", edit=True)
    common = ["--into", str(folder), "--store", str(store), "--drafts", "--run-date", RUN_DATE]
    first = _policykg(["corpus", "import", str(src), *common], env)
    assert first.wait(timeout=300) == 0, first.communicate()[1]
    pristine_folder, pristine_store = tmp_path / "pf", tmp_path / "ps"
    shutil.copytree(folder, pristine_folder)
    shutil.copytree(store, pristine_store)
    started = time.monotonic()
    full = _policykg(["corpus", "import", str(changed), *common], env)
    assert full.wait(timeout=300) == 0, full.communicate()[1]
    duration = time.monotonic() - started
    outcomes = []
    for _ in range(4):
        for dest, pristine in ((folder, pristine_folder), (store, pristine_store)):
            shutil.rmtree(dest)
            shutil.copytree(pristine, dest)
        proc = _policykg(["corpus", "import", str(changed), *common], env)
        time.sleep(rng.uniform(0.1, 0.7) * duration)
        proc.send_signal(signal.SIGKILL)
        outcomes.append(proc.wait(timeout=60))
        if outcomes[-1] == 0:  # it ran faster than the first run (less load): aim earlier
            duration *= 0.6
        nxt = _policykg(["corpus", "list", "--into", str(folder)], env)
        _out, err = nxt.communicate(timeout=300)
        assert nxt.returncode == 0 and "Traceback" not in err, err
        assert _temporaries(folder, root / "graphs") == []
        assert not any(p.name.endswith(".loading") for p in tmp_path.iterdir())
        text = (folder / "gwr-2017-resolution.txt").read_text("utf-8")
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))["documents"]
        import hashlib

        assert manifest["gwr-2017-resolution"]["sha256"] == hashlib.sha256(
            text.encode("utf-8")).hexdigest()
        assert (OLD in text) != (NEW in text)
        assert _quads(store) == _fresh(root, folder, tmp_path, drafts=True)
    assert sum(code == -signal.SIGKILL for code in outcomes) >= 2, (outcomes, duration)
