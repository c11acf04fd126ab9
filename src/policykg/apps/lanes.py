"""Query lanes for ``policykg serve``: cheap queries answer while slow ones run (issue 25 N7).

Every query starts in the *fast lane* (``--workers`` processes). One that is still running after
``fast_budget`` seconds is a slow query: its worker moves, with the query still running, to the
*slow lane* (at most ``--slow-workers`` queries at once), and a spare worker held in reserve
takes its place in the fast lane, so the fast lane keeps its strength. When the slow lane is
full, the query is stopped at once (its worker killed; a spare takes its place while a
replacement starts) and the client gets ``503`` with ``Retry-After``: slow queries can take at
most the slow lane, never the fast one. A slow query still ends at the timeout. The cost is
thus measured, not guessed from the query text; a query measured slow is remembered (by its
tokens, the last 1024) and sent straight to the slow lane next time.

The pool also notices a replaced store (``policykg load --store DIR`` swaps a new folder in):
idle workers are replaced at once, busy ones when their query ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policykg.apps.limits import store_identity
from policykg.core import errors
from policykg.core.errors import BackendError, PolicyKGError
from policykg.sparql.sparqltext import tokens

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

__all__ = ["DEFAULT_FAST_BUDGET", "LanePool"]

log = logging.getLogger("policykg.serve")

#: Seconds a query may run in the fast lane before it counts as slow.
DEFAULT_FAST_BUDGET = 0.25
#: How many query shapes measured slow are remembered.
_KNOWN_SLOW = 1024


def _shape(request: dict[str, Any]) -> str:
    """A query's identity for the memory of slow queries: its tokens, graphs and parameters."""
    if request.get("named"):
        params = sorted((str(k), str(v)) for k, v in (request.get("params") or {}).items())
        text = f"named {request['named']} {params}"
    else:
        try:
            text = " ".join(tok.text for tok in tokens(str(request.get("query", ""))))
        except RecursionError:  # pragma: no cover - the tokenizer is a regular expression
            text = str(request.get("query", ""))
    text += f" {request.get('default_graphs')} {request.get('named_graphs')}"
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    generation: int


