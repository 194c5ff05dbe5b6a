"""Prefect sees only the trajectory id and pseudonymous labels: no name, birth date or BSN."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterId,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.logging.handlers import APILogHandler
from prefect.states import Crashed

from deployments.demo import REGULIER, answer_source
from models.store.clock import today
from tests.flow.driver import drive, execute, make_pupil, run_clock_at, view_of

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]

FIRST, LAST = "Xanthippe", "Quackenbosch"


class _Records(logging.Handler):
    """Every record of the run loggers: what Prefect's API log handler ships to the server."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def run_logs() -> Iterator[_Records]:
    handler = _Records()
    loggers = [logging.getLogger(name) for name in ("prefect.flow_runs", "prefect.task_runs")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


def test_no_pupil_data_reaches_prefect(run_logs: _Records) -> None:
    """Parameters, names, tags, task runs and logs hold no name; forms show first name + initial."""
    trajectory_id = make_pupil(FIRST, LAST, cohort=2027)
    drive(trajectory_id, answer_source(REGULIER), stop_before_step=5)
    first_run = view_of(trajectory_id).trajectory.flow_run_id
    assert first_run is not None
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(first_run, Crashed(message="test"), force=True)
    run_clock_at(today())
    execute(trajectory_id)
    view = view_of(trajectory_id)
    birth = view.pupil.birth_date
    forbidden = [FIRST, LAST, birth.isoformat(), f"{birth:%d-%m-%Y}", "Quackenbosch"]
    runs = [first_run, view.trajectory.flow_run_id]
    # Prefect ships logs from a background worker: send what is queued before reading them.
    APILogHandler().flush()

    with get_client(sync_client=True) as client:
        flow_runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=runs))
        )
        assert len(flow_runs) == 2
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=runs))
        )
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=runs)))
        descriptions = [
            json.loads(
                client.read_flow_run_input(first_run, "suspended-stap-1-vaststelling-1-description")
            )
        ]
    for run in flow_runs:
        assert set(run.parameters) == {"trajectory_id"}
        assert run.name.startswith(f"{view.trajectory.code}-2027")
        assert "cohort:2027" in run.tags
    exposed = json.dumps(
        {
            "flow_runs": [
                {"name": r.name, "tags": r.tags, "parameters": r.parameters, "labels": r.labels}
                for r in flow_runs
            ],
            "task_runs": [{"name": t.name, "tags": t.tags} for t in task_runs],
            # The server's copy arrives from a background worker, maybe not all yet: the records
            # the run loggers made are checked too, and they are what it ships.
            "logs": [log.message for log in logs] + run_logs.messages,
        },
        default=str,
    )
    assert len(run_logs.messages) > 10
    assert len(task_runs) > 10
    for text in forbidden:
        assert text not in exposed, text
    # The form may say who the pupil is to the intaker: first name and initial only.
    assert f"{FIRST} Q\\." in descriptions[0]
    for text in (LAST, birth.isoformat()):
        assert text not in descriptions[0]
