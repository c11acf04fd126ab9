"""The import rule: a module imports only from its own layer or the layers below it, no cycles.

The layers and the contract are in ``pyproject.toml`` (``[tool.importlinter]``); docs/DESIGN.md
explains them. import-linter reads every import, including those inside functions;
``TYPE_CHECKING`` blocks (annotations only, never executed) are left out.
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import grimp
import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "policykg"
LAYERS = ["apps", "outputs", "authoring", "checks", "graph", "store", "sparql", "rdf", "core"]


def test_import_linter_contracts_are_kept(root, monkeypatch, capsys):
    from importlinter.cli import lint_imports

    monkeypatch.chdir(root)
    # lint_imports configures logging with dictConfig, which disables every logger that exists
    # already (policykg.serve, when the server module was imported first in this process).
    loggers = [lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    disabled = [lg.disabled for lg in loggers]
    try:
        status = lint_imports(config_filename="pyproject.toml", no_cache=True, no_logo=True)
    finally:
        for lg, was in zip(loggers, disabled, strict=True):
            lg.disabled = was
    out = capsys.readouterr().out
    assert status == 0, out[-4000:]
    assert "0 broken" in out


def test_no_module_imports_itself_through_a_circle():
    graph = grimp.build_graph("policykg", exclude_type_checking_imports=True)
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    cycles = [sorted(c) for c in nx.strongly_connected_components(edges) if len(c) > 1]
    assert cycles == []


def test_every_module_sits_in_a_layer():
    loose = sorted(
        p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py", "errors.py")
    )
    assert loose == [], f"modules outside a layer folder: {loose}"
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert folders == sorted(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_the_contract_lists_the_layers_in_this_order(root, layer):
    import tomllib

    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    assert contract["layers"] == LAYERS


def _function_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("policykg"):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.module}")
    return found


def test_the_package_imports_its_own_modules_at_the_top():
    """Only the commands import lazily (so that ``policykg --help`` stays instant)."""
    lazy = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if "commands" not in path.parts and path.name not in ("cli.py", "__init__.py")
        for hit in _function_imports(path)
    ]
    assert lazy == []
