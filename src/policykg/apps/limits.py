"""Limits of ``policykg serve`` (issue 25): memory per query, workers, fetch metadata, datasets.

Kept apart from ``apps/server.py`` so the server calls them with small edits:

- :func:`limit_query_memory`: a worker's data segment may grow by at most ``--query-memory``
  MB beyond what holding the graph took (``RLIMIT_DATA``: heap and private anonymous memory,
  not the store's mapped files); a query that needs more fails its allocation and the worker
  stops, the client gets ``500`` and the worker is replaced;
- :func:`check_workers`: ``--workers`` and the slow lane are capped (:data:`MAX_WORKERS`);
- :func:`check_fetch_site`: a browser marks every request with ``Sec-Fetch-Site``; a query
  another site makes a browser send (``<img src=…/sparql?query=…>``) says ``cross-site`` or
  ``same-site`` and is refused; clients that send no such header (curl, libraries) keep
  working;
- :func:`has_dataset_clause`: a query with ``FROM`` / ``FROM NAMED`` names its own dataset,
  which the union default graph must not override;
- :func:`store_identity`: what tells a replaced store (``load --store`` swaps a new folder in).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from policykg.core.errors import BackendError
from policykg.sparql.sparqltext import tokens

__all__ = [
    "DEFAULT_QUERY_MEMORY_MB",
    "MAX_WORKERS",
    "check_fetch_site",
    "check_timeout",
    "check_workers",
    "has_dataset_clause",
    "limit_query_memory",
    "store_identity",
]

#: The default memory a query may take in a worker beyond the graph it holds (MB).
DEFAULT_QUERY_MEMORY_MB = 1024
#: The most query workers (each holds the graph: memory and start-up grow with the number).
MAX_WORKERS = 32
#: The longest query timeout ``serve`` accepts (seconds): a day.
MAX_TIMEOUT = 86_400.0


def check_workers(workers: int, slow: int = 0) -> None:
    """Refuse a worker count that cannot run (below 1) or would swamp the machine.

    Raises:
        BackendError: ``workers`` out of 1..MAX_WORKERS or ``slow`` out of 0..MAX_WORKERS.
    """
    if not 1 <= workers <= MAX_WORKERS:
        raise BackendError(f"--workers {workers} is out of range (1..{MAX_WORKERS}): each worker "
                           "holds the whole graph")
    if not 0 <= slow <= MAX_WORKERS:
        raise BackendError(f"--slow-workers {slow} is out of range (0..{MAX_WORKERS})")


def check_timeout(value: float, option: str = "--timeout", *, most: float = MAX_TIMEOUT) -> float:
    """A finite, positive timeout of at most ``most`` seconds.

    Raises:
        BackendError: ``value`` is NaN, infinite, not positive or too long.
    """
    if math.isnan(value) or math.isinf(value) or not 0 < value <= most:
        raise BackendError(f"{option} {value!r} is not a number of seconds in (0, {most:g}]")
    return value


def _data_bytes() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def limit_query_memory(megabytes: int) -> int | None:
    """Cap this process's data segment at its present size plus ``megabytes`` MB.

    Called by a worker once it holds the graph; 0 means no limit. Returns the limit set (bytes),
    or ``None`` when the platform has no ``RLIMIT_DATA`` (then nothing is limited).
    """
    if megabytes <= 0:
        return None
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return None
    now = _data_bytes()
    if now is None:
        return None
    limit = now + megabytes * 1024 * 1024
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ValueError, OSError):
        return None
    return limit


def check_fetch_site(environ: dict[str, Any], cors: bool) -> str | None:
    """Why a request another site made a browser send is refused, or ``None`` to answer it.

    Only ``same-origin`` (this server's own pages) and ``none`` (typed in the address bar, a
    bookmark) are answered; ``same-site`` is refused too (another port of this host is another
    program). Requests without the header (non-browser clients) are answered.
    """
    site = environ.get("HTTP_SEC_FETCH_SITE")
    if site is None or cors:
        return None
    value = site.strip().lower()
    if value in ("same-origin", "none"):
        return None
    shown = value[:40]
    return (f"cross-site request refused (Sec-Fetch-Site: {shown}): a page of another site "
            "cannot make a browser query this server (start it with --cors to allow that)")


def has_dataset_clause(sparql: str) -> bool:
    """Whether a query names its dataset with ``FROM`` or ``FROM NAMED``.

    Only the query's own keywords count (not a ``FROM`` in a string, IRI or comment).
    """
    return any(tok.upper == "FROM" for tok in tokens(sparql))


def store_identity(path: str | Path) -> tuple[int, int] | None:
    """The device and inode of a store folder: a store swapped in by ``load`` has others."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino
