"""The preloaded engine: every flow run starts as a fork of one process that imported it all.

Prefect starts each flow run, and so each resume of a waiting pupil, as a new `python -m
prefect.engine` process, which imports Prefect, SQLAlchemy and Overstap before it reads one
record: about 1.5 CPU seconds on a 2-CPU machine, more than the walk itself (`make bench`). The
preloaded engine imports them once. `overstap up` and `overstap worker` start it beside their
runner or worker, and their flow runs start with `overstap-engine` (`deployments.launch`), which
asks this process to fork: the child takes the launcher's environment, working folder and
standard streams and runs Prefect's own engine main (`prefect.engine` as `__main__`), so what
runs is exactly what `python -m prefect.engine` runs, minus the imports.

The server imports modules only: no database connection, Prefect client, thread or event loop
exists before a fork (`serve` checks there is one thread). It reaps its children and reports each
exit code to its launcher; a launcher that disappears (SIGKILL) takes its flow process with it.
`OVERSTAP_PRELOAD=0` turns it off (flow runs then start as plain `python -m prefect.engine`).
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from deployments.launch import FORWARDED, SOCKET_ENV
from models.settings import get_settings

logger = logging.getLogger("overstap.engine")

# What a flow process needs: Prefect's engine and the flows' modules (and so all of Overstap's
# models they import). Imported once, here, before the first fork.
PRELOAD = (
    "prefect.engine",
    "prefect.flow_engine",
    "prefect._internal.metrics",
    "prefect.input.run_input",
    "flows.trajectory",
    "flows.clock",
    "flows.mail",
)


DRAIN_SECONDS = 30  # after a stop: how long running flow processes may take to end


def preload() -> None:
    import importlib

    for module in PRELOAD:
        importlib.import_module(module)


@dataclass
class _Request:
    connection: socket.socket
    pid: int = 0
    buffer: bytes = b""
    fds: list[int] = field(default_factory=list)


def _receive(connection: socket.socket) -> tuple[dict[str, object], list[int]] | None:
    """The launcher's body and descriptors; None when it sent something else."""
    header, fds, _flags, _addr = socket.recv_fds(connection, 8, 3)
    if len(header) != 8 or len(fds) != 3:
        for fd in fds:
            os.close(fd)
        return None
    (length,) = struct.unpack("!Q", header)
    body = b""
    while len(body) < length:
        chunk = connection.recv(min(65536, length - len(body)))
        if not chunk:
            for fd in fds:
                os.close(fd)
            return None
        body += chunk
    return json.loads(body), fds


