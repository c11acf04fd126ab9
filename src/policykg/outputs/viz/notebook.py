"""The graph page inline in a notebook: an ``<iframe srcdoc>`` of the offline page.

Typical use in Jupyter::

    import policykg
    from policykg.outputs.viz import show

    kg = policykg.load()
    show(kg, focus="state-owned enterprises", depth=2)   # the cell's output is the page
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from policykg.core.io import write_atomic
from policykg.outputs.viz.builder import PolicyNetwork, build_network
from policykg.outputs.viz.html import render_html

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG
    from policykg.outputs.viz.model import VizGraph

__all__ = ["InlinePage", "show"]


@dataclass(frozen=True)
class InlinePage:
    """A page that notebooks display inline (``_repr_html_``).

    Attributes:
        html: the whole offline page.
        height: the frame's height in CSS pixels.
    """

    html: str
    height: int = 640

    def _repr_html_(self) -> str:
        # The page goes into srcdoc escaped as an attribute value (&, <, >, " and '), so nothing
        # in it can end the attribute; the frame is sandboxed (scripts run, but in an origin of
        # their own, away from the notebook's).
        return (
            f'<iframe srcdoc="{escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #cbd2d9;" '
            'title="policykg graph" loading="lazy"></iframe>'
        )

    def save(self, path: str) -> None:
        """Write the page to a file (atomically)."""
        write_atomic(path, self.html)


def show(
    source: PolicyKG | VizGraph | Any | None = None, *, height: int = 640, **options: Any
) -> InlinePage:
    """Return the graph page of a view, for a notebook to display inline.

    Args:
        source: the loaded knowledge graph, an extracted ``VizGraph``, or a network that
            :func:`policykg.outputs.viz.build_network` returned (default: ``policykg.load()``).
        height: the frame's height in pixels.
        **options: passed to :func:`policykg.outputs.viz.build_network` (``focus``, ``depth``,
            ``classes``, ``query``, ``params``, ``hierarchy``, ``title``).
    """
    network = source if isinstance(source, PolicyNetwork) else build_network(source, **options)
    return InlinePage(render_html(network), height=height)
