"""Write the page: one self-contained, deterministic HTML file that works offline.

pyvis's own template loads Bootstrap, vis-network and tom-select from CDNs (even with
``cdn_resources="in_line"`` it still links Bootstrap), so the page uses its own template:
vis-network's JavaScript and CSS (shipped inside the pyvis package) are inlined with the page's
own small stylesheet and script. The graph's data goes into a ``<script type="application/json">``
block with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and the script builds every element with
``textContent``. A Content-Security-Policy allows only the page's own inline scripts (by hash), so
the page can load nothing from the network and an injected script could not run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from policykg import __version__
from policykg.core.io import write_atomic
from policykg.core.paths import html_file

__all__ = [
    "LOADER_JS",
    "SERVED_CSP",
    "VIS_VERSION",
    "csp_for",
    "json_for_html",
    "notebook_frame",
    "own_scripts",
    "page_data",
    "render_html",
    "served_page",
    "static_asset",
    "vis_assets",
    "write_html",
]

#: The policy of the page ``policykg serve`` sends: scripts, styles and requests only from the
#: server itself (the scripts are files, never inline), nothing from anywhere else.
SERVED_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'"
)

#: The vis-network build (shipped in pyvis 0.3.2) the page inlines.
VIS_VERSION = "9.1.2"

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_for_html(data: Any) -> str:
    """Serialise ``data`` as JSON that is safe inside an HTML ``<script>`` element.

    Keys are sorted and the output is compact, so equal data give equal bytes.
    """
    text = json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return text.translate(_JSON_ESCAPES)


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("\r\n", "\n")


def _safe_script(js: str) -> str:
    # "</script" (any case) or "<!--" inside a script would end it or change how it is parsed.
    lowered = js.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ValueError("an inlined script contains '</script' or '<!--'")
    return js


@cache
def vis_assets() -> tuple[str, str]:
    """Return vis-network's (JavaScript, CSS) from the installed pyvis package."""
    import pyvis

    folder = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    return _safe_script(_read_text(folder / "vis-network.min.js")), _read_text(
        folder / "vis-network.css"
    )


@cache
def _own_assets() -> tuple[str, str, str]:
    base = resources.files("policykg.outputs.viz")
    template = (base / "templates" / "page.html").read_text(encoding="utf-8")
    js = (base / "assets" / "page.js").read_text(encoding="utf-8")
    css = (base / "assets" / "page.css").read_text(encoding="utf-8")
    return template, _safe_script(js), css


