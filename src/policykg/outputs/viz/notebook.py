"""The graph page inline in a notebook: an ``<iframe srcdoc>`` of the offline page.

Typical use in Jupyter::

    import policykg

    kg = policykg.load()
    policykg.show(kg, focus="state-owned enterprises", depth=2)   # the cell's output is the page

The page's scripts and vis-network's stylesheet (about 750 KB) go into the notebook once: the
first output of a session carries them as inert text with a small listener, and every frame,
the first included, carries only its data and a loader that asks the notebook for the scripts
(``postMessage``) and runs them. The frames stay sandboxed (scripts run in an origin of their
own) and their Content-Security-Policy allows exactly those scripts. ``show(..., shared=False)``
gives a frame that holds the whole page (for a notebook whose outputs are displayed apart, or
when the first output was cleared).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from policykg.core.io import write_atomic
from policykg.outputs.viz.builder import PolicyNetwork, build_network
from policykg.outputs.viz.html import notebook_frame, own_scripts, render_html

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG
    from policykg.outputs.viz.model import VizGraph

__all__ = ["InlinePage", "assets_html", "reset_assets", "show"]

_SENT = {"assets": False}

_LISTENER = """(function () {
  if (window.__policykgAssets) { return; }
  window.__policykgAssets = true;
  window.addEventListener("message", function (ev) {
    if (!ev.data || ev.data.policykg !== "assets?" || !ev.source) { return; }
    ev.source.postMessage({ policykg: "assets",
      vis: document.getElementById("policykg-vis-js").textContent,
      page: document.getElementById("policykg-page-js").textContent,
      css: document.getElementById("policykg-vis-css").textContent }, "*");
  });
}());"""


def assets_html() -> str:
    """Return the notebook's one copy of the page's scripts: inert text and the listener."""
    vis_js, page_js, vis_css = own_scripts()
    css = vis_css.replace("</", "<\\/")  # inert text: nothing in it can end the element
    return (
        f'<script type="text/plain" id="policykg-vis-js">{vis_js}</script>'
        f'<script type="text/plain" id="policykg-page-js">{page_js}</script>'
        f'<script type="text/plain" id="policykg-vis-css">{css}</script>'
        f"<script>{_LISTENER}</script>"
    )


def reset_assets() -> None:
    """Forget that the scripts were sent (the next output carries them again)."""
    _SENT["assets"] = False


@dataclass(frozen=True)
class InlinePage:
    """A page that notebooks display inline (``_repr_html_``).

    Attributes:
        html: the whole offline page (what :meth:`save` writes).
        height: the frame's height in CSS pixels.
        frame: the page the frame shows: without its scripts when they are shared (empty: the
            whole page).
    """

    html: str
    height: int = 640
    frame: str = ""

    def _repr_html_(self) -> str:
        # The page goes into srcdoc escaped as an attribute value (&, <, >, " and '), so nothing
        # in it can end the attribute; the frame is sandboxed (scripts run, but in an origin of
        # their own, away from the notebook's).
        prefix = ""
        if self.frame and not _SENT["assets"]:
            prefix = assets_html()
            _SENT["assets"] = True
        return prefix + (
            f'<iframe srcdoc="{escape(self.frame or self.html, quote=True)}" '
            'sandbox="allow-scripts" '
            f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #cbd2d9;" '
            'title="policykg graph" loading="lazy"></iframe>'
        )

    def save(self, path: str) -> None:
        """Write the page to a file (atomically)."""
        write_atomic(path, self.html)


def show(
    source: PolicyKG | VizGraph | Any | None = None,
    *,
    height: int = 640,
    shared: bool = True,
    **options: Any,
) -> InlinePage:
    """Return the graph page of a view, for a notebook to display inline.

    Args:
        source: the loaded knowledge graph, an extracted ``VizGraph``, or a network that
            :func:`policykg.outputs.viz.build_network` returned (default: ``policykg.load()``).
        height: the frame's height in pixels.
        shared: the frame gets the page's scripts from the notebook's one copy (``False``: the
            frame holds the whole page, about 750 KB more).
        **options: passed to :func:`policykg.outputs.viz.build_network` (``focus``, ``depth``,
            ``classes``, ``query``, ``params``, ``hierarchy``, ``title``).
    """
    network = source if isinstance(source, PolicyNetwork) else build_network(source, **options)
    return InlinePage(
        render_html(network), height=height, frame=notebook_frame(network) if shared else ""
    )
