"""Session fixtures shared by the whole suite."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_TEXT = ROOT / "graphs" / "sources" / "ncpf-2025.txt"


def pytest_configure(config: pytest.Config) -> None:
    """The run's own cache folder (HermiT's remembered verdicts): the suite never writes into
    the user's ``~/.cache`` and starts as cold as CI does. Set once by the controller, before
    the xdist workers start (they and every command a test runs inherit it); an explicit
    ``POLICYKG_CACHE`` is kept."""
    if hasattr(config, "workerinput") or os.environ.get("POLICYKG_CACHE"):
        return
    import tempfile

    folder = tempfile.mkdtemp(prefix="policykg-test-cache-")
    os.environ["POLICYKG_CACHE"] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's top folder."""
    return ROOT


@pytest.fixture(scope="session")
def project_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project as git knows it (tracked and new, unignored files), copied once: commands
    that write into a project run in a copy of this, never in the repository, which the other
    workers read at the same time."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    dest = tmp_path_factory.mktemp("project-template") / "project"
    names = [n for n in listed.stdout.split("\0") if n] if listed.returncode == 0 else []
    if not names:  # not a git checkout: the folders the examples need
        names = [str(p.relative_to(ROOT)) for d in ("ontology", "graphs", "tests", "benchmarks")
                 for p in (ROOT / d).rglob("*") if p.is_file()]
    for name in names:
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="session")
def kg():
    """The knowledge graph as the package loads it (ontology + document graphs + extensions)."""
    import policykg

    graph = policykg.load()
    yield graph
    graph.close()


