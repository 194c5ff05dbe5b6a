"""Correct, stop, hold and restart a trajectory: our records first, then Prefect.

The records decide (`models.cases.lifecycle`); this module adds what Prefect must do about it:
cancel the runs of a stopped trajectory (after the records say it stopped, so the clock never
mistakes them for a cancel by a person), start new runs for a restart or a new cohort, retag runs
after a correction, and the clock's task that puts a walk on hold and tells the coordinator once.
"""

from __future__ import annotations

from uuid import UUID

from prefect.client.orchestration import get_client
from sqlalchemy.exc import IntegrityError

from models.cases import lifecycle
from models.mail import notifications
from models.store.clock import now
from models.store.db import session_scope
from models.store.tables import Notification, Trajectory
from tasks.prefect_api import PrefectUnavailable, cancel_runs, clock_task, retag_runs, start_run

HELD = "geannuleerd"  # the `Notification` kind: one report per cancelled run
STOPPED_MESSAGE = "Traject gestopt met 'overstap stop'."
REPLANNED_MESSAGE = "Vervangen: het cohort is gecorrigeerd ('overstap correct')."


@clock_task
def hold_cancelled(trajectory_id: UUID, track: str, flow_run_id: UUID, reason: str) -> bool:
    """Put a walk whose run a person cancelled on hold and tell the coordinator, both once;
    False when an earlier clock run did it already (or the walk moved on)."""
    with session_scope() as session:
        if not lifecycle.hold(
            session,
            trajectory_id=trajectory_id,
            track=track,
            flow_run_id=flow_run_id,
            reason=reason,
        ):
            return False
        try:
            with session.begin_nested():
                session.add(
                    Notification(
                        trajectory_id=trajectory_id,
                        kind=HELD,
                        key=f"{track}:{flow_run_id}",
                        at=now(),
                    )
                )
        except IntegrityError:
            return True  # reported before (the same run held, restarted, cancelled again)
        row = session.get(Trajectory, trajectory_id)
        step = row.current_step if row is not None else None
        notifications.queue_run_cancelled(
            session,
            trajectory_id=trajectory_id,
            track=track,
            step=step,
            flow_run_id=flow_run_id,
        )
    return True


def _require_prefect() -> None:
    with get_client(sync_client=True) as client:
        problem = client.api_healthcheck()
    if problem is not None:
        raise PrefectUnavailable(f"Prefect is niet bereikbaar ({type(problem).__name__})")


def stop_trajectory(code: str, *, reason: str, actor: str) -> lifecycle.StopResult:
    """Withdraw a pupil: the records stop every walk, then their runs are cancelled."""
    with session_scope() as session:
        result = lifecycle.stop(session, code, reason=reason, actor=actor)
    if result.runs:
        cancel_runs(result.runs, STOPPED_MESSAGE)
    return result


def restart_trajectory(code: str, *, actor: str) -> tuple[lifecycle.Restart, dict[str, UUID]]:
    """Continue a stopped or held trajectory: a new flow run per walk, replaying its records."""
    with session_scope() as session:
        restart = lifecycle.reopen(session, code, actor=actor)
        _require_prefect()  # inside the transaction: unreachable, and nothing is changed
    started: dict[str, UUID] = {}
    for track, old in restart.walks:
        started[track] = start_run(
            restart.trajectory_id, track=track, replaces=old, reason="herstart", actor=actor
        )
    return restart, started


def correct_trajectory(
    code: str, wanted: lifecycle.Correction, *, actor: str
) -> tuple[lifecycle.CorrectionResult, UUID | None]:
    """Correct an enrolment; a new cohort gets a new run that walks the new calendar (the old one
    is cancelled after the records point at the new one), a new school or cohort new tags."""
    with session_scope() as session:
        result = lifecycle.correct(session, code, wanted, actor=actor)
        if result.replan or result.retag:
            _require_prefect()  # inside the transaction: unreachable, and nothing is changed
    new_run: UUID | None = None
    if result.replan:
        new_run = start_run(
            result.trajectory_id,
            replaces=result.old_run,
            reason="cohort gecorrigeerd",
            actor=actor,
        )
        if result.old_run is not None and result.old_run != new_run:
            cancel_runs([result.old_run], REPLANNED_MESSAGE)
    elif result.retag:
        retag_runs(result.trajectory_id)
    return result, new_run
