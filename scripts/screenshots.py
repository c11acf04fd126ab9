"""Take the screenshots of docs/screenshots/ (1400×900), by hand.

Usage, from the project's root, once ``graphs/policykg.html`` is current (``bash scripts/main.sh``
or ``policykg viz`` writes it)::

    python scripts/screenshots.py                # every screenshot
    python scripts/screenshots.py viz-full       # only those named (without .png)

Debian's Chromium (``/usr/bin/chromium``) is driven with Playwright, offline: the offline page
``graphs/policykg.html`` gives the overview, a selected node, an opened group, the full graph and
the reader; the class hierarchy is written by ``policykg viz --hierarchy`` into a temporary folder;
the compare view and the timeline are taken from the page as ``policykg serve`` serves it on a free
loopback port (started here, stopped at the end). Every request outside the page or that server is
refused. Before each graph view is saved, the script checks that no node or label is cut at an
edge of the canvas or hidden under the side panel (in the reader, no selected one), and stops
naming them if one is. Each PNG is made smaller with ``pngquant`` when it is installed. It
writes only into ``docs/screenshots/``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PAGE = ROOT / "graphs" / "policykg.html"
CHROMIUM = "/usr/bin/chromium"
VIEW = {"width": 1400, "height": 900}
#: The commands run here (policykg viz, policykg serve) read this clone's files.
ENV = {**os.environ, "POLICYKG_HOME": str(ROOT)}

#: Nodes in sight whose box (shape and label, as drawn) is not wholly inside the part of the
#: canvas nothing covers (the canvas, inside the window, less the side panel where it lies over
#: it), as in tests/test_browser_viz_readable.py; with ``true``, only the selected nodes.
CUT = """(selected) => {
  const P = window.policykg, net = P.network, chosen = new Set(net.getSelectedNodes());
  const g = document.getElementById("graph").getBoundingClientRect();
  const p = document.getElementById("panel").getBoundingClientRect();
  const area = {left: Math.max(g.left, 0), top: Math.max(g.top, 0),
                right: Math.min(g.right, window.innerWidth),
                bottom: Math.min(g.bottom, window.innerHeight)};
  if (p.width && p.height && p.left < area.right && p.right > area.left
      && p.top < area.bottom && p.bottom > area.top)
    area.right = Math.min(area.right, p.left);
  net.setOptions({nodes: {scaling: {label: {drawThreshold: 0, maxVisible: 1000}}}}); net.redraw();
  const shown = P.nodes.get({filter: n => !n.hidden && (!selected || chosen.has(n.id))});
  const boxes = shown.map(n => {
    const b = net.getBoundingBox(n.id), l = net.body.nodes[n.id].labelModule.size;
    const c = l && l.width ? {left: Math.min(b.left, l.left), top: Math.min(b.top, l.top),
      right: Math.max(b.right, l.left + l.width), bottom: Math.max(b.bottom, l.top + l.height)} : b;
    const a = net.canvasToDOM({x: c.left, y: c.top});
    const z = net.canvasToDOM({x: c.right, y: c.bottom});
    return {id: n.id, left: g.left + a.x, top: g.top + a.y,
            right: g.left + z.x, bottom: g.top + z.y};
  });
  net.setOptions({nodes: {scaling: {label: {drawThreshold: 5, maxVisible: 30}}}}); net.redraw();
  return boxes.filter(b => b.right > area.left && b.left < area.right && b.bottom > area.top
    && b.top < area.bottom && !(b.left >= area.left && b.right <= area.right && b.top >= area.top
    && b.bottom <= area.bottom)).map(b => b.id);
}"""


class Cut(RuntimeError):
    """A graph view about to be saved has nodes cut at the canvas's edge or under the panel."""


class Shooter:
    """One browser; each shot opens a fresh tab at 1400×900 and refuses requests elsewhere."""

    def __init__(self, browser: Any, only: set[str]) -> None:
        self.browser = browser
        self.only = only
        self.taken: list[Path] = []

    def wanted(self, *names: str) -> bool:
        """Whether any of these screenshots was asked for."""
        return not self.only or bool(self.only & set(names))

    @contextmanager
    def tab(self, url: str, allowed: str) -> Iterator[Any]:
        """A page opened on url, ready once the graph page says so."""
        context = self.browser.new_context(viewport=VIEW)
        errors: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(allowed):
                r.continue_()
            else:
                errors.append("outside: " + r.request.url)
                r.abort()

        try:
            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
            page.goto(url)
            page.wait_for_function("() => window.policykg && window.policykg.ready === true",
                                   timeout=60_000)
            yield page
            if errors:
                raise RuntimeError(f"{url}: {errors}")
        finally:
            context.close()

    def save(self, page: Any, name: str, check: str = "all") -> None:
        """Write docs/screenshots/<name>.png, made smaller by pngquant when it is installed.

        ``check`` is what must not be cut: "all" the nodes of a graph view, "selected" only the
        selected ones (the reader's narrow graph may cut the dimmed nodes around them), "none"
        for a page without the graph.
        """
        if self.only and name not in self.only:
            return
        page.wait_for_timeout(400)  # animations and the last redraw
        if check != "none":
            cut = page.evaluate(CUT, check == "selected")
            if cut:
                raise Cut(f"{name}: cut at an edge of the canvas or under the panel: {cut}")
        path = OUT / f"{name}.png"
        page.screenshot(path=str(path))
        quantizer = shutil.which("pngquant")
        if quantizer:  # a palette of 256 colours: a third of the size, the same to the eye
            subprocess.run([quantizer, "--force", "--skip-if-larger", "--strip", "--speed", "1",
                            "--quality", "70-95", "--output", str(path), str(path)], check=False)
        self.taken.append(path)
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


