"""``--follow-imports``: the option of the commands that run the OWL reasoner."""

from __future__ import annotations

import argparse
import contextlib
from typing import Any

__all__ = ["add_imports_options", "imports_context"]


def add_imports_options(p: Any) -> None:
    """Add ``--follow-imports`` and ``--imports-timeout``."""
    p.add_argument(
        "--follow-imports",
        action="store_true",
        help="fetch the ontologies named by owl:imports (http, https, file) for the OWL "
        "reasoner; by default owl:imports are ignored and nothing is fetched",
    )
    p.add_argument(
        "--imports-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="with --follow-imports: give up on an import after this long (default 10)",
    )


def imports_context(args: argparse.Namespace) -> contextlib.AbstractContextManager[None]:
    """Return the block the command runs in: following imports if asked, else nothing."""
    if not getattr(args, "follow_imports", False):
        return contextlib.nullcontext()
    from policykg.rdf.owl import following_imports

    return following_imports(timeout=args.imports_timeout)
