"""outputs layer.

``policykg.outputs.viz`` is imported on first use, so ``import policykg`` then
``policykg.outputs.viz.show(kg)`` works without importing the subpackage first.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "viz":
        from importlib import import_module

        module = import_module("policykg.outputs.viz")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'policykg.outputs' has no attribute {name!r}")
