"""The outbox: every email Overstap sends is first a row here, queued once per natural key.

The natural key is (trajectory, step, recipient, kind, topic). It lives in one non-null
`dedup_key` column with a unique index, because a NULL trajectory (a coordinator report that
belongs to no pupil) never collides in a composite unique constraint on SQLite or PostgreSQL.
So no replay, retry, crash or second clock run can queue the same message twice.

Kinds (`MessageKind`):
    stap_open           a step (or one question of it) opened; to the roles responsible for it
    herinnering         reminder before a question's deadline; to whoever fills in the form
    te_laat             a question is overdue; to the coordinator
    ontbrekend_contact  a responsible role has no email address; to the coordinator
    adres_faalt         an address failed permanently; to the coordinator (no trajectory)
`topic` refines the key where one kind can occur more than once per step: the question key for
step messages, the first failed message's id for `adres_faalt`; "" otherwise.

Life of a row (`OutboxStatus`): pending -> sending (claimed by one sender, with a lease in real
time) -> sent; a failure puts it back to pending with exponential backoff, or to failed once it is
hopeless. Claiming is a conditional UPDATE, so two senders never both send one row, and a sent row
is never claimed again. What cannot be guaranteed (no SMTP client can): a sender that dies between
the server's "250 accepted" and its commit of `sent` leaves its claimed rows in `sending`; after
the lease they are sent, and the one that had already arrived arrives twice, with the same
Message-ID, so the duplicate is recognisable. Every failure is kept in `OutboxFailure`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, func, select

from models.enums import FailureKind, MessageKind, OutboxStatus
from models.store.tables import OutboxFailure, OutboxMessage

FIRST_BACKOFF = timedelta(minutes=1)
MESSAGE_BACKOFF_CAP = timedelta(hours=6)
SERVER_BACKOFF_CAP = timedelta(minutes=30)
MIN_LEASE = timedelta(minutes=10)


def normalize_address(address: str) -> str:
    """The form of an address in the natural key: trimmed and lowercased."""
    return address.strip().lower()


def dedup_key(
    *, trajectory_id: UUID | None, step: int, recipient: str, kind: str, topic: str = ""
) -> str:
    """The natural key as one string: '<trajectory or ->/<step>/<recipient>/<kind>/<topic>'."""
    trajectory = str(trajectory_id) if trajectory_id else "-"
    return f"{trajectory}/{step}/{normalize_address(recipient)}/{kind}/{topic}"


def find_message(session: Session, key: str) -> OutboxMessage | None:
    """The row with this natural key, if queued."""
    return session.exec(select(OutboxMessage).where(OutboxMessage.dedup_key == key)).first()


def queue_message(
    session: Session,
    *,
    trajectory_id: UUID | None,
    step: int,
    recipient: str,
    recipient_name: str,
    kind: MessageKind | str,
    topic: str = "",
    subject: str,
    text_body: str,
    html_body: str,
    ics: str | None = None,
    now: datetime,
) -> OutboxMessage | None:
    """Queue one message; None when its natural key was already queued (by anyone, ever).

    Safe when two processes race: the insert is `ON CONFLICT DO NOTHING` on SQLite and
    PostgreSQL (a SAVEPOINT would commit early on pysqlite when it is the transaction's first
    statement), and a SAVEPOINT with IntegrityError elsewhere. The row joins the caller's
    transaction.
    """
    key = dedup_key(
        trajectory_id=trajectory_id, step=step, recipient=recipient, kind=kind, topic=topic
    )
    values: dict[str, Any] = {
        "id": uuid4(),
        "dedup_key": key,
        "trajectory_id": trajectory_id,
        "step": step,
        "recipient": normalize_address(recipient),
        "recipient_name": recipient_name.strip(),
        "kind": str(kind),
        "topic": topic,
        "subject": subject,
        "text_body": text_body,
        "html_body": html_body,
        "ics": ics,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        statement = (
            insert(OutboxMessage)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["dedup_key"])
            .returning(OutboxMessage)
        )
        # ORM-enabled INSERT ... RETURNING: the new row, in this session; None on a conflict.
        return session.scalars(statement).first()
    if find_message(session, key) is not None:
        return None
    row = OutboxMessage(**values)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


def due_messages(session: Session, now: datetime, limit: int) -> list[OutboxMessage]:
    """Pending messages whose time has come, oldest first."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .where(col(OutboxMessage.next_attempt_at) <= now)
            .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id))
            .limit(limit)
        ).all()
    )


def next_attempt(session: Session) -> datetime | None:
    """When the earliest pending message may be tried (None when nothing is pending)."""
    moment: datetime | None = session.exec(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            col(OutboxMessage.status) == OutboxStatus.PENDING
        )
    ).one()
    return moment


def lease_for(timeout_seconds: float) -> timedelta:
    """How long a claim holds: well beyond the longest one send can take (four commands)."""
    return max(MIN_LEASE, timedelta(seconds=10 * timeout_seconds))


