"""Tasks that write a trajectory's records: each one a small, idempotent side effect."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from models import notifications, records
from models.db import session_scope
from models.plan import get_plan
from tasks.taskdefs import idempotent_task


@idempotent_task("stap-{step}-wacht")
def record_wait(trajectory_id: UUID, step: int, until: date, due: date, track: str) -> str:
    """Record that a track waits until a step's window opens; return the pause key."""
    with session_scope() as session:
        return records.record_wait(
            session, trajectory_id=trajectory_id, step=step, until=until, due=due, track=track
        )


@idempotent_task("stap-{step}-wacht-op-{track}")
def record_track_wait(trajectory_id: UUID, step: int, track: str) -> str:
    """Record that the main walk waits for a parallel track; return the pause key."""
    with session_scope() as session:
        return records.record_track_wait(
            session, trajectory_id=trajectory_id, step=step, track=track
        )


@idempotent_task("stap-{step}-open")
def open_step(trajectory_id: UUID, step: int, opens: date, due: date) -> int:
    """Record that a step opened; for a step that asks nothing, queue the emails that tell the
    people responsible (in the same transaction, so a crash loses neither). Returns how many."""
    with session_scope() as session:
        records.open_step(session, trajectory_id=trajectory_id, step=step, opens=opens, due=due)
        plan = get_plan(records.trajectory_row(session, trajectory_id).plan_version)
        if plan.step(step).questions:
            return 0
        result = notifications.queue_step_opened(
            session, trajectory_id=trajectory_id, step=step, question=None, due=due
        )
        return len(result.queued)


@idempotent_task("stap-{step}-overgeslagen")
def skip_step(trajectory_id: UUID, step: int, reason: str) -> None:
    """Record that a step does not apply to this pupil."""
    with session_scope() as session:
        records.skip_step(session, trajectory_id=trajectory_id, step=step, reason=reason)


@idempotent_task("stap-{step}-vraag-{question}")
def record_asking(trajectory_id: UUID, step: int, question: str, pause_key: str, due: date) -> int:
    """Record that a track waits for an answer to a question, and queue the emails that ask it
    (once per question and recipient, whatever replays). Returns how many were queued."""
    with session_scope() as session:
        records.record_asking(
            session,
            trajectory_id=trajectory_id,
            step=step,
            question=question,
            pause_key=pause_key,
            due=due,
        )
        result = notifications.queue_step_opened(
            session, trajectory_id=trajectory_id, step=step, question=question, due=due
        )
        return len(result.queued)


@idempotent_task("stap-{step}-antwoord-{question}-{attempt}")
def record_answer(
    trajectory_id: UUID,
    step: int,
    question: str,
    attempt: int,
    raw: dict[str, Any],
    flow_run_id: UUID | None,
) -> records.AnswerOutcome:
    """Check an answer against its form and store it: accepted, interim or rejected."""
    with session_scope() as session:
        return records.record_answer(
            session,
            trajectory_id=trajectory_id,
            step=step,
            question=question,
            attempt=attempt,
            raw=raw,
            flow_run_id=flow_run_id,
        )


@idempotent_task("stap-{step}-afgerond")
def close_step(trajectory_id: UUID, step: int) -> None:
    """Close a step whose questions are all answered."""
    with session_scope() as session:
        records.close_step(session, trajectory_id=trajectory_id, step=step)


@idempotent_task("traject-einde")
def end_trajectory(trajectory_id: UUID, stopped: bool, reason: str) -> None:
    """Mark the trajectory finished, or stopped when the plan says it ends here."""
    with session_scope() as session:
        records.end_trajectory(session, trajectory_id=trajectory_id, stopped=stopped, reason=reason)


@idempotent_task("track-{track}-einde")
def end_track(trajectory_id: UUID, track: str) -> bool:
    """Mark a parallel track finished; True when the main walk waits for it."""
    with session_scope() as session:
        return records.end_track(session, trajectory_id=trajectory_id, track=track)