def once_per_run(factory: pytest.TempPathFactory, name: str, make: Callable[[], object]) -> bytes:
    """``make()`` pickled, made once in the whole run: by whichever xdist worker asks first, the
    others (and later callers) read its file (a lock on it meanwhile). The folder is this run's
    base temporary folder, or its parent under xdist (each worker's folder is a child of it:
    pytest-xdist's "Making session-scoped fixtures execute only once"). Each caller unpickles
    its own copy, so no test sees another's changes."""
    import fcntl
    import pickle

    base = factory.getbasetemp()
    folder = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    path = folder / f"once-{name}.pickle"
    with open(folder / f"once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.is_file():
            part = path.with_suffix(".part")
            part.write_bytes(pickle.dumps(make()))
            part.replace(path)
    return path.read_bytes()


@pytest.fixture(scope="session")
def article_network(tmp_path_factory: pytest.TempPathFactory, kg) -> Callable[[], object]:
    """``build_network(kg)``: the article's network (2.5 s), built once in the run; each call
    gives a fresh copy (the build is deterministic: the same bytes as building it again)."""
    import pickle

    from policykg.outputs.viz import build_network

    data = once_per_run(tmp_path_factory, "article-network", lambda: build_network(kg))
    return lambda: pickle.loads(data)


#: Debian's Chromium, and the flags every browser test starts it with (offline, no GPU).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
#: Chromium features no test needs: every new page also started a renderer for the address
#: bar's popup (chrome://omnibox-popup.top-chrome), about 0.8 s of CPU per page opened (the
#: article's page: 1.75 -> 0.92 s of Chromium's CPU), about a fifth of the browser tests' CPU
CHROMIUM_OFF = ("WebUIOmniboxAimPopup", "WebUIOmniboxPopup")


def playwright_disabled_features() -> list[str] | None:
    """The features Playwright's own launch switches off (its ``--disable-features``), read from
    its driver's bundle; ``None`` when the bundle is not where, or not what, this expects.

    Chromium keeps the last ``--disable-features`` it is given, so a flag of ours must repeat
    Playwright's list or it would switch those features back on (PaintHolding, MediaRouter, ...).
    """
    import playwright

    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    try:
        text = bundle.read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(r"\bdisabledFeatures = \[(.*?)\]\.filter\(Boolean\)", text, re.S)
    if found is None:
        return None
    body = re.sub(r"//[^\n]*", "", found.group(1))
    names = re.findall(r'"([A-Za-z0-9_]+)"', body)
    return names or None


def chromium_args() -> list[str]:
    """:data:`CHROMIUM_ARGS`, and :data:`CHROMIUM_OFF` with Playwright's own list when it can be
    read (else Playwright's defaults stand and the pages only cost more)."""
    theirs = playwright_disabled_features()
    if theirs is None:
        return list(CHROMIUM_ARGS)
    off = ",".join(dict.fromkeys([*theirs, *CHROMIUM_OFF]))
    return [*CHROMIUM_ARGS, f"--disable-features={off}"]


def watch_page(
    page: Any,
    allowed: str,
    errors: list[str],
    outside: Callable[[str], None],
    *,
    route_on: Any = None,
    requests: list[str] | None = None,
) -> None:
    """What a browser test watches on ``page``: its console errors and uncaught exceptions go to
    ``errors``; a request whose URL starts with ``allowed`` goes through, any other is given to
    ``outside`` and aborted (routed on ``route_on``: the page's context, or the page itself);
    ``requests`` records every URL asked for."""

    def route(r: Any) -> None:
        url = r.request.url
        if requests is not None:
            requests.append(url)
        if url.startswith(allowed):
            r.continue_()
        else:
            outside(url)
            r.abort()

    (page if route_on is None else route_on).route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium driven by Playwright, one for the run (for each xdist worker): each
    browser test opens its pages in contexts of its own, so it shares nothing with the others
    but the process (a start of Playwright's driver and of Chromium costs about 1.5 s of CPU).
    Skipped when ``/usr/bin/chromium`` is missing, unless ``POLICYKG_REQUIRE_BROWSER=1`` (then
    the tests fail)."""
    if not CHROMIUM.exists():
        if os.environ.get("POLICYKG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and POLICYKG_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=chromium_args(), headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def run_owlapi() -> Callable[..., list[str]]:
    """Compile and run a Java program against the OWL API (the library Protégé reads with),
    which owlready2 ships beside Pellet; return the lines it prints.

    Skips without a JDK or the jar (fails instead when POLICYKG_REQUIRE_JAVA=1 and Java is
    missing).
    """
    import shutil

    import owlready2

    def run(source: str, class_name: str, args: Sequence[str], workdir: Path) -> list[str]:
        from fixtures.extensions.helpers import FAST_JVM, need_java

        need_java()
        jars = sorted((Path(owlready2.__file__).parent / "pellet").glob("*.jar"))
        if not shutil.which("javac") or not any("owlapi" in j.name for j in jars):
            pytest.skip("needs javac, java and the OWL API jar shipped with owlready2")
        (workdir / f"{class_name}.java").write_text(source, encoding="utf-8")
        classpath = ":".join(str(j) for j in jars)
        subprocess.run(
            [
                "javac",
                *(f"-J{o}" for o in FAST_JVM),
                "-nowarn",
                "-cp",
                classpath,
                f"{class_name}.java",
            ],
            cwd=workdir,
            check=True,
            capture_output=True,
            timeout=120,
        )
        done = subprocess.run(
            ["java", *FAST_JVM, "-cp", f"{classpath}:{workdir}", class_name, *args],
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return done.stdout.splitlines()

    return run


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project to extend (fixtures/extensions), built once per test module."""
    from fixtures.extensions.helpers import make_fixture_project

    return make_fixture_project(tmp_path_factory.mktemp("base") / "proj")


@pytest.fixture
def project(base: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of :func:`base` for one test, set as the current project."""
    from fixtures.extensions.helpers import clone, use_project

    root = clone(base, tmp_path / "proj")
    with use_project(root):
        yield root


@pytest.fixture(scope="session")
def article_text() -> str:
    """The stored article text that every quote's offsets index."""
    return ARTICLE_TEXT.read_text(encoding="utf-8")


@pytest.fixture
def run_main(monkeypatch: pytest.MonkeyPatch) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``policykg ARGS`` in this process through ``main(argv)``, answering as :func:`run_cli`.

    For tests about what a command does, not about the process (no interpreter start-up, no
    second import of rdflib): the exit status, standard output and standard error come back
    in a ``CompletedProcess``, line ends read as a text-mode pipe reads them.
    """
    import contextlib
    import io

    from policykg.apps.cli import main

    def text(data: io.BytesIO) -> str:
        return data.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")

    def run(
        args: Sequence[str], *, cwd: Path | None = None, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
        out = io.TextIOWrapper(out_bytes, encoding="utf-8", newline="", write_through=True)
        err = io.TextIOWrapper(err_bytes, encoding="utf-8", newline="", write_through=True)
        with monkeypatch.context() as patch:
            patch.chdir(cwd or ROOT)
            patch.setattr(sys, "stdin", io.StringIO(input or ""))
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(list(args))
                except SystemExit as exc:  # argparse's usage errors
                    code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        out.flush()
        err.flush()
        return subprocess.CompletedProcess(list(args), code, text(out_bytes), text(err_bytes))

    return run


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``policykg`` in a subprocess (a real process: exit status, stdout, stderr)."""

    def run(
        args: Sequence[str],
        *,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        input: str | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "policykg", *args],
            cwd=cwd or ROOT,
            env=env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, run_cli):
    """A Virtuoso 7 server on free loopback ports holding the project's graph (pushed once).

    Skips without Debian's ``virtuoso-opensource-7`` unless ``POLICYKG_REQUIRE_VIRTUOSO=1``.
    """
    from virtuoso import VirtuosoServer

    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    try:
        pushed = run_cli(["push", "--endpoint", server.query_url, "-q"], timeout=120)
        assert pushed.returncode == 0, pushed.stderr
        yield server
    finally:
        server.stop()


def find_corpus() -> Path | None:
    """The real corpus ``shared/corpus/gwr-zh.jsonl``: beside the clone (CI: ``../shared``), or
    two levels up for a git worktree under ``/work/wt/NAME``."""
    for base in (ROOT.parent, ROOT.parent.parent):
        path = base / "shared" / "corpus" / "gwr-zh.jsonl"
        if path.is_file():
            return path
    return None


@pytest.fixture(scope="session")
def corpus_file() -> Path:
    """The real corpus of Government Work Reports (fails, not skips, when it is missing)."""
    path = find_corpus()
    if path is None:
        pytest.fail(
            "the real corpus ../shared/corpus/gwr-zh.jsonl is missing (CI lays shared/ beside the clone)"
        )
    return path


# -- CPU profile: POLICYKG_CPU_PROFILE=FILE appends each test's CPU seconds (the worker's own and
# its finished child processes', setup and teardown included) to FILE:
# "seconds<TAB>nodeid<TAB>worker<TAB>wall start<TAB>wall end" (worker: xdist's gw0, gw1... or
# "main"; wall clock in seconds since the epoch): the CPU says what a test costs (wall times
# mislead on a shared machine), the rest what each worker did when (its idle tail, the critical
# path).

if os.environ.get("POLICYKG_CPU_PROFILE"):

    def _cpu() -> float:
        import resource

        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item, nextitem):  # type: ignore[no-untyped-def]
        import time

        before, started = _cpu(), time.time()
        yield
        spent, ended = _cpu() - before, time.time()
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(os.environ["POLICYKG_CPU_PROFILE"], "a", encoding="utf-8") as out:
            out.write(f"{spent:.2f}\t{item.nodeid}\t{worker}\t{started:.2f}\t{ended:.2f}\n")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first (see ``tests/slow_first.py``)."""
    from slow_first import order

    order(items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """With ``--dist loadgroup``: a :data:`slow_first.GROUPED` module goes whole to one worker
    (``slow_first.make_scheduler``: xdist's own grouping is lost with pytest 9)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from slow_first import make_scheduler

    return make_scheduler(config, log)
