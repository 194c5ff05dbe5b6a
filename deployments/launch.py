"""`overstap-engine`: start a flow run as a fork of the preloaded engine (`deployments.engine`).

The runner of `overstap up` and the process workers of `overstap worker` start this instead of
`python -m prefect.engine`. It imports nothing but the standard library (a few milliseconds), hands
its environment, working folder and standard streams to the preloaded engine over the Unix socket
in `OVERSTAP_ENGINE_SOCKET`, and then stands in for the flow process: SIGTERM and SIGINT are passed
on to it, and it exits with its exit code. When no preloaded engine answers, it becomes
`python -m prefect.engine` itself, so a flow run always starts.

Protocol (one connection per flow run): the launcher sends 8 bytes with the length of a JSON body
together with its descriptors 0, 1 and 2 (SCM_RIGHTS), then the body ({"env", "cwd"}); the
engine answers `pid N` when the flow process runs and `exit N` when it has ended. If the launcher
goes away first (SIGKILL), the engine kills the flow process: as if it had been killed itself.
The flow process has a process group of its own, so a signal reaches it once, through here. If
the engine goes away before it said `pid`, no fork runs (it waits for a go the engine writes
after `pid`) and the launcher starts the run itself; after `pid` but without `exit`, the launcher
waits for the flow process and exits 1 (how it ended is unknown).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys
import time

SOCKET_ENV = "OVERSTAP_ENGINE_SOCKET"
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _plain_engine() -> None:
    """Become `python -m prefect.engine` (same process, same pid, same environment)."""
    os.execv(sys.executable, [sys.executable, "-m", "prefect.engine"])


def _connect(path: str) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        return None
    return connection


def _lines(connection: socket.socket) -> tuple[list[str], bool]:
    """The complete lines received so far; False once the engine closed the connection."""
    data = b""
    while True:
        try:
            chunk = connection.recv(64)
        except InterruptedError:
            continue
        except OSError:  # reset: the engine went away
            chunk = b""
        if not chunk:
            return data.decode().splitlines(), False
        data += chunk
        if data.endswith(b"\n"):
            return data.decode().splitlines(), True


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def main() -> None:
    child = 0
    pending: list[int] = []  # signals that came before the flow process did

    def forward(signum: int, _frame: object) -> None:
        if not child:
            pending.append(signum)
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signum)

    def start_here() -> None:
        """No fork runs this flow run: run it in this process (unless told to stop already)."""
        if pending:
            sys.exit(128 + pending[0])
        _plain_engine()

    for forwarded in FORWARDED:
        signal.signal(forwarded, forward)
    path = os.environ.get(SOCKET_ENV)
    connection = _connect(path) if path else None
    if connection is None:
        start_here()
        return
    body = json.dumps({"env": dict(os.environ), "cwd": os.getcwd()}).encode()
    try:
        socket.send_fds(connection, [struct.pack("!Q", len(body))], [0, 1, 2])
        connection.sendall(body)
    except OSError:
        connection.close()
        start_here()
        return
    while True:
        lines, open_ = _lines(connection)
        for line in lines:
            word, _, number = line.partition(" ")
            if word == "pid":
                child = int(number)
                for early in pending:
                    forward(early, None)
            elif word == "exit":
                sys.exit(int(number))
        if not open_:
            break
    if child == 0:
        # The engine went away before it said a pid: its child (if any) got no go and ends.
        start_here()
        return
    # The engine went away without an exit code: wait for the flow process, and say that we
    # do not know how it ended.
    while not _gone(child):
        time.sleep(0.5)
    sys.exit(1)


if __name__ == "__main__":
    main()