def csp_for(scripts: list[str]) -> str:
    """Return the Content-Security-Policy of a page whose only scripts are ``scripts``."""
    hashes = " ".join(
        "'sha256-"
        + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii")
        + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def render_html(network: Any) -> str:
    """Return the page of a network built by :func:`policykg.outputs.viz.build_network`.

    Also accepts a plain pyvis ``Network``: its nodes, edges and options are drawn, with an empty
    legend and panel data.
    """
    return _render(page_data(network), served=False)


def page_data(network: Any) -> dict[str, Any]:
    """Return everything the page's script reads (the JSON block of the page)."""
    page: dict[str, Any] = dict(getattr(network, "page", None) or {})
    options = (
        network.options
        if isinstance(network.options, dict)
        else json.loads(network.options.to_json())
    )
    meta = dict(page.get("meta") or {})
    meta.setdefault("title", network.heading or "graph")
    meta.setdefault("view", "")
    meta.setdefault("kind", "entities")
    meta.setdefault("nodes", len(network.nodes))
    meta.setdefault("edges", len(network.edges))
    meta.setdefault("big", False)
    nodes = [_plain_node(n) for n in network.nodes]
    data = {
        "meta": meta,
        "nodes": nodes,
        "edges": [dict(e) for e in network.edges],
        "options": options,
        "legend": page.get("legend", _fallback_legend(nodes)),
        "classes": page.get("classes", {}),
        "predicates": page.get("predicates", {}),
        "facts": page.get("facts", []),
        "passages": page.get("passages", {}),
        "labels": page.get("labels", {}),
        "modalities": page.get("modalities", []),
        "documents": page.get("documents", {}),
        "overview": page.get("overview"),
        "full": page.get("full"),
        "filters": page.get("filters"),
    }
    return data


#: The script of a notebook frame: it asks the notebook (its parent window) for the page's two
#: scripts, which the first output of the notebook holds once (see
#: :mod:`policykg.outputs.viz.notebook`), and runs them; the frame's CSP allows exactly them.
LOADER_JS = """(function () {
  var tries = 0;
  function add(code) {
    var s = document.createElement("script");
    s.textContent = code;
    document.body.appendChild(s);
  }
  window.addEventListener("message", function (ev) {
    var d = ev.data;
    if (!d || d.policykg !== "assets" || window.__policykgLoaded) { return; }
    window.__policykgLoaded = true;
    var css = document.createElement("style");
    css.textContent = d.css;
    document.head.appendChild(css);
    add(d.vis);
    add(d.page);
  });
  function ask() {
    if (window.__policykgLoaded || tries > 40) { return; }
    tries += 1;
    parent.postMessage({ policykg: "assets?" }, "*");
    setTimeout(ask, 250);
  }
  ask();
}());"""


def own_scripts() -> tuple[str, str, str]:
    """Return the page's two scripts (vis-network's and the page's own) and vis-network's CSS."""
    return vis_assets()[0], _own_assets()[1], vis_assets()[1]


def notebook_frame(network: Any) -> str:
    """Return the page of a network without its scripts, which it gets from the notebook."""
    return _render(page_data(network), served=False, shared=True)


def _render(data: dict[str, Any], *, served: bool, shared: bool = False) -> str:
    from jinja2 import Environment
    from markupsafe import Markup

    template_text, page_js, page_css = _own_assets()
    vis_js, vis_css = vis_assets()
    meta = data["meta"]
    env = Environment(autoescape=True, keep_trailing_newline=True)
    html = env.from_string(template_text).render(
        csp=SERVED_CSP if served else csp_for([vis_js, page_js, LOADER_JS]
                                              if shared else [vis_js, page_js]),
        loader_js=Markup(LOADER_JS) if shared else "",
        served=served,
        version=__version__,
        title=meta["title"],
        view=meta["view"] or "whole graph",
        kind=meta["kind"],
        nodes=meta["nodes"],
        edges=meta["edges"],
        overview=bool(data.get("overview")),
        filters=bool(data.get("filters")),
        drafts=bool(meta.get("drafts")),
        reader=bool(data.get("documents")),
        physics=bool(data["options"].get("physics", {}).get("enabled", False)),
        vis_css=Markup(vis_css.replace("</", "<\\/")),
        page_css=Markup(page_css.replace("</", "<\\/")),
        data=Markup(json_for_html(data)),
        vis_js=Markup(vis_js),
        page_js=Markup(page_js),
    )
    return html


_DATA_BLOCK = '<script type="application/json" id="policykg-data">'


def served_page(static_html: str) -> str:
    """Turn the offline page into the one ``policykg serve`` sends at ``/``.

    The graph's data are taken from the offline page's JSON block; the served page loads its
    scripts and styles as files from the server (``static/...``, so that a ``script-src 'self'``
    policy holds) and adds the query workbench.

    Raises:
        ValueError: ``static_html`` is not a page :func:`render_html` wrote.
    """
    start = static_html.find(_DATA_BLOCK)
    end = static_html.find("</script>", start)
    if start < 0 or end < 0:
        raise ValueError("not a policykg graph page (no data block)")
    data = json.loads(static_html[start + len(_DATA_BLOCK) : end])
    return _render(data, served=True)


#: Files the served page loads, by the name it uses under ``static/``.
_STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def static_asset(name: str) -> tuple[bytes, str] | None:
    """Return (bytes, content type) of a file of the served page, or ``None``.

    ``viz/page.js``, ``viz/page.css``, ``viz/vis-network.min.js`` and ``viz/vis-network.css``
    are the graph page's own assets; other names are looked up in ``policykg/apps/static/``
    by the server itself.
    """
    _template, page_js, page_css = _own_assets()
    vis_js, vis_css = vis_assets()
    files = {
        "viz/page.js": page_js,
        "viz/page.css": page_css,
        "viz/vis-network.min.js": vis_js,
        "viz/vis-network.css": vis_css,
    }
    if name not in files:
        return None
    return files[name].encode("utf-8"), _STATIC_TYPES[name[name.rfind(".") :]]


def _plain_node(node: dict[str, Any]) -> dict[str, Any]:
    """A node for the page: pyvis's fields plus the ones the page's script reads."""
    out = dict(node)
    out.pop("title", None)  # tooltips are built in the page as DOM elements
    out["id"] = str(out["id"])
    out["label"] = str(out.get("label", out["id"]))
    for key in ("types", "alt", "alt_zh", "evidence"):
        out.setdefault(key, [])
    for key in ("zh", "definition", "iri"):
        out.setdefault(key, "")
    out.setdefault("cls", "")
    out.setdefault("legend", out["cls"])
    if not isinstance(out.get("color"), dict):
        color = str(out.get("color") or "#97c2fc")
        out["color"] = {"background": color, "border": color}
    return out


def _fallback_legend(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    colors: dict[str, dict[str, Any]] = {}
    for n in nodes:
        counts[n["legend"]] = counts.get(n["legend"], 0) + 1
        colors.setdefault(n["legend"], n["color"])
    return [
        {
            "key": k,
            "label": k or "node",
            "zh": "",
            "definition": "",
            "shape": "dot",
            "color": colors[k].get("background", "#97c2fc"),
            "border": colors[k].get("border", "#2b7ce9"),
            "count": counts[k],
        }
        for k in sorted(counts)
    ]


def write_html(network: Any, path: str | os.PathLike[str] | None = None) -> Path:
    """Write the page of ``network`` atomically (default: ``graphs/policykg.html``).

    Returns:
        The path written.
    """
    return write_atomic(Path(path) if path is not None else html_file(), render_html(network))
