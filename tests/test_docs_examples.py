"""Every example of README.md and docs/*.md runs, in a temporary copy of the project.

A fenced block runs when its info string starts with a known kind (see ``KINDS``), unless the
info string says ``no-run: REASON`` (the reason is required). The convention is in
CONTRIBUTING.md ("Examples in the docs"):

- ``console``: each ``$ command`` runs in bash; the lines after it, up to the next ``$``, are its
  output (stdout and stderr, in order) compared with doctest's ELLIPSIS rule (``...`` matches
  anything, across lines too) when the block shows any; a last line ``[exit N]`` is the exit
  status (default 0). ``$ # ...`` is a comment.
- ``bash``, ``sh``, ``shell``: the block runs as one bash script (``set -e``); it must exit 0.
- ``python``, ``pycon``: with ``>>>`` prompts, a doctest (ELLIPSIS; a document's doctest blocks
  share their names, in order); without, a script that must exit 0.
- ``sparql``: the query runs with ``policykg query --file``.

Each document gets a fresh copy of the project (the files git knows) as ``POLICYKG_HOME`` and
working directory, so examples write there, never into the repository; ``/tmp/`` in a command
(and in its output) stands for a temporary folder of the test. ``policykg`` and ``python`` are
this checkout's (``PYTHONPATH`` is its ``src/``).

``policykg`` and the ``python``/``sparql`` blocks run in a fork of an interpreter that has
imported the command line, rdflib and pyoxigraph once (``tests/forkrun.py``: same pipes, exit
status, working directory and environment as a fresh process, a fifth of a second less each);
``POLICYKG_DOCS_FORK=0`` runs every one as a fresh ``python -m policykg`` / ``python -c``, and
``test_readme_commands_as_fresh_processes`` always does for README's first example.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
KINDS = frozenset({"console", "bash", "sh", "shell", "python", "pycon", "sparql"})
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.S | re.M,
)
NO_RUN = re.compile(r"\bno-run\b\s*:?\s*(?P<reason>.*)$")
TIMEOUT = 300


@dataclass(frozen=True)
class Block:
    """One fenced block of a document."""

    doc: Path
    line: int  # of the opening fence, from 1
    kind: str
    info: str
    body: str

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"

    @property
    def skip_reason(self) -> str | None:
        """``None`` when the block runs; else the reason the info string gives (maybe empty)."""
        found = NO_RUN.search(self.info)
        return found.group("reason").strip() if found else None


def blocks(doc: Path) -> list[Block]:
    """Every fenced block of ``doc`` whose kind is one that runs (marked ``no-run`` or not)."""
    text = doc.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        info = m.group("info").strip()
        kind = info.split()[0].lower() if info else ""
        if kind not in KINDS:
            continue
        indent = m.group("indent")
        body = "".join(
            line[len(indent):] if line.startswith(indent) else line
            for line in m.group("body").splitlines(keepends=True)
        )
        found.append(Block(doc, text.count("\n", 0, m.start()) + 1, kind, info, body))
    return found


def console_steps(body: str) -> list[tuple[int, str, str, int]]:
    """(line offset, command, expected output, exit status) for each ``$`` line of a block."""
    steps: list[tuple[int, str, str, int]] = []
    lines = body.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            i += 1
            continue
        start = i
        command = lines[i][2:]
        while command.endswith("\\") and i + 1 < len(lines):
            i += 1
            command = command[:-1] + "\n" + lines[i]
        i += 1
        output = []
        while i < len(lines) and not lines[i].startswith("$ "):
            output.append(lines[i])
            i += 1
        status = 0
        if output and (m := re.fullmatch(r"\[exit (\d+)\]", output[-1].strip())):
            status = int(m.group(1))
            output = output[:-1]
        if command.lstrip().startswith("#"):
            continue
        steps.append((start, command, "\n".join(output).rstrip("\n"), status))
    return steps


# -- the project copy and the environment ---------------------------------------------------------


@pytest.fixture
def project(project_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the project, with ``../shared`` (the real corpus) beside it as on CI."""
    proj = tmp_path / "project"
    shutil.copytree(project_template, proj, symlinks=True)
    from conftest import find_corpus

    corpus = find_corpus()
    if corpus is not None:
        (tmp_path / "shared").symlink_to(corpus.parent.parent, target_is_directory=True)
    return proj


