"""The preloaded engine (deployments/engine.py): flow runs start as forks of one process.

Real parts only: a real Prefect server, the real `overstap-engine` launcher and engine process, the
runs' records on the test's SQLite file. What a user relies on: a pupil's run walks the same way
when forked; the launcher stands for the flow process (its exit code, SIGTERM passed on, a
SIGKILL takes the flow process along); without an engine the launcher is plain Prefect.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.types.entrypoint import EntrypointType

from deployments.engine import start_preloaded_engine, stop_preloaded_engine
from deployments.launch import SOCKET_ENV
from models.enums import WaitingFor
from tests.flow.driver import asking, flow_run_state, make_pupil, spawn_engine, view_of
from tests.flow.probe_flow import probe_flow

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]


@pytest.fixture
def engine() -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    process = start_preloaded_engine()
    assert process is not None, "the preloaded engine did not start"
    path = Path(os.environ[SOCKET_ENV])
    yield process, path
    stop_preloaded_engine(process)
    assert process.returncode is not None
    assert not path.parent.exists(), "the engine's socket and its folder are removed"


def _probe_run(seconds: float, report: Path) -> UUID:
    deployment_id = probe_flow.to_deployment(
        name="proef", entrypoint_type=EntrypointType.MODULE_PATH
    ).apply()
    with get_client(sync_client=True) as client:
        run = client.create_flow_run_from_deployment(
            deployment_id, parameters={"report": str(report), "seconds": seconds}
        )
    return run.id


def _report(path: Path, timeout: float = 60) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return dict(json.loads(path.read_text()))
        time.sleep(0.05)
    raise AssertionError("the probe flow never ran")


def _launch_sleeping(socket: Path, tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A launcher whose flow process sleeps two minutes, and that process's pid once it runs."""
    run_id = _probe_run(120.0, tmp_path / "report.json")
    launched = spawn_engine(run_id, engine_socket=socket)
    return launched, _report(tmp_path / "report.json")["pid"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_a_pupils_run_walks_in_a_fork_of_the_engine(
    engine: tuple[subprocess.Popen[bytes], Path],
) -> None:
    _, path = engine
    trajectory_id = make_pupil()
    run_id = view_of(trajectory_id).trajectory.flow_run_id
    assert run_id is not None
    launched = spawn_engine(run_id, engine_socket=path)
    output = launched.communicate(timeout=300)[0].decode()
    assert launched.returncode == 0, output
    assert flow_run_state(run_id) == StateType.PAUSED
    view = view_of(trajectory_id)
    assert view.trajectory.waiting_for == WaitingFor.ANSWER
    assert [(a.step, a.question) for a in asking(trajectory_id)] == [
        (view.trajectory.current_step, view.trajectory.current_question)
    ]


def test_the_flow_process_is_the_engines_child_and_the_launcher_waits_for_it(
    engine: tuple[subprocess.Popen[bytes], Path], tmp_path: Path
) -> None:
    process, path = engine
    run_id = _probe_run(0.0, tmp_path / "report.json")
    launched = spawn_engine(run_id, engine_socket=path)
    output = launched.communicate(timeout=300)[0].decode()
    assert launched.returncode == 0, output
    report = _report(tmp_path / "report.json")
    assert report["ppid"] == process.pid
    assert report["pid"] != launched.pid
    assert flow_run_state(run_id) == StateType.COMPLETED


def test_sigterm_to_the_launcher_reaches_the_flow_process(
    engine: tuple[subprocess.Popen[bytes], Path], tmp_path: Path
) -> None:
    launched, flow_pid = _launch_sleeping(engine[1], tmp_path)
    launched.send_signal(signal.SIGTERM)
    launched.communicate(timeout=60)
    assert launched.returncode != 0  # the flow process did not finish its work
    assert _gone_within(flow_pid, 30)


def test_a_killed_launcher_takes_its_flow_process_along(
    engine: tuple[subprocess.Popen[bytes], Path], tmp_path: Path
) -> None:
    process, path = engine
    launched, flow_pid = _launch_sleeping(path, tmp_path)
    launched.kill()
    launched.wait(timeout=10)
    assert _gone_within(flow_pid, 30)
    assert process.poll() is None  # the engine serves on


def test_a_stopped_engine_lets_its_running_flow_processes_finish(
    engine: tuple[subprocess.Popen[bytes], Path], tmp_path: Path
) -> None:
    """`overstap up` or a worker stopping: the flow process in hand ends its work, and its
    launcher still learns the exit code."""
    process, path = engine
    run_id = _probe_run(3.0, tmp_path / "report.json")
    launched = spawn_engine(run_id, engine_socket=path)
    _report(tmp_path / "report.json")
    process.terminate()
    output = launched.communicate(timeout=120)[0].decode()
    assert launched.returncode == 0, output
    assert flow_run_state(run_id) == StateType.COMPLETED
    assert process.wait(timeout=60) == 0


def test_without_an_engine_the_launcher_is_plain_prefect(tmp_path: Path) -> None:
    run_id = _probe_run(0.0, tmp_path / "report.json")
    launched = spawn_engine(run_id, engine_socket=tmp_path / "nobody-listens.sock")
    output = launched.communicate(timeout=300)[0].decode()
    assert launched.returncode == 0, output
    assert _report(tmp_path / "report.json")["pid"] == launched.pid  # it became the engine
    assert flow_run_state(run_id) == StateType.COMPLETED


def test_the_runner_of_overstap_up_starts_its_runs_with_the_launcher(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Prefect's own starter builds the command (its `run_process` is the documented place to
    look): after `start_runner_runs_with`, the executable is ours."""
    import anyio
    from prefect.client.schemas.objects import FlowRun
    from prefect.runner import _starter_engine

    from tasks.prefect_internals import start_runner_runs_with

    commands: list[list[str]] = []

    async def run_process(command: list[str], **_: object) -> None:
        commands.append(command)

    monkeypatch.setattr(_starter_engine, "run_process", run_process)
    # Restored after the test: the runner of this test process stays Prefect's.
    monkeypatch.setattr(_starter_engine, "get_sys_executable", _starter_engine.get_sys_executable)
    start_runner_runs_with("/opt/overstap/bin/overstap-engine")
    starter = _starter_engine.EngineCommandStarter()
    anyio.run(starter.start, FlowRun(flow_id=uuid4(), name="proef"))
    assert commands == [["/opt/overstap/bin/overstap-engine", "-m", "prefect.engine"]]
