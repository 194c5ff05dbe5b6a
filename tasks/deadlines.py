"""The clock's reminders and escalations: found by query, each sent once.

Every notice is a `Notification` row with a unique natural key (trajectory, kind, key), written in
the transaction that queues its email and its audit entry; a notice whose row exists is skipped,
so a second clock run (or a retry, or two clocks) reminds and escalates nobody twice. The clock
sends all notices of a run in one task.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.mail import digest, notifications
from models.store.audit import audit
from models.store.clock import now, today
from models.store.db import session_scope
from models.store.tables import Notification

REMINDED = "herinnering"
ESCALATED = "termijn_verlopen"


@dataclass(frozen=True)
class Notice:
    """A reminder before a due date, or an escalation of an overdue step or legal term."""

    kind: str  # REMINDED or ESCALATED
    trajectory_id: UUID
    step: int
    question: str | None
    due: date
    key: str
    basis: str = ""
    what: str = "stap"  # "stap" (a question's due date) or "term" (a legal term)


def notified(session: Session, trajectory_ids: Collection[UUID]) -> set[tuple[Any, str, str]]:
    """(trajectory, kind, key) of the notices already sent to these trajectories, in one query."""
    if not trajectory_ids:
        return set()
    rows = session.exec(
        select(Notification).where(col(Notification.trajectory_id).in_(list(trajectory_ids)))
    ).all()
    return {(r.trajectory_id, r.kind, r.key) for r in rows}


def _claim(session: Session, notice: Notice) -> bool:
    """Write the notice's row; False when it was already there (sent by an earlier run)."""
    try:
        with session.begin_nested():
            session.add(
                Notification(
                    trajectory_id=notice.trajectory_id, kind=notice.kind, key=notice.key, at=now()
                )
            )
    except IntegrityError:
        return False
    return True


def send_one(session: Session, notice: Notice, in_digest: Collection[str] = ()) -> bool:
    """Queue one notice's email and record it, in the caller's transaction; False when an
    earlier run sent it already. A reminder skips the addresses `in_digest` (they get the
    daily digest, which lists the question)."""
    if not _claim(session, notice):
        return False
    if notice.kind == REMINDED:
        assert notice.question is not None
        result = notifications.queue_reminder(
            session,
            trajectory_id=notice.trajectory_id,
            step=notice.step,
            question=notice.question,
            due=notice.due,
            in_digest=in_digest,
        )
    else:
        result = notifications.queue_overdue(
            session,
            trajectory_id=notice.trajectory_id,
            step=notice.step,
            question=notice.question,
            due=notice.due,
            basis=notice.basis,
            topic=notice.key,
        )
    detail: dict[str, Any] = {
        "sleutel": notice.key,
        "stap": notice.step,
        "uiterlijk": notice.due.isoformat(),
    }
    if notice.basis:
        detail["basis"] = notice.basis
    detail["e_mails"] = len(result.queued)
    if result.in_digest:
        detail["in_overzicht"] = result.in_digest
    audit(
        session, actor="klok", action=notice.kind, trajectory_id=notice.trajectory_id, detail=detail
    )
    return True


@task(task_run_name="herinneren-en-escaleren", cache_policy=NO_CACHE, persist_result=False)
def send_notices(notices: list[Notice]) -> Counter[str]:
    """Send each notice once (one transaction per notice); count what was sent by kind."""
    counts: Counter[str] = Counter()
    in_digest: set[str] = set()
    if any(n.kind == REMINDED for n in notices):
        with session_scope() as session:
            in_digest = digest.digest_addresses(session, today())
    for notice in notices:
        with session_scope() as session:
            sent = send_one(session, notice, in_digest)
        if sent and notice.kind == REMINDED:
            counts["herinnerd"] += 1
        elif sent:
            counts["termijn_verlopen" if notice.what == "term" else "te_laat"] += 1
    return counts


@task(task_run_name="overzichten", cache_policy=NO_CACHE, persist_result=False, retries=2)
def send_digests(day: date) -> int:
    """Queue today's digest for every contact with more than one open question; the outbox's
    natural key (address, day) makes a second clock run the same day queue nothing."""
    with session_scope() as session:
        result = digest.queue_digests(session, day)
    return len(result.queued)