class LanePool:
    """Worker processes in a fast lane and a bounded slow lane, with a hard timeout.

    Args:
        target: the worker's entry point, called as ``target(conn, source, parent_pid)``; it
            sends ``("ready", "", "")`` or ``("error", kind, message)``, then answers each
            request received with one object.
        source: what the workers open (``{"store": DIR}`` or ``{"files": [...]}``, plus
            ``query_memory_mb``).
        error: makes an error answer: ``error(status, message, retry_after)``.
        fast: fast-lane workers.
        slow: slow-lane places (0: no slow lane; a slow query then keeps its fast worker).
        waiting: requests that may wait for a fast worker beyond those running.
        fast_budget: seconds before a running query counts as slow.
        start_timeout: seconds a worker may take to open the graph.
    """

    def __init__(self, target: Callable[..., None], source: dict[str, Any], *,
                 error: Callable[[int, str, bool], Any], fast: int = 2, slow: int = 1,
                 waiting: int = 64, fast_budget: float = DEFAULT_FAST_BUDGET,
                 start_timeout: float = 300.0) -> None:
        import multiprocessing

        self.target = target
        self.source = source
        self.error = error
        self.size = max(1, fast)
        self.slow = max(0, slow)
        self.waiting = max(0, waiting)
        self.fast_budget = fast_budget
        self.start_timeout = start_timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._admitted = threading.BoundedSemaphore(self.size + self.slow + self.waiting)
        self._slow_slots = threading.BoundedSemaphore(self.slow) if self.slow else None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._reserve: queue.Queue[_Worker] = queue.Queue()
        self._owed = 0  # fast-lane places a demotion could not fill from the reserve
        self._known_slow: OrderedDict[str, None] = OrderedDict()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._generation = 0
        self._store = source.get("store")
        self._identity = store_identity(self._store) if self._store else None
        self._checked = time.monotonic()

    # -- workers ---------------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        here, there = self._ctx.Pipe()
        process = self._ctx.Process(target=self.target, args=(there, self.source, os.getpid()),
                                    daemon=True, name="policykg-query-worker")
        process.start()
        there.close()
        worker = _Worker(process, here, self._generation)
        with self._lock:
            self._all.add(worker)
        if not here.poll(self.start_timeout):
            self._kill(worker)
            raise BackendError(f"a query worker did not start within {self.start_timeout:g} s")
        try:
            status, kind, message = here.recv()
        except (EOFError, OSError):
            self._kill(worker)
            raise BackendError("a query worker failed to start") from None
        if status != "ready":
            self._kill(worker)
            cls = getattr(errors, kind, BackendError)
            raise cls(message) if isinstance(cls, type) and issubclass(cls, PolicyKGError) \
                else BackendError(message)
        return worker

    def start(self) -> None:
        """Start every worker (fast lane and reserve) and wait until each holds the graph.

        Raises:
            PolicyKGError: a worker could not open the graph (the message says why).
        """
        first = self._spawn()  # fail fast, with the worker's own error
        self._idle.put(first)
        others: list[_Worker | BaseException] = []

        def spawn_one() -> None:
            try:
                others.append(self._spawn())
            except BaseException as exc:  # reported below
                others.append(exc)

        spares = self.slow + 1 if self.slow else 0  # one more covers a killed worker's restart
        threads = [threading.Thread(target=spawn_one) for _ in range(self.size - 1 + spares)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        fast_places = self.size - 1
        for item in others:
            if isinstance(item, BaseException):
                self.close()
                raise item
            if fast_places > 0:
                self._idle.put(item)
                fast_places -= 1
            else:
                self._reserve.put(item)

    def _kill(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        with contextlib.suppress(OSError):
            worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)

    def _home(self, worker: _Worker, *, fast: bool) -> None:
        """Give a free worker its place: the fast lane, or the reserve (unless the lane is owed)."""
        if self._closed:
            self._kill(worker)
            return
        if worker.generation != self._generation:  # the store was replaced
            self._kill(worker)
            self._replace(fast=fast)
            return
        with self._lock:
            if not fast and self._owed > 0:
                self._owed -= 1
                fast = True
        (self._idle if fast else self._reserve).put(worker)

    def _replace(self, *, fast: bool) -> None:
        def run() -> None:
            if self._closed:
                return
            try:
                worker = self._spawn()
            except PolicyKGError as exc:
                log.error("cannot restart a query worker: %s", exc)
                return
            self._home(worker, fast=fast)

        threading.Thread(target=run, daemon=True).start()

    def _check_store(self) -> None:
        """Replace idle workers when the store folder was swapped for another (``load``)."""
        if self._store is None or time.monotonic() - self._checked < 0.5:
            return
        self._checked = time.monotonic()
        now = store_identity(self._store)
        if now is None or now == self._identity:
            return
        self._identity = now
        self._generation += 1
        log.info("the store %s was replaced: restarting the query workers", self._store)
        for lane, fast in ((self._idle, True), (self._reserve, False)):
            while True:
                try:
                    worker = lane.get_nowait()
                except queue.Empty:
                    break
                self._kill(worker)
                self._replace(fast=fast)

    # -- running a query -------------------------------------------------------------------------

    def run(self, request: dict[str, Any], timeout: float) -> Any:
        """Run one request: in the fast lane, moved to the slow lane once it runs long.

        ``503`` at once when too many requests wait, after ``timeout`` when no fast worker came
        free or the query ran that long, and as soon as a query turns out slow while the slow
        lane is full.
        """
        self._check_store()
        if not self._admitted.acquire(blocking=False):
            return self.error(503, f"the server is busy: {self.size + self.slow} queries running "
                                   f"and {self.waiting} waiting; try again shortly", True)
        try:
            return self._run(request, timeout)
        finally:
            self._admitted.release()

    def _take(self, deadline: float) -> _Worker | None:
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if worker.generation == self._generation:
                return worker
            self._kill(worker)
            self._replace(fast=True)

    def _remember(self, key: str) -> None:
        with self._lock:
            self._known_slow[key] = None
            self._known_slow.move_to_end(key)
            while len(self._known_slow) > _KNOWN_SLOW:
                self._known_slow.popitem(last=False)

    def _slow_lane_full(self) -> Any:
        return self.error(503, f"the query ran over {self.fast_budget:g} s while the slow lane "
                               f"was full ({self.slow} slow queries running); try again later "
                               "or ask for less", True)

    def _run(self, request: dict[str, Any], timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        key = _shape(request)
        if self._slow_slots is not None and key in self._known_slow:
            return self._run_slow(request, deadline, timeout)
        worker = self._take(deadline)
        if worker is None:
            return self.error(503, f"every query worker stayed busy for {timeout:g} s; "
                                   "try again", True)
        if self._slow_slots is not None and key in self._known_slow:  # measured while waiting
            self._home(worker, fast=True)
            return self._run_slow(request, deadline, timeout)
        try:
            worker.conn.send(request)
            budget = min(self.fast_budget, max(0.0, deadline - time.monotonic()))
            if worker.conn.poll(budget):
                answer = worker.conn.recv()
                self._home(worker, fast=True)
                return answer
        except (EOFError, OSError):
            return self._died(worker, fast=True)
        if self._slow_slots is None:  # no slow lane: the query keeps its fast worker
            return self._finish(worker, deadline, timeout, fast=True)
        self._remember(key)
        if not self._slow_slots.acquire(blocking=False):
            self._kill(worker)
            self._promote_spare()  # the fast lane stays full; the new worker becomes the spare
            self._replace(fast=False)
            return self._slow_lane_full()
        try:
            self._promote_spare()
            return self._finish(worker, deadline, timeout, fast=False)
        finally:
            self._slow_slots.release()

    def _run_slow(self, request: dict[str, Any], deadline: float, timeout: float) -> Any:
        """A query known to be slow: straight to the slow lane, or ``503`` when it is full."""
        assert self._slow_slots is not None
        if not self._slow_slots.acquire(blocking=False):
            return self._slow_lane_full()
        try:
            while True:
                try:
                    worker = self._reserve.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    return self.error(503, "no slow-lane worker came free in time; try again",
                                      True)
                if worker.generation == self._generation:
                    break
                self._kill(worker)
                self._replace(fast=False)
            try:
                worker.conn.send(request)
            except (EOFError, OSError):
                return self._died(worker, fast=False)
            return self._finish(worker, deadline, timeout, fast=False)
        finally:
            self._slow_slots.release()

    def _promote_spare(self) -> None:
        """A worker of the fast lane moved to the slow lane: a spare takes its place."""
        try:
            spare = self._reserve.get_nowait()
        except queue.Empty:
            with self._lock:
                self._owed += 1
            return
        self._home(spare, fast=True)

    def _finish(self, worker: _Worker, deadline: float, timeout: float, *, fast: bool) -> Any:
        try:
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                answer = worker.conn.recv()
                self._home(worker, fast=fast)
                return answer
        except (EOFError, OSError):
            return self._died(worker, fast=fast)
        self._kill(worker)
        self._replace(fast=fast)
        return self.error(503, f"query timed out after {timeout:g} s (policykg serve --timeout)",
                          False)

    def _died(self, worker: _Worker, *, fast: bool) -> Any:
        self._kill(worker)
        self._replace(fast=fast)
        memory = self.source.get("query_memory_mb")
        why = f"over the memory limit of {memory} MB per query (--query-memory)?" if memory \
            else "out of memory?"
        return self.error(500, f"the query worker stopped unexpectedly ({why})", False)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._kill(worker)