def _run_child(request: dict[str, object], fds: list[int], go: int) -> int:
    """In the forked child: become the flow process the launcher stands for; its exit code.

    Signals were blocked across the fork: they are delivered once the child's own handlers are
    in place. The child waits for `go`, written once its launcher knows its pid; when the server
    died before that, the launcher starts the run itself, so this child must not."""
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setpgid(0, 0)  # signals come through the launcher only, not twice from a terminal
    signal.pthread_sigmask(signal.SIG_UNBLOCK, FORWARDED)
    if os.read(go, 1) != b"1":
        return 0
    os.close(go)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    env = request["env"]
    assert isinstance(env, dict)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in env.items()})
    os.chdir(str(request["cwd"]))
    sys.argv = [sys.argv[0]]  # the engine reads the flow run id from PREFECT__FLOW_RUN_ID
    import random
    import runpy
    import warnings

    from prefect.context import (
        SettingsContext,
        get_settings_context,
        refresh_global_settings_context,
    )
    from prefect.logging.configuration import setup_logging
    from prefect.settings import Settings

    from models.settings import reset_settings
    from models.store.db import forget_engines_after_fork

    random.seed()
    reset_settings()
    forget_engines_after_fork()
    refresh_global_settings_context()  # Prefect's global settings, read from this environment
    code = 0
    try:
        # Settings as a new process would read them from this environment.
        with (
            SettingsContext(profile=get_settings_context().profile, settings=Settings()),
            warnings.catch_warnings(),
        ):
            # runpy warns that prefect.engine is imported already: here, that is the point.
            warnings.filterwarnings("ignore", message=".*found in sys.modules.*")
            setup_logging(incremental=False)
            runpy.run_module("prefect.engine", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        if isinstance(exc.code, int):
            code = exc.code if 0 <= exc.code <= 255 else 1
        elif exc.code is not None:
            print(exc.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:
        code = 128 + signal.SIGINT
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    return code


def _child(
    request: dict[str, object], fds: list[int], go: int, inherited: list[socket.socket]
) -> None:
    """The forked child's whole life: never returns into the server's loop."""
    code = 1
    try:
        for sock in inherited:  # the server's listener and its other launchers' connections
            sock.close()
        code = _run_child(request, fds, go)
    finally:
        import atexit

        # What an interpreter does when it exits: join the threads and run the drains Prefect
        # registered with threading (its events), then the atexit handlers (its logs).
        with contextlib.suppress(BaseException):
            threading._shutdown()  # type: ignore[attr-defined]
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _exit_code(status: int) -> int:
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def serve(path: Path, ready: threading.Event | None = None) -> None:
    """Accept launchers on the Unix socket `path` until SIGTERM or SIGINT, or until the runner
    or worker that started it has gone; then wait (at most `DRAIN_SECONDS`) for the flow
    processes still running, so their launchers learn their exit codes."""
    parent = os.getppid()
    preload()
    gc.collect()
    gc.freeze()  # the children share the imported modules' pages instead of copying them
    if threading.active_count() != 1:
        raise RuntimeError("de voorgeladen engine mag geen threads hebben voordat hij forkt")
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(64)
    listener.setblocking(False)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    requests: dict[int, _Request] = {}  # by pid of the flow process
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if ready is not None:
        ready.set()
    print(f"Voorgeladen engine luistert op {path}", flush=True)
    try:
        while not stopping and os.getppid() == parent:  # ends with its runner or worker
            for key, _events in selector.select(timeout=0.1):
                if key.fileobj is listener:
                    _accept(listener, selector, requests)
                else:
                    _launcher_event(key.data, selector)
            _reap(requests, selector)
        selector.unregister(listener)
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        deadline = time.monotonic() + DRAIN_SECONDS
        while requests and time.monotonic() < deadline:
            for key, _events in selector.select(timeout=0.1):
                _launcher_event(key.data, selector)
            _reap(requests, selector)
    finally:
        selector.close()
        listener.close()
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _accept(
    listener: socket.socket, selector: selectors.BaseSelector, requests: dict[int, _Request]
) -> None:
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return
    connection.setblocking(True)
    connection.settimeout(10)
    try:
        received = _receive(connection)
    except (OSError, ValueError):
        received = None
    if received is None:
        connection.close()
        return
    request, fds = received
    go_read, go_write = os.pipe()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, FORWARDED)
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:
        os.close(go_write)
        selector.close()
        others = [r.connection for r in requests.values()]
        _child(request, fds, go_read, [listener, connection, *others])
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    os.close(go_read)
    for fd in fds:
        os.close(fd)
    if pid < 0:  # no fork: the launcher sees the connection close and starts the run itself
        os.close(go_write)
        connection.close()
        return
    try:
        connection.sendall(f"pid {pid}\n".encode())
        os.write(go_write, b"1")
    except OSError:
        pass  # the launcher is gone already: the child reads no go and ends
    os.close(go_write)
    entry = _Request(connection, pid)
    requests[pid] = entry
    connection.setblocking(False)
    selector.register(connection, selectors.EVENT_READ, entry)


def _launcher_event(entry: _Request, selector: selectors.BaseSelector) -> None:
    """The launcher never writes after its request: readable means it went away."""
    try:
        data = entry.connection.recv(64)
    except BlockingIOError:
        return
    except OSError:
        data = b""
    if not data and entry.pid:
        with contextlib.suppress(ProcessLookupError):
            os.kill(entry.pid, signal.SIGKILL)
        selector.unregister(entry.connection)
        entry.pid = -entry.pid  # reaped later; nobody to tell


def _reap(requests: dict[int, _Request], selector: selectors.BaseSelector) -> None:
    while requests:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        entry = requests.pop(pid, None)
        if entry is None:
            continue
        if entry.pid > 0:
            with contextlib.suppress(OSError):
                selector.unregister(entry.connection)
            with contextlib.suppress(OSError):
                entry.connection.setblocking(True)
                entry.connection.sendall(f"exit {_exit_code(status)}\n".encode())
        entry.connection.close()


def launcher() -> Path | None:
    """The `overstap-engine` script beside this Python, if installed."""
    script = Path(sys.executable).parent / "overstap-engine"
    return script if script.exists() else None


def start_preloaded_engine() -> subprocess.Popen[bytes] | None:
    """Start the preloaded engine for this process's runner or worker, and point the flow runs
    it starts at it (`OVERSTAP_ENGINE_SOCKET`); None when it is off or did not start (then flow
    runs start as plain `python -m prefect.engine`)."""
    if not get_settings().preload or launcher() is None:
        return None
    path = socket_path()
    process = subprocess.Popen([sys.executable, "-m", "deployments.engine", str(path)])
    deadline = time.monotonic() + 120
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            logger.warning("De voorgeladen engine startte niet; flow runs starten zonder.")
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            return None
        time.sleep(0.1)
    os.environ[SOCKET_ENV] = str(path)
    return process


def stop_preloaded_engine(process: subprocess.Popen[bytes] | None) -> None:
    if process is None:
        return
    path = os.environ.pop(SOCKET_ENV, None)
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=DRAIN_SECONDS + 10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if path and Path(path).parent.name.startswith("overstap-engine-"):
        shutil.rmtree(Path(path).parent, ignore_errors=True)


def socket_path() -> Path:
    """A fresh, short path for the socket (a Unix socket path holds at most 107 bytes)."""
    return Path(tempfile.mkdtemp(prefix="overstap-engine-")) / "engine.sock"


def main() -> None:
    """`python -m deployments.engine PATH`: serve launchers on PATH."""
    serve(Path(sys.argv[1]))


if __name__ == "__main__":
    main()
