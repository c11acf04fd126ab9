"""The ``policykg`` command line.

Each sub-command lives in ``policykg/apps/commands/<name>.py`` with ``register(subparsers)``;
handlers
import heavy libraries only when they run, so ``policykg --help`` is instant. Only this module
prints errors and picks exit statuses: 0 success, 1 a check failed, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib import import_module

__all__ = ["COMMANDS", "main"]

#: Sub-command modules under ``policykg.apps.commands``, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "run",
    "build",
    "stats",
    "query",
    "queries",
    "describe",
    "compare",
    "timeline",
    "find",
    "path",
    "central",
    "export",
    "viz",
    "validate",
    "reason",
    "annotate",
    "add",
    "corpus",
    "docs",
    "load",
    "push",
    "serve",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every available sub-command."""
    from policykg import __version__

    parser = argparse.ArgumentParser(
        prog="policykg",
        description="A knowledge graph of policy concepts: build, query, validate, reason, browse.",
    )
    parser.add_argument("--version", action="version", version=f"policykg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = import_module(f"policykg.apps.commands.{name.replace('-', '_')}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith(f"commands.{name}"):
                continue  # command not shipped in this build
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from policykg.core.errors import PolicyKGError
    from policykg.core.text import one_line

    parser = build_parser()
    args = parser.parse_args(argv)
    # rdflib logs a warning per malformed IRI before policykg reports it in one line.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        _complete_interrupted_write()  # issue 25 N5: a killed 'add --store' is completed first
        return int(args.handler(args) or 0)
    except PolicyKGError as exc:
        # an error listing several problems (``add`` on a draft) prints one line for each
        for line in getattr(exc, "problems", None) or [str(exc)]:
            print(f"policykg: error: {one_line(line)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("policykg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _complete_interrupted_write() -> None:
    """Complete what a killed ``add`` (``--store``) or corpus import left half done."""
    from policykg.core.paths import graphs_dir

    if (graphs_dir() / ".policykg-store.journal").is_file():
        from policykg.store.journal import recover

        done = recover()
        if done:
            print(f"policykg: {done}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
