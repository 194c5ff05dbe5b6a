"""A flow for the preloaded engine's tests: it reports which process ran it, then waits."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from prefect import flow


@flow(name="overstap-test-proces", persist_result=False)
def probe_flow(report: str, seconds: float = 0.0) -> None:
    """Write this process's pid and parent pid to `report`, then sleep `seconds`."""
    Path(report).write_text(json.dumps({"pid": os.getpid(), "ppid": os.getppid()}))
    time.sleep(seconds)
