"""A throwaway OpenLink Virtuoso 7 server on loopback, for the endpoint tests.

Debian's ``virtuoso-opensource-7`` (``virtuoso-t`` and ``isql-vt``) is started on two free
loopback ports (HTTP and SQL; ``127.0.0.1`` only, no other listener) with its own database in a
temporary folder, then the anonymous SPARQL user is granted updates so that ``policykg push`` can
PUT graphs to ``/sparql-graph-crud`` without authentication. The server is only ever reachable
from this machine and is deleted with its folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

__all__ = ["VirtuosoServer", "need_virtuoso"]

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 0
CaseMode = 2
AllowOSCalls = 0
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}/www
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledDavVSP = 0
HTTPProxyEnabled = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 0
"""


def need_virtuoso() -> tuple[str, str]:
    """Return the paths of ``virtuoso-t`` and ``isql-vt``; skip without them.

    Fails instead of skipping when ``POLICYKG_REQUIRE_VIRTUOSO=1`` (CI sets it).
    """
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server is None or isql is None:
        why = "Virtuoso is not installed (apt-get install virtuoso-opensource-7)"
        if os.environ.get("POLICYKG_REQUIRE_VIRTUOSO") == "1":
            pytest.fail(f"{why} and POLICYKG_REQUIRE_VIRTUOSO=1")
        pytest.skip(why)
    return server, isql


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class VirtuosoServer:
    """``virtuoso-t`` in the foreground with its own database under ``folder``."""

    def __init__(self, folder: Path, *, start_timeout: float = 60.0) -> None:
        exe, self.isql = need_virtuoso()
        self.folder = folder
        (folder / "www").mkdir(parents=True, exist_ok=True)
        self.http_port, self.sql_port = _free_port(), _free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(_INI.format(dir=folder, sql=self.sql_port, http=self.http_port),
                       encoding="utf-8")
        self.base = f"http://127.0.0.1:{self.http_port}"
        started = time.monotonic()
        self.process = subprocess.Popen(
            [exe, "+foreground", "+configfile", str(ini)], cwd=folder,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            self._wait(start_timeout)
            self.sql("GRANT SPARQL_UPDATE TO \"SPARQL\";")
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - started

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited ({self.process.returncode}): "
                                   f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.query_url}?query=ASK%7B%7D", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"Virtuoso did not answer within {timeout:g} s: {self.log_tail()}")

    def log_tail(self) -> str:
        log = self.folder / "virtuoso.log"
        return log.read_text(errors="replace")[-1500:] if log.is_file() else ""

    def sql(self, statement: str) -> str:
        """Run one SQL statement as ``dba`` (the fresh database's default password)."""
        done = subprocess.run(
            [self.isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
            capture_output=True, text=True, timeout=30, check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt {statement!r} failed: {done.stdout}{done.stderr}")
        return done.stdout

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store_url(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # Virtuoso checkpoints and exits on SIGTERM
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
