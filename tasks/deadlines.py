"""Tasks of the clock that watch deadlines: remind before, escalate after.

Each writes an audit entry and queues its email in one transaction, and does nothing when the
audit entry is already there: a second clock run (or a retry) reminds and escalates nobody twice.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import Session, select

from models.mail import notifications
from models.store.audit import audit
from models.store.db import session_scope
from models.store.tables import AuditEntry

REMINDED = "herinnering"
ESCALATED = "termijn_verlopen"


def notified_keys(session: Session) -> set[tuple[UUID, str, str]]:
    """(trajectory, action, key) of every reminder and escalation so far, in one query."""
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.action.in_([REMINDED, ESCALATED]))  # type: ignore[attr-defined]
    ).all()
    return {
        (e.trajectory_id, e.action, str(e.detail.get("sleutel")))
        for e in entries
        if e.trajectory_id is not None
    }


def _already(session: Session, trajectory_id: UUID, action: str, key: str) -> bool:
    return (trajectory_id, action, key) in notified_keys(session)


deadline_task = task(cache_policy=NO_CACHE, persist_result=False, retries=2, retry_delay_seconds=5)


@deadline_task
def remind(trajectory_id: UUID, step: int, question: str, due: date) -> int:
    """Remind whoever must answer that the question's due date is near."""
    key = f"{step}:{question}:{due.isoformat()}"
    with session_scope() as session:
        if _already(session, trajectory_id, REMINDED, key):
            return 0
        result = notifications.queue_reminder(
            session, trajectory_id=trajectory_id, step=step, question=question, due=due
        )
        audit(
            session,
            actor="klok",
            action=REMINDED,
            trajectory_id=trajectory_id,
            detail={"sleutel": key, "stap": step, "uiterlijk": due.isoformat()},
        )
        return len(result.queued)


@deadline_task
def escalate(
    trajectory_id: UUID,
    step: int,
    question: str | None,
    due: date,
    basis: str,
    key: str,
) -> int:
    """Escalate an overdue step or legal term to the coordinator, once."""
    with session_scope() as session:
        if _already(session, trajectory_id, ESCALATED, key):
            return 0
        result = notifications.queue_overdue(
            session,
            trajectory_id=trajectory_id,
            step=step,
            question=question,
            due=due,
            basis=basis,
            topic=key,
        )
        audit(
            session,
            actor="klok",
            action=ESCALATED,
            trajectory_id=trajectory_id,
            detail={"sleutel": key, "stap": step, "uiterlijk": due.isoformat(), "basis": basis},
        )
        return len(result.queued)