FORKRUN = Path(__file__).resolve().parent / "forkrun.py"


def _base_environment() -> dict[str, str]:
    """The environment every example shares (the fork server's too)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "POLICYKG_STORE", "POLICYKG_ENDPOINT"))}
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
        COLUMNS="200",
    )
    return env


@pytest.fixture(scope="session")
def forkserver(tmp_path_factory: pytest.TempPathFactory):
    """The socket of a :mod:`forkrun` server for this worker, or ``None`` with
    ``POLICYKG_DOCS_FORK=0`` (every command a fresh interpreter)."""
    if os.environ.get("POLICYKG_DOCS_FORK", "1") == "0":
        yield None
        return
    folder = tmp_path_factory.mktemp("forkrun")
    sock = folder / "s"
    server = subprocess.Popen(
        [sys.executable, str(FORKRUN), "serve", str(sock)], cwd=folder, env=_base_environment(),
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not sock.exists():
            assert server.poll() is None, "the fork server did not start"
            assert time.monotonic() < deadline, "the fork server did not start in 60 s"
            time.sleep(0.02)
        yield sock
    finally:
        server.terminate()  # it waits for its commands, so their CPU time counts in this one's
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _via(sock: Path | None, args: list[str]) -> list[str]:
    """``args`` (``python -m policykg ...`` or ``python -c CODE``) through the fork server."""
    if sock is None or args[:1] != [sys.executable]:
        return args
    mode = {"-m": "m", "-c": "c"}[args[1]]
    rest = args[3:] if mode == "m" else args[2:]  # -m policykg ARGS / -c CODE ARGS
    return [sys.executable, "-I", "-S", str(FORKRUN), "client", str(sock), mode, *rest]


def environment(project: Path, scratch: Path, sock: Path | None = None) -> dict[str, str]:
    """The environment of an example: this checkout's policykg and python first on PATH."""
    shims = scratch / "bin"
    shims.mkdir(parents=True, exist_ok=True)
    policykg = " ".join(f'"{a}"' for a in _via(sock, [sys.executable, "-m", "policykg"]))
    for name, argv in (("policykg", policykg),
                       ("python", f'"{sys.executable}"'), ("python3", f'"{sys.executable}"')):
        shim = shims / name
        shim.write_text(f'#!/bin/sh\nexec {argv} "$@"\n', encoding="utf-8")
        shim.chmod(0o755)
    env = _base_environment()
    env.update(
        PATH=os.pathsep.join([str(shims), str(Path(sys.executable).parent), env.get("PATH", "")]),
        POLICYKG_HOME=str(project),
        TMPDIR=str(scratch),
    )
    return env


def _tmp(text: str, scratch: Path) -> str:
    """``/tmp/`` in an example stands for the test's own temporary folder."""
    return re.sub(r"(?<![\w./])/tmp/", f"{scratch}/", text)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT, check=False)
    if os.environ.get("POLICYKG_DOCS_TIMING"):  # which examples cost the suite its time
        print(f"{time.perf_counter() - started:6.1f} s  {args[-1][-120:]!r}", file=sys.stderr)
    return done


_CHECKER = doctest.OutputChecker()


def _same(expected: str, got: str) -> bool:
    got = "\n".join(line.rstrip() for line in got.rstrip("\n").splitlines())
    expected = "\n".join(line.rstrip() for line in expected.splitlines())
    return _CHECKER.check_output(expected + "\n", got + "\n", doctest.ELLIPSIS)


# -- running one document --------------------------------------------------------------------------


