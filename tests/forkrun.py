"""Run ``python -m policykg ARGS`` (or ``python -c CODE``) in a fork of a preloaded interpreter.

The docs examples run about a hundred ``policykg`` commands; each fresh interpreter spends a
fifth of a second importing rdflib, pyoxigraph and the command line before doing anything. A
*server* (``python forkrun.py serve SOCKET``) imports those once; a *client*
(``python -I -S forkrun.py client SOCKET ARGS...``, the ``policykg`` on the examples' ``PATH``)
hands it its argv, working directory, environment and its standard input, output and error
(the file descriptors themselves), and gets back the exit status.

What the command sees is what a fresh ``python -m policykg`` sees:

- its own stdin/stdout/stderr (the very pipes or files of the client), its working directory
  (``sys.path[0]`` too) and its environment (``os.environ``, read by policykg at call time:
  nothing in ``src/`` reads it at import, and the server imports modules only, calls nothing);
- a fresh ``__main__`` (``runpy``), the default signal dispositions, and a process exit as the
  interpreter's: ``SystemExit`` codes, a traceback and 1 for an uncaught exception, non-daemon
  threads joined, ``atexit`` handlers run, stdout/stderr flushed (120 when that fails);
- an exit by signal comes back as the same signal (the client kills itself with it), and a
  signal sent to the client (``kill``, a timeout) is passed on to the command.

When the client's interpreter settings differ from the server's (``PYTHON*``, ``LANG``,
``LC_*``: read at interpreter start-up, not later) or no server answers, the client runs
the real ``python -m policykg`` instead. This file imports only the standard library at the
top: the client runs with ``-I -S`` (no site-packages) to start in milliseconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys

#: Environment variables an interpreter reads when it starts: a command whose values differ
#: from the server's cannot run in a fork of it.
STARTUP_PREFIXES = ("PYTHON", "LC_")
STARTUP_NAMES = frozenset({"LANG", "LANGUAGE"})
#: What the server imports before forking: what every policykg command imports anyway (the
#: command line, rdflib, pyoxigraph, the RDF and SPARQL helpers), measured with ``sys.modules``
#: after ``stats``, ``query``, ``describe`` and ``validate``; and the graph and its page, which
#: most of the examples' commands load, the checks, and the authoring side that ``add``,
#: ``annotate``, ``corpus`` and the extension helpers import (half a second each time)
#: (importing runs no policykg code but definitions; these read no file and no environment).
PRELOAD = (
    "policykg.apps.cli",
    "policykg.graph.kg",
    "policykg.outputs.viz",
    "policykg.checks.validate",
    "policykg.authoring.extend",
    "rdflib",
    "pyoxigraph",
    "policykg.rdf.graphio",
    "policykg.rdf.rdfwrite",
    "policykg.sparql.catalogue",
    "policykg.sparql.sparqltext",
    "policykg.core.walk",
)
_HEADER = struct.Struct("!cQ")  # mode (b"m" a module, b"c" code), payload length


def _startup_env(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k.startswith(STARTUP_PREFIXES) or k in STARTUP_NAMES}


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError("the peer closed the connection")
        data += chunk
    return bytes(data)


# -- the client ------------------------------------------------------------------------------------


def client(sock_path: str, mode: str, args: list[str]) -> None:
    """Run ``-m policykg ARGS`` (mode "m") or ``-c ARGS[0] ARGS[1:]`` (mode "c") on the server."""
    payload = json.dumps({"args": args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(sock_path)
        socket.send_fds(conn, [_HEADER.pack(mode.encode(), len(payload))], [0, 1, 2])
        conn.sendall(payload)
        answer = _recv_exact(conn, 9)
    except OSError:
        answer = b"F" + bytes(8)
    if answer[:1] == b"F":  # no server, or settings only a fresh interpreter honours
        conn.close()
        argv = ["-m", "policykg", *args] if mode == "m" else ["-c", *args]
        os.execv(sys.executable, [sys.executable, *argv])
    pid = struct.unpack("!q", answer[1:])[0]

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)
    status = struct.unpack("!q", _recv_exact(conn, 8))[0]
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    os._exit(os.waitstatus_to_exitcode(status))


# -- the server ------------------------------------------------------------------------------------


def serve(sock_path: str) -> None:
    """Import :data:`PRELOAD`, then fork a command for each client until killed."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    startup = _startup_env(dict(os.environ))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_path)
    listener.listen(64)

    def reap(_signum: int = 0, _frame: object = None) -> None:
        # reaped, not ignored: the commands' CPU time adds up in whoever waits for the server
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    return
            except ChildProcessError:
                return

    def stop(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGTERM, stop)
    try:
        _accept(listener, startup)
    finally:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        while True:  # the commands still running finish first
            try:
                os.wait()
            except ChildProcessError:
                break


def _accept(listener: socket.socket, startup: dict[str, str]) -> None:
    while True:
        conn, _ = listener.accept()
        try:
            head, fds, _flags, _addr = socket.recv_fds(conn, _HEADER.size, 3)
            if len(head) < _HEADER.size:
                head += _recv_exact(conn, _HEADER.size - len(head))
            mode, size = _HEADER.unpack(head)
            request = json.loads(_recv_exact(conn, size))
        except (OSError, EOFError, ValueError):
            conn.close()
            continue
        if os.fork() == 0:  # the monitor: forks the command, tells its pid, then its status
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            if len(fds) != 3 or _startup_env(request["env"]) != startup:
                conn.sendall(b"F" + bytes(8))
                os._exit(0)
            pid = os.fork()
            if pid == 0:
                conn.close()
                _command(mode.decode(), request, fds)  # never returns
            for fd in fds:
                os.close(fd)
            conn.sendall(b"P" + struct.pack("!q", pid))
            _, status = os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                conn.sendall(struct.pack("!q", status))
            os._exit(0)
        for fd in fds:  # the server keeps no copy: the client's pipes close when it is done
            os.close(fd)
        conn.close()


def _command(mode: str, request: dict, fds: list[int]) -> None:
    """In the forked child: become the command's process, run it, exit as the interpreter does."""
    import atexit
    import builtins
    import importlib.machinery
    import runpy
    import tempfile
    import threading
    import types

    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    tempfile.tempdir = None  # found again from TMPDIR, as a fresh interpreter would
    args = request["args"]
    main = types.ModuleType("__main__")
    main.__dict__.update(__builtins__=builtins, __annotations__={})
    sys.modules["__main__"] = main
    code = 0
    try:
        if mode == "m":  # what 'python -m' calls (a traceback shows the same frames)
            sys.argv = ["-m", *args]
            sys.path[0] = os.getcwd()
            runpy._run_module_as_main("policykg")  # type: ignore[attr-defined]
        else:
            sys.argv = ["-c", *args[1:]]
            sys.path[0] = ""
            main.__loader__ = importlib.machinery.BuiltinImporter  # type: ignore[assignment]
            exec(compile(args[0], "<string>", "exec"), main.__dict__)
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException as exc:
        tb = exc.__traceback__.tb_next if exc.__traceback__ else None  # without this frame
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)
        code = -signal.SIGINT if isinstance(exc, KeyboardInterrupt) else 1
    threading._shutdown()  # type: ignore[attr-defined]  # as the interpreter does at exit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            code = code or 120
    if code == -signal.SIGINT:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(code & 0xFF)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:  # client SOCKET MODE ARGS...
        client(sys.argv[2], sys.argv[3], sys.argv[4:])
