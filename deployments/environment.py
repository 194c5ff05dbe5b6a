"""Process wiring: Prefect's environment defaults and the embedded local Prefect server.

Prefect reads its settings when it is first imported, so `prepare_environment()` runs before any
module that imports Prefect.
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
    settings = get_settings()
    external = bool(os.environ.get("PREFECT_API_URL"))
    os.environ.setdefault("PREFECT_HOME", str(settings.data_dir / "prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", "2")
    os.environ.setdefault("PREFECT_UI_SHOW_PROMOTIONAL_CONTENT", "false")
    if not external:
        os.environ["PREFECT_API_URL"] = f"http://127.0.0.1:{settings.prefect_port}/api"
    _target = PrefectTarget(os.environ["PREFECT_API_URL"], external)
    return _target


def api_healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def ui_url(target: PrefectTarget) -> str:
    configured = get_settings().ui_url
    if configured:
        return configured.rstrip("/")
    return target.api_url.removesuffix("/api")


class LocalServer:
    """`prefect server start` on SQLite in PREFECT_HOME, as a child process."""

    def __init__(self, target: PrefectTarget) -> None:
        self.target = target
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(os.environ["PREFECT_HOME"]) / "server.log"

    def start(self, timeout: float = 90.0) -> None:
        if self.target.external:
            if not api_healthy(self.target.api_url):
                raise RuntimeError(f"Prefect-server op {self.target.api_url} is niet bereikbaar")
            return
        if api_healthy(self.target.api_url):
            log.info(
                "Er draait al een Prefect-server op %s; die wordt gebruikt.", self.target.api_url
            )
            return
        port = get_settings().prefect_port
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ}
        env.pop("PREFECT_API_URL", None)  # the server itself must not point at an API
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
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
                raise RuntimeError(
                    f"Prefect-server stopte meteen (code {self.process.returncode}); "
                    f"zie {self.log_path}"
                )
            if api_healthy(self.target.api_url, timeout=1.0):
                return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(
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
