"""`overstap up` on this machine as an operator starts it, for e2e tests and `make screenshots`.

Each run gets its own data folder, Prefect home and free port; the clock is a simulation, so
`overstap tick --today` moves it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

OVERSTAP = str(Path(sys.executable).parent / "overstap")
ROOT = Path(__file__).resolve().parents[2]
DEMO_SCHOOLS = ROOT / "deployments" / "demo_data" / "scholen.csv"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def up_environment(folder: Path) -> dict[str, str]:
    """The environment of an `overstap up` whose state lives in `folder` (data/, prefect/)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_", "OVERSTAP_"))
    }
    environment.update(
        OVERSTAP_DATA_DIR=str(folder / "data"),
        OVERSTAP_DATABASE_URL=f"sqlite:///{folder / 'data' / 'overstap.db'}",
        OVERSTAP_PREFECT_PORT=str(free_port()),
        OVERSTAP_SIMULATION="1",
        OVERSTAP_RUNNER_LIMIT="6",
        PREFECT_HOME=str(folder / "prefect"),
        PREFECT_RUNNER_POLL_FREQUENCY="1",
    )
    return environment


def cli(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [OVERSTAP, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"overstap {' '.join(args)}: {result.stdout}\n{result.stderr}")
    return result


def status(env: dict[str, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(cli(env, "status", "--json").stdout)
    return rows


def wait_until(predicate: Callable[[], Any], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(2)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def overstap_up(env: dict[str, str], log_path: Path) -> Iterator[psutil.Process]:
    """`overstap up` until it says it runs; Ctrl-C (SIGINT) at the end, as an operator stops it."""
    log = log_path.open("wb")
    process = subprocess.Popen(
        [OVERSTAP, "up"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_until(lambda: b"Overstap draait" in log_path.read_bytes(), 120, "overstap up")
        yield psutil.Process(process.pid)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()