def claim_batch(
    session: Session, ids: Sequence[UUID], *, now: datetime, lease_until: datetime
) -> list[OutboxMessage]:
    """Take the pending, due messages among `ids` for sending; those another sender took are
    left out. Counts an attempt on each. Commit before sending, so other senders see the claim.

    `lease_until` should be real time (`models.store.clock.wall_clock_utc`), not simulated time: it
    says how long the claiming process may take, whatever date a simulation shows.
    """
    if not ids:
        return []
    claimed = list(
        session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(list(ids)))
            .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
            .where(col(OutboxMessage.next_attempt_at) <= now)
            .values(
                status=OutboxStatus.SENDING.value,
                attempts=OutboxMessage.attempts + 1,
                last_attempt_at=now,
                next_attempt_at=lease_until,
            )
            .returning(col(OutboxMessage.id))
            .execution_options(synchronize_session=False)
        ).scalars()
    )
    if not claimed:
        return []
    rows = session.exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.id).in_(claimed))
        .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id))
        .execution_options(populate_existing=True)
    ).all()
    return list(rows)


def release(session: Session, ids: Sequence[UUID], now: datetime) -> int:
    """Give back claimed messages that were never tried (their attempt is not counted)."""
    if not ids:
        return 0
    result = session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(list(ids)))
        .where(col(OutboxMessage.status) == OutboxStatus.SENDING)
        .values(
            status=OutboxStatus.PENDING.value,
            attempts=OutboxMessage.attempts - 1,
            next_attempt_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)


def requeue_interrupted(session: Session, now: datetime) -> int:
    """Return claims whose lease expired (their sender died) to pending; how many.

    `now` is real time, like the lease (see `claim_batch`).

    Such a message may or may not have reached the server: it is sent again, with the same
    Message-ID.
    """
    result = session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.status) == OutboxStatus.SENDING)
        .where(col(OutboxMessage.next_attempt_at) <= now)
        .values(
            status=OutboxStatus.PENDING.value,
            next_attempt_at=now,
            last_error="Verzending onderbroken (proces gestopt); wordt opnieuw verstuurd.",
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)


def mark_sent(session: Session, message: OutboxMessage, now: datetime) -> None:
    """Record that the server accepted the message (one UPDATE; commit it right away)."""
    session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message.id)
        .values(status=OutboxStatus.SENT.value, sent_at=now, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(message, "status", OutboxStatus.SENT.value)
    set_committed_value(message, "sent_at", now)
    set_committed_value(message, "next_attempt_at", now)


def backoff(attempts: int, cap: timedelta) -> timedelta:
    """1 min, 2, 4, ... after the 1st, 2nd, 3rd attempt, at most `cap`."""
    exponent = min(max(attempts - 1, 0), 20)
    return min(FIRST_BACKOFF * (1 << exponent), cap)


def mark_failed(
    session: Session,
    message: OutboxMessage,
    error: str,
    now: datetime,
    max_attempts: int,
    *,
    kind: FailureKind = FailureKind.MESSAGE,
) -> None:
    """Record a failed attempt (already counted by `claim`) and decide when to try again."""
    error = error.strip()[:2000] or "onbekende fout"
    session.add(
        OutboxFailure(
            message_id=message.id,
            attempt=message.attempts,
            at=now,
            failure=kind,
            error=error,
        )
    )
    message.last_error = error
    message.last_attempt_at = now
    if kind == FailureKind.PERMANENT or (
        kind == FailureKind.MESSAGE and message.attempts >= max_attempts
    ):
        message.status = OutboxStatus.FAILED
        message.next_attempt_at = now
    else:
        cap = SERVER_BACKOFF_CAP if kind == FailureKind.SERVER else MESSAGE_BACKOFF_CAP
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = now + backoff(message.attempts, cap)
    session.add(message)


@dataclass(frozen=True)
class FailingAddress:
    """An address whose messages failed since the last one that was delivered to it."""

    recipient: str
    failed: int
    first_failed_id: UUID
    last_error: str
    last_attempt_at: datetime
    messages: tuple[OutboxMessage, ...]


def failing_addresses(session: Session) -> list[FailingAddress]:
    """Addresses that fail now: failed messages after the address's last delivered one."""
    failed_rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id))
    ).all()
    if not failed_rows:
        return []
    recipients = {row.recipient for row in failed_rows}
    last_sent = dict(
        session.exec(
            select(OutboxMessage.recipient, func.max(OutboxMessage.sent_at))
            .where(col(OutboxMessage.recipient).in_(recipients))
            .where(OutboxMessage.status == OutboxStatus.SENT)
            .group_by(col(OutboxMessage.recipient))
        ).all()
    )
    episodes: dict[str, list[OutboxMessage]] = {}
    for row in failed_rows:
        delivered = last_sent.get(row.recipient)
        attempted = row.last_attempt_at or row.created_at
        if delivered is None or attempted > delivered:
            episodes.setdefault(row.recipient, []).append(row)
    result = []
    for recipient, rows in sorted(episodes.items()):
        latest = max(rows, key=lambda r: r.last_attempt_at or r.created_at)
        result.append(
            FailingAddress(
                recipient=recipient,
                failed=len(rows),
                first_failed_id=rows[0].id,
                last_error=latest.last_error or "",
                last_attempt_at=latest.last_attempt_at or latest.created_at,
                messages=tuple(rows),
            )
        )
    return result
