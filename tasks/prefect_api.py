"""Calls to the Prefect API: start, wake, inspect and repair trajectory flow runs.

Plain functions for the CLI, and tasks around them for the clock flow. Prefect only ever sees a
trajectory's id as parameter; run names and tags carry the pseudonymous code, the cohort, the PO
school's BRIN and the route.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.exceptions import ObjectNotFound
from prefect.flow_runs import resume_flow_run
from prefect.input.actions import read_flow_run_input
from prefect.states import Crashed

from models import trajectories
from models.db import session_scope
from models.tables import Trajectory, WaitingFor

TRAJECTORY_FLOW = "overstap-traject"
TRAJECTORY_DEPLOYMENT = "traject"
CLOCK_FLOW = "overstap-klok"
CLOCK_DEPLOYMENT = "dagelijks"


class PrefectUnavailable(RuntimeError):
    """Prefect's API could not be reached or refused the request."""


def run_name(trajectory: Trajectory) -> str:
    return f"{trajectory.code}-{trajectory.cohort}"


def run_tags(trajectory: Trajectory, po_brin: str | None) -> list[str]:
    tags = ["overstap", f"cohort:{trajectory.cohort}", f"route:{trajectory.route}"]
    if po_brin:
        tags.append(f"po:{po_brin}")
    return tags


def _idempotency_key(trajectory_id: UUID, replaces: UUID | None) -> str:
    # Two clocks repairing the same crashed run get the same new run back from Prefect.
    return f"{trajectory_id}:{replaces or 'start'}"


def start_trajectory_run(
    trajectory_id: UUID, *, replaces: UUID | None, reason: str, actor: str
) -> UUID:
    """Create the flow run that drives a trajectory (first, or replacing `replaces`)."""
    with session_scope() as session:
        view = trajectories.load_view(session, trajectory_id)
        if view is None:
            raise LookupError(f"traject {trajectory_id} bestaat niet")
        name, tags = run_name(view.trajectory), run_tags(view.trajectory, view.po_school.brin)
    try:
        with get_client(sync_client=True) as client:
            deployment = client.read_deployment_by_name(
                f"{TRAJECTORY_FLOW}/{TRAJECTORY_DEPLOYMENT}"
            )
            run = client.create_flow_run_from_deployment(
                deployment.id,
                parameters={"trajectory_id": str(trajectory_id)},
                name=name,
                tags=tags,
                idempotency_key=_idempotency_key(trajectory_id, replaces),
            )
    except ObjectNotFound as exc:
        raise PrefectUnavailable(
            "de deployment overstap-traject/traject bestaat niet; start 'overstap up'"
        ) from exc
    with session_scope() as session:
        claimed = trajectories.set_flow_run(
            session,
            trajectory_id=trajectory_id,
            flow_run_id=run.id,
            expected=replaces,
            reason=reason,
            actor=actor,
        )
    if not claimed:
        # Someone else pointed the trajectory at another run meanwhile: ours must not act.
        with get_client(sync_client=True) as client:
            client.delete_flow_run(run.id)
        with session_scope() as session:
            current = session.get(Trajectory, trajectory_id)
            assert current is not None
            assert current.flow_run_id is not None
            return current.flow_run_id
    return run.id


def read_flow_runs(ids: Iterable[UUID]) -> dict[UUID, FlowRun]:
    """The flow runs with these ids that still exist, read in pages."""
    wanted = list(dict.fromkeys(ids))
    found: dict[UUID, FlowRun] = {}
    with get_client(sync_client=True) as client:
        for start in range(0, len(wanted), 200):
            page = wanted[start : start + 200]
            runs = client.read_flow_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=page)), limit=len(page)
            )
            found.update({run.id: run for run in runs})
    return found


def resume_with_answer(flow_run_id: UUID, run_input: dict[str, Any]) -> None:
    """Resume a suspended run with a form answer, exactly as the Prefect UI does."""
    try:
        resume_flow_run(flow_run_id, run_input=run_input)
    except RuntimeError as exc:
        raise PrefectUnavailable(f"Prefect weigerde het antwoord: {exc}") from exc


@dataclass(frozen=True)
class ClockAction:
    kind: str  # "wake", "repair", "stop", "none"
    reason: str = ""