def offline_views(shoot: Shooter) -> None:
    """The overview, a selected node, an opened group, the full graph and the reader."""
    url = PAGE.as_uri()
    if shoot.wanted("viz-overview"):
        with shoot.tab(url, "file://") as page:
            shoot.save(page, "viz-overview")
    if shoot.wanted("viz-selected"):
        with shoot.tab(url, "file://") as page:
            page.evaluate("() => { window.policykg.select('kg:state-owned-enterprises',"
                          " {animate: false}); }")
            shoot.save(page, "viz-selected")
    if shoot.wanted("viz-group"):
        with shoot.tab(url, "file://") as page:
            group = page.evaluate("() => window.policykg.data.overview.groups"
                                  ".filter(g => / places$/.test(g.label))[0].id")
            page.evaluate("(g) => { window.policykg.network.emit('click',"
                          " {nodes: [g], edges: []}); }", group)
            shoot.save(page, "viz-group")
    if shoot.wanted("viz-full"):
        with shoot.tab(url, "file://") as page:
            page.click("#mode")
            shoot.save(page, "viz-full")
    if shoot.wanted("viz-reader"):
        with shoot.tab(url + "#passage=kg:ncpf-2025-p12-5", "file://") as page:
            shoot.save(page, "viz-reader", check="selected")


def hierarchy_view(shoot: Shooter) -> None:
    """The class hierarchy, written by ``policykg viz --hierarchy`` into a temporary folder."""
    if not shoot.wanted("viz-hierarchy"):
        return
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "hierarchy.html"
        subprocess.run([sys.executable, "-m", "policykg", "viz", "--hierarchy", "--out",
                        str(page_file)], check=True, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL)
        with shoot.tab(page_file.as_uri(), "file://") as page:
            shoot.save(page, "viz-hierarchy")


def free_port() -> int:
    """A TCP port nobody listens on at the moment (the server takes it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served() -> Iterator[str]:
    """``policykg serve`` on a free loopback port; yields its base URL, stops it at the end."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "policykg", "serve", "--port", str(port), "--workers", "1",
         "--slow-workers", "0"], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"policykg serve did not answer on {base}") from None
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def workbench_views(shoot: Shooter) -> None:
    """The compare view (the 2023 and 2024 reports) and the timeline of new urban jobs."""
    if not shoot.wanted("compare-view", "timeline-view"):
        return

    def query_tab(page: Any) -> None:
        page.click("#tab-query")
        page.wait_for_selector("#workbench[data-ready][data-queries]")
        page.wait_for_selector("#wb-compare-slot[data-documents]")

    with served() as base:
        if shoot.wanted("compare-view"):
            with shoot.tab(base, base) as page:
                query_tab(page)
                page.click("#cv-open-compare")
                page.select_option("#cv-a", "kg:gwr-2023")
                page.select_option("#cv-b", "kg:gwr-2024")
                page.click(".cv-compare .cv-go")
                page.wait_for_function(
                    "() => !['', null].includes(document.getElementById('wb-compare-slot')"
                    ".getAttribute('data-changes'))")
                page.evaluate("document.getElementById('wb-compare-slot').scrollIntoView()")
                shoot.save(page, "compare-view", check="none")
        if shoot.wanted("timeline-view"):
            with shoot.tab(base, base) as page:
                query_tab(page)
                page.click("#cv-open-timeline")
                page.fill("#cv-entity", "kg:new-urban-jobs")
                page.click(".cv-timeline .cv-go")
                page.wait_for_function(
                    "() => document.querySelectorAll('svg.cv-chart text.cv-value').length > 0")
                page.evaluate("document.getElementById('wb-compare-slot').scrollIntoView()")
                shoot.save(page, "timeline-view", check="none")


NAMES = ["viz-overview", "viz-selected", "viz-group", "viz-full", "viz-hierarchy", "viz-reader",
         "compare-view", "timeline-view"]
STEPS: list[Callable[[Shooter], None]] = [offline_views, hierarchy_view, workbench_views]


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots asked for (all by default); 1 if a view is cut, 2 on bad input."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of {', '.join(NAMES)}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(NAMES))
    if unknown:
        print(f"error: no screenshot named {', '.join(unknown)} (known: {', '.join(NAMES)})",
              file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists() or not PAGE.exists():
        print(f"error: needs {CHROMIUM} and {PAGE.relative_to(ROOT)}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        try:
            shoot = Shooter(browser, set(args.names))
            for step in STEPS:
                step(shoot)
        except Cut as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