def run_block(
    block: Block, project: Path, scratch: Path, doctests: list[Block], sock: Path | None = None
) -> list[str]:
    """Run one block; return its failures (one message each); ``sock``: a fork server's."""
    env = environment(project, scratch, sock)
    problems: list[str] = []
    if block.kind == "console":
        cwd, cwd_file = project, scratch / ".cwd"
        for offset, command, expected, status in console_steps(block.body):
            where = f"{block.doc.relative_to(ROOT)}:{block.line + 1 + offset}"
            # a 'cd' holds for the rest of the block, as in a terminal
            script = f'{_tmp(command, scratch)}\n__rc=$?; pwd > "{cwd_file}"; exit $__rc'
            done = _run(["bash", "-o", "pipefail", "-c", script], cwd, env)
            if cwd_file.is_file():
                cwd = Path(cwd_file.read_text(encoding="utf-8").strip() or cwd)
            if done.returncode != status:
                problems.append(f"{where}: $ {command}\n  exit {done.returncode}, the doc says "
                                f"{status}:\n{done.stdout[-3000:]}")
            elif expected and not _same(_tmp(expected, scratch), done.stdout):
                problems.append(f"{where}: $ {command}\n--- the doc shows:\n{expected}\n"
                                f"--- the command printed:\n{done.stdout[-3000:]}")
    elif block.kind in ("bash", "sh", "shell"):
        done = _run(["bash", "-e", "-o", "pipefail", "-c", _tmp(block.body, scratch)],
                    project, env)
        if done.returncode != 0:
            problems.append(f"{block.where}: the {block.kind} block exited {done.returncode}:\n"
                            f"{done.stdout[-3000:]}")
    elif block.kind in ("python", "pycon") and ">>>" in block.body:
        doctests.append(block)
        # the document's doctest blocks so far, at their own lines (earlier ones set up names)
        lines = block.doc.read_text(encoding="utf-8").count("\n") + 1
        text = [""] * lines
        for b in doctests:
            for i, line in enumerate(_tmp(b.body, scratch).splitlines()):
                text[b.line + i] = line
        source = scratch / f"{block.doc.stem}.doctest.txt"
        source.write_text("\n".join(text), encoding="utf-8")
        code = ("import doctest, sys\n"
                f"r = doctest.testfile({str(source)!r}, module_relative=False, "
                "optionflags=doctest.ELLIPSIS, name=" + repr(str(block.doc.relative_to(ROOT)))
                + ")\nsys.exit(1 if r.failed else 0)\n")
        done = _run(_via(sock, [sys.executable, "-c", code]), project, env)
        if done.returncode != 0:
            problems.append(f"{block.where}: doctest failed:\n{done.stdout[-4000:]}")
    elif block.kind in ("python", "pycon"):
        done = _run(_via(sock, [sys.executable, "-c", _tmp(block.body, scratch)]), project, env)
        if done.returncode != 0:
            problems.append(f"{block.where}: the python block exited {done.returncode}:\n"
                            f"{done.stdout[-3000:]}")
    elif block.kind == "sparql":
        query = scratch / "example.rq"
        query.write_text(block.body, encoding="utf-8")
        # with the header's example values, the query must answer something
        params = [a for v in re.findall(r"^#\s*example:\s*(\S.*)$", block.body, re.M)
                  for a in ("--param", v.strip())]
        done = _run(_via(sock, [sys.executable, "-m", "policykg", "query", "--file", str(query),
                                *params, "--format", "csv"]), project, env)
        if done.returncode != 0:
            problems.append(f"{block.where}: the query failed:\n{done.stdout[-3000:]}")
        elif params and len(done.stdout.strip().splitlines()) < 2:
            problems.append(f"{block.where}: the query answers nothing for its example "
                            f"({' '.join(params)})")
    return problems


def _ids(docs: list[Path]) -> list[str]:
    return [str(d.relative_to(ROOT)) for d in docs]