def decide(
    trajectory: Trajectory,
    run: FlowRun | None,
    *,
    today: Any,
    now_utc: datetime,
    stuck_after_minutes: int,
) -> ClockAction:
    """What the clock does for one active trajectory, given its flow run (None: vanished)."""
    if trajectory.flow_run_id is None:
        return ClockAction("repair", "nog geen flow run")
    if run is None or run.state is None:
        return ClockAction("repair", "flow run verdwenen")
    state = run.state.type
    if state in (StateType.CRASHED, StateType.FAILED):
        return ClockAction("repair", f"flow run {state.value.lower()}")
    if state == StateType.COMPLETED:
        return ClockAction("repair", "flow run beëindigd terwijl het traject loopt")
    if state == StateType.CANCELLED:
        return ClockAction("stop", "flow run geannuleerd in Prefect")
    if state == StateType.RUNNING:
        started = run.state.timestamp
        if started is not None and (now_utc - started).total_seconds() > stuck_after_minutes * 60:
            return ClockAction(
                "repair", f"flow run draait langer dan {stuck_after_minutes} minuten"
            )
        return ClockAction("none")
    if (
        state == StateType.PAUSED
        and trajectory.waiting_for == WaitingFor.DATE
        and trajectory.wait_until is not None
        and trajectory.wait_until <= today
    ):
        return ClockAction("wake", f"datum {trajectory.wait_until.isoformat()} bereikt")
    return ClockAction("none")


clock_task = task(cache_policy=NO_CACHE, persist_result=False, retries=2, retry_delay_seconds=5)


@clock_task
def wake_trajectory(trajectory_id: UUID, flow_run_id: UUID) -> bool:
    """Resume a run that waited for a date that has come; False when it was no longer paused."""
    try:
        resume_flow_run(flow_run_id)
    except (RuntimeError, ValueError) as exc:
        get_run_logger().info("Flow run %s niet hervat: %s", flow_run_id, exc)
        return False
    return True


def harvest_answer(trajectory: Trajectory, old_run_id: UUID) -> bool:
    """Record an answer the old run received but never recorded (it crashed after resume)."""
    if trajectory.waiting_for != WaitingFor.ANSWER or not trajectory.pause_key:
        return False
    parsed = trajectories.parse_pause_key(trajectory.pause_key)
    if parsed is None:
        return False
    step, question, attempt = parsed
    try:
        value = read_flow_run_input(
            f"suspended-{trajectory.pause_key}-response", flow_run_id=old_run_id
        )
    except ObjectNotFound:
        return False
    if not isinstance(value, dict):
        return False
    with session_scope() as session:
        trajectories.record_answer(
            session,
            trajectory_id=trajectory.id,
            step=step,
            question=question,
            attempt=attempt,
            raw=value,
            flow_run_id=old_run_id,
        )
    return True


@clock_task
def repair_trajectory(trajectory_id: UUID, reason: str) -> UUID:
    """Start a new run that continues from the records; keep an answer the old run received."""
    logger = get_run_logger()
    with session_scope() as session:
        trajectory = session.get(Trajectory, trajectory_id)
        assert trajectory is not None
    old = trajectory.flow_run_id
    if old is not None:
        with get_client(sync_client=True) as client:
            try:
                run = client.read_flow_run(old)
                if run.state is not None and run.state.type == StateType.RUNNING:
                    client.set_flow_run_state(
                        old, Crashed(message=f"Overstap-klok: {reason}"), force=True
                    )
            except ObjectNotFound:
                pass
        if harvest_answer(trajectory, old):
            logger.info("Traject %s: antwoord uit de vorige flow run vastgelegd", trajectory.code)
    new = start_trajectory_run(trajectory_id, replaces=old, reason=reason, actor="klok")
    logger.info("Traject %s hersteld (%s): nieuwe flow run %s", trajectory.code, reason, new)
    return new


@clock_task
def stop_cancelled(trajectory_id: UUID, reason: str) -> None:
    """Mark a trajectory stopped because its run was cancelled in Prefect."""
    with session_scope() as session:
        trajectories.end_trajectory(
            session, trajectory_id=trajectory_id, stopped=True, reason=reason
        )
