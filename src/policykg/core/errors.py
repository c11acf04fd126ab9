"""Exceptions raised by policykg.

Every error a user can cause derives from :class:`PolicyKGError`; the command line prints its
message on one line and exits non-zero, library callers catch the base class.
"""

from __future__ import annotations

from policykg.core.text import shorten

__all__ = [
    "AuthoringError",
    "BackendError",
    "OutputError",
    "ParseError",
    "PolicyKGError",
    "QueryError",
    "ReasonerError",
    "StoredTextError",
    "UnknownEntityError",
    "UnknownQueryError",
    "ValidationError",
]


class PolicyKGError(Exception):
    """Base class of every error policykg raises for bad input or a failed check.

    Attributes:
        exit_code: the exit status the command line uses for this error.
    """

    exit_code: int = 2

    def __init__(self, *args: object) -> None:
        # A message is built from user input; keep it of a size a terminal can show (a YAML alias
        # bomb once made one of 312 million characters).
        if args and isinstance(args[0], str):
            args = (shorten(args[0]), *args[1:])
        super().__init__(*args)


class ParseError(PolicyKGError):
    """A file or query text could not be parsed; the message names the file and line."""


class QueryError(PolicyKGError):
    """A SPARQL query is malformed, refused (an update) or failed to evaluate."""


class UnknownQueryError(QueryError):
    """No named query has that name; the message lists the nearest names."""


class UnknownEntityError(PolicyKGError):
    """No entity matches an IRI, CURIE or label; the message suggests the nearest labels."""


class ValidationError(PolicyKGError):
    """SHACL or OWL validation found problems in the graph."""

    exit_code = 1


class ReasonerError(PolicyKGError):
    """The reasoner could not run (for example Java is missing)."""


class AuthoringError(PolicyKGError):
    """An authoring source (YAML, CSV) is wrong: unknown class, quote not in its text, ..."""


class BackendError(PolicyKGError):
    """A store or SPARQL endpoint could not be opened or answered with an error."""


class OutputError(PolicyKGError):
    """An output file could not be written (a folder in its place, no permission, disk full)."""


class StoredTextError(PolicyKGError):
    """A document's stored text (``pkg:textFile``) is refused or cannot be read.

    Refused: an absolute path, one that climbs out of the folder of stored texts, a device, a
    pipe or a file over the size limit. The message names the path, never the file's content.
    """