def test_the_docs_have_examples():
    runnable = [b for d in DOCS for b in blocks(d) if b.skip_reason is None]
    assert len(runnable) >= 40
    assert {b.kind for b in runnable} >= {"console", "bash", "python", "sparql"}


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_a_block_left_out_says_why(doc):
    for block in blocks(doc):
        reason = block.skip_reason
        assert reason is None or len(reason) >= 10, (
            f"{block.where}: 'no-run' needs a reason: ```{block.kind} no-run: WHY"
        )


@pytest.mark.parametrize("doc", DOCS, ids=_ids(DOCS))
def test_every_example_runs(doc, project, tmp_path, forkserver):
    todo = [b for b in blocks(doc) if b.skip_reason is None]
    if not todo:
        pytest.skip(f"{doc.name} has no example to run")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    problems: list[str] = []
    doctests: list[Block] = []
    for block in todo:
        problems += run_block(block, project, scratch, doctests, forkserver)
    assert not problems, "\n\n".join(problems)
    if doc.name in AFTER:
        AFTER[doc.name](project)


def _after_extending(project: Path) -> None:
    """What docs/extending.md's walkthrough must leave, beyond its commands' output: HermiT's
    triples about the real graph, and the facts its extensions add, each with its quote."""
    from rdflib import RDF, Graph

    from fixtures.extensions.helpers import use_project
    from policykg.core.namespaces import KG, PKG

    inferred = Graph().parse(project / "graphs" / "inferred.ttl", format="turtle")
    # every state-owned enterprise is an actor (inferred, not asserted); and many more
    assert (KG["state-owned-enterprises"], RDF.type, PKG.Actor) in inferred
    assert len(inferred) > 100
    with use_project(project):
        import policykg

        kg = policykg.load()
        try:
            rows = kg.query(
                """SELECT ?s ?p ?o ?quote WHERE {
                     GRAPH ?g { ?s ?p ?o } ?g pkg:inDocument kg:solar-brief ; pkg:quote ?quote }"""
            ).rows
            assert kg.query("SELECT ?l WHERE { pkg:GreenTechnology rdfs:label ?l }").rows
        finally:
            kg.close()
    found = {tuple(str(x) for x in row) for row in rows}
    for s, p, o, quote in (
        ("solar-power-plants", "requires", "data-resources",
         "Solar power plants need data resources."),
        ("perovskite-solar-cells", "supports", "solar-power",
         "Perovskite solar cells support solar power."),
    ):
        assert (str(KG[s]), str(PKG[p]), str(KG[o]), quote) in found


#: Checks on the project a document's examples leave behind (by file name).
AFTER = {"extending.md": _after_extending}


def test_readme_commands_as_fresh_processes(project, tmp_path, forkserver):
    """README's first examples run as fresh ``python -m policykg`` processes, as the doc shows;
    through the fork server each prints the same bytes and exits with the same status."""
    readme = [b for b in blocks(ROOT / "README.md") if b.kind == "console" and b.skip_reason is None]
    todo = readme[:2]  # queries only, two of them failing (exit 2, a message on stderr)
    fresh, forked = tmp_path / "fresh", tmp_path / "forked"
    fresh.mkdir()
    forked.mkdir()
    for block in todo:
        assert not run_block(block, project, fresh, [], None)
    if forkserver is None:
        return
    for block in todo:
        for _, command, _, _ in console_steps(block.body):
            runs = [subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=project,
                                   env=environment(project, scratch, sock), capture_output=True,
                                   timeout=TIMEOUT, check=False)
                    for scratch, sock in ((fresh, None), (forked, forkserver))]
            assert [(r.returncode, r.stdout, r.stderr) for r in runs[1:]] == [
                (r.returncode, r.stdout, r.stderr) for r in runs[:1]], command
            assert "forkrun" in (forked / "bin" / "policykg").read_text(encoding="utf-8")


def test_examples_write_nothing_into_the_repository(project_template):
    """The copy is a copy: nothing above wrote into the checkout (the template equals it)."""
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    if status.returncode != 0:
        pytest.skip("not a git checkout")
    assert all("policykg.graphml" not in line and " srv/" not in line
               for line in status.stdout.splitlines())
