"""Process wiring: Prefect's environment, the Prefect server we start, and who may reach it.

Prefect reads its settings when it is first imported, so `prepare_environment()` runs before any
module that imports Prefect. It also exports our own settings (the data folder as an absolute
path, what `.env` holds) so that every flow process a runner or worker starts, in whatever working
folder, sees the same installation.

Nothing is open by default: a Prefect server on an address other than loopback is refused unless
`PREFECT_SERVER_API_AUTH_STRING` is set; clients (the CLI, workers, flow runs, the clock) then send
it as `PREFECT_API_AUTH_STRING`, which is set from it when the operator did not set both.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from dotenv import dotenv_values

from models.settings import get_settings

log = logging.getLogger("overstap")


@dataclass(frozen=True)
class PrefectTarget:
    api_url: str
    external: bool  # PREFECT_API_URL was given: never start a server of our own


_target: PrefectTarget | None = None


def prepare_environment() -> PrefectTarget:
    """Set Prefect's defaults (unless the operator set them); return where its API is."""
    global _target
    if _target is not None:
        return _target
    for key, value in dotenv_values(".env").items():
        if value is not None:
            os.environ.setdefault(key, value)
    settings = get_settings()
    os.environ.setdefault("OVERSTAP_DATA_DIR", str(settings.data_dir.resolve()))
    external = bool(os.environ.get("PREFECT_API_URL"))
    os.environ.setdefault("PREFECT_HOME", str(settings.data_dir.resolve() / "prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", "2")
    os.environ.setdefault("PREFECT_WORKER_QUERY_SECONDS", "2")
    os.environ.setdefault("PREFECT_UI_SHOW_PROMOTIONAL_CONTENT", "false")
    server_auth = os.environ.get("PREFECT_SERVER_API_AUTH_STRING")
    if server_auth:
        os.environ.setdefault("PREFECT_API_AUTH_STRING", server_auth)
    if not external:
        os.environ["PREFECT_API_URL"] = f"http://127.0.0.1:{settings.prefect_port}/api"
    _target = PrefectTarget(os.environ["PREFECT_API_URL"], external)
    return _target


LOOPBACK = ("127.0.0.1", "::1", "localhost")


class PrefectServerError(RuntimeError):
    """The Prefect server could not be started or reached; the message says where to look."""


class UnsafeServerAddress(ValueError):
    """A Prefect server would listen on a network address without an auth string."""


def check_server_address(host: str) -> None:
    """Refuse to serve Prefect's API and UI beyond this machine without authentication."""
    if host in LOOPBACK or host.startswith("127."):
        return
    if not os.environ.get("PREFECT_SERVER_API_AUTH_STRING"):
        raise UnsafeServerAddress(
            f"de Prefect-server zou op {host} luisteren, voor iedereen die dat adres bereikt, "
            "zonder wachtwoord: de UI toont namen en antwoorden. Zet eerst "
            "PREFECT_SERVER_API_AUTH_STRING (en zet een reverse proxy met TLS en persoonlijke "
            "accounts ervoor: docs/production.md), of gebruik 127.0.0.1."
        )


def _auth_headers() -> dict[str, str]:
    """What a client sends when the server has an auth string (Prefect's basic auth)."""
    secret = os.environ.get("PREFECT_API_AUTH_STRING")
    if not secret:
        return {}
    import base64

    return {"Authorization": "Basic " + base64.b64encode(secret.encode()).decode()}


def api_healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        response = httpx.get(f"{api_url}/health", timeout=timeout, headers=_auth_headers())
        return response.status_code == 200
    except httpx.HTTPError:
        return False


def server_environment() -> dict[str, str]:
    """The environment of a Prefect server we start: our retention on top of the operator's.

    Prefect's database vacuum deletes flow runs that ended `OVERSTAP_PREFECT_RUN_RETENTION_DAYS`
    ago (a finished pupil's runs, the clock's and the sender's runs) and events after Prefect's
    own event retention; a suspended pupil's run has not ended and is never touched.
    """
    settings = get_settings()
    env = {**os.environ}
    env.pop("PREFECT_API_URL", None)  # the server itself must not point at an API
    env.setdefault("PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED", "events,flow_runs")
    env.setdefault(
        "PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD",
        f"P{settings.prefect_run_retention_days}D",  # ISO 8601 durations
    )
    env.setdefault(
        "PREFECT_SERVER_EVENTS_RETENTION_PERIOD", f"P{settings.prefect_event_retention_days}D"
    )
    # Prefect marks a run that has not started 15 s after its start time Late, one write each. In
    # a burst (1,000 pupils enrolled at once) hundreds of runs wait for a free runner slot for
    # minutes; on SQLite those writes and their retries on "database is locked" took half the
    # server's CPU (profiled during bench/burst.py). Late now means: not started within the
    # hour, a runner or worker that is down, not a busy one.
    env.setdefault("PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS", str(LATE_AFTER_SECONDS))
    return env


LATE_AFTER_SECONDS = 3600


def ui_url(target: PrefectTarget) -> str:
    configured = get_settings().ui_url
    if configured:
        return configured.rstrip("/")
    return target.api_url.removesuffix("/api")


class LocalServer:
    """`prefect server start` (SQLite in PREFECT_HOME, unless the operator set a database), as a
    child process."""

    def __init__(self, target: PrefectTarget, host: str = "127.0.0.1") -> None:
        check_server_address(host)
        self.host = host
        self.target = target
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(os.environ["PREFECT_HOME"]) / "server.log"

    def start(self, timeout: float = 90.0) -> None:
        if self.target.external:
            if not api_healthy(self.target.api_url):
                raise PrefectServerError(
                    f"Prefect-server op {self.target.api_url} is niet bereikbaar"
                )
            return
        if api_healthy(self.target.api_url):
            log.info(
                "Er draait al een Prefect-server op %s; die wordt gebruikt.", self.target.api_url
            )
            return
        port = get_settings().prefect_port
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = server_environment()
        # The UI finds its API at the server's own port only through this setting (`--port`
        # alone leaves the browser asking port 4200).
        env["PREFECT_SERVER_API_PORT"] = str(port)
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "server",
                    "start",
                    "--host",
                    self.host,
                    "--port",
                    str(port),
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # Ctrl-C reaches us; we stop the server ourselves
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PrefectServerError(
                    f"Prefect-server stopte meteen (code {self.process.returncode}); "
                    f"zie {self.log_path}"
                )
            if api_healthy(self.target.api_url, timeout=1.0):
                return
            time.sleep(0.5)
        self.stop()
        raise PrefectServerError(
            f"Prefect-server startte niet binnen {timeout:.0f} s; zie {self.log_path}"
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
