"""The outbox: queued once per natural key, claimed by one sender, retried with backoff."""

from __future__ import annotations

import datetime as dt
import threading
from uuid import UUID

import pytest
from sqlmodel import Session, select

from models.enums import FailureKind, OutboxStatus
from models.mail.outbox import (
    backoff,
    claim_batch,
    failing_addresses,
    mark_failed,
    mark_sent,
    queue_message,
    requeue_interrupted,
)
from models.store.db import session_scope
from models.store.tables import OutboxFailure, OutboxMessage
from tests.email.conftest import Region

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=10)


def _queue(trajectory_id: UUID | None, recipient: str = "IB@Example.org", step: int = 20) -> bool:
    with session_scope() as session:
        row = queue_message(
            session,
            trajectory_id=trajectory_id,
            step=step,
            recipient=recipient,
            recipient_name="Ingrid",
            kind="stap_open",
            topic="advies",
            subject="Stap 20",
            text_body="tekst",
            html_body="<p>html</p>",
            now=NOW,
        )
        return row is not None


def claim(session: Session, row: OutboxMessage, now: dt.datetime, lease: dt.timedelta) -> bool:
    """Claim one row the way the sender claims its batch."""
    return bool(claim_batch(session, [row.id], now=now, lease_until=now + lease))


def _rows() -> list[OutboxMessage]:
    with session_scope() as session:
        return list(session.exec(select(OutboxMessage)).all())


def test_same_natural_key_is_queued_once(region: Region) -> None:
    """The second queue of (trajectory, step, recipient, kind, topic) returns None; one row."""
    assert _queue(region.trajectory_id) is True
    assert _queue(region.trajectory_id, recipient="  ib@example.ORG ") is False
    assert _queue(region.trajectory_id, step=19) is True
    rows = _rows()
    assert len(rows) == 2
    assert {r.recipient for r in rows} == {"ib@example.org"}


def test_a_message_without_trajectory_is_deduplicated_too(region: Region) -> None:
    """A NULL trajectory would never collide in a composite unique key; the dedup key does."""
    assert _queue(None, step=0) is True
    assert _queue(None, step=0) is False
    assert len(_rows()) == 1


def test_racing_writers_queue_one_row(region: Region) -> None:
    """Eight threads with their own sessions queue one key at once: exactly one wins."""
    start = threading.Barrier(8)
    outcomes: list[bool] = []
    lock = threading.Lock()

    def writer() -> None:
        start.wait()
        created = _queue(region.trajectory_id)
        with lock:
            outcomes.append(created)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False] * 7 + [True]
    assert len(_rows()) == 1


def test_a_queued_row_rolls_back_with_the_callers_transaction(region: Region) -> None:
    """Queueing joins the caller's transaction: an error later in it leaves no message."""

    def open_step_then_fail() -> None:
        with session_scope() as session:
            queue_message(
                session,
                trajectory_id=region.trajectory_id,
                step=1,
                recipient="a@example.org",
                recipient_name="A",
                kind="stap_open",
                subject="s",
                text_body="t",
                html_body="h",
                now=NOW,
            )
            raise RuntimeError("step record failed")

    with pytest.raises(RuntimeError, match="step record failed"):
        open_step_then_fail()
    assert _rows() == []


def test_only_one_sender_can_claim_a_message(region: Region) -> None:
    """The claim is a conditional update: a second claim, or a claim of a sent row, fails."""
    _queue(region.trajectory_id)
    with session_scope() as session:
        row = session.exec(select(OutboxMessage)).one()
        assert claim(session, row, NOW, LEASE) is True
        assert row.status == OutboxStatus.SENDING
        assert row.attempts == 1
    with session_scope() as session:
        row = session.exec(select(OutboxMessage)).one()
        assert claim(session, row, NOW, LEASE) is False
        mark_sent(session, row, NOW)
    with session_scope() as session:
        row = session.exec(select(OutboxMessage)).one()
        assert claim(session, row, NOW + dt.timedelta(days=1), LEASE) is False
        assert requeue_interrupted(session, NOW + dt.timedelta(days=1)) == 0
        assert row.status == OutboxStatus.SENT


def test_a_dead_senders_claim_returns_after_the_lease(region: Region) -> None:
    """A row left in 'sending' is pending again once its lease has passed, not before."""
    _queue(region.trajectory_id)
    with session_scope() as session:
        row = session.exec(select(OutboxMessage)).one()
        claim(session, row, NOW, LEASE)
    with session_scope() as session:
        assert requeue_interrupted(session, NOW + LEASE - dt.timedelta(seconds=1)) == 0
        assert requeue_interrupted(session, NOW + LEASE) == 1
    row = _rows()[0]
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert row.last_error is not None
    assert "onderbroken" in row.last_error


def test_backoff_doubles_from_one_minute_up_to_its_cap() -> None:
    """1, 2, 4, 8 minutes ...; six hours for a message, thirty minutes for a server."""
    cap = dt.timedelta(hours=6)
    assert [backoff(n, cap).total_seconds() / 60 for n in range(1, 6)] == [1, 2, 4, 8, 16]
    assert backoff(10, cap) == cap
    assert backoff(100, dt.timedelta(minutes=30)) == dt.timedelta(minutes=30)


def _fail_once(kind: FailureKind, max_attempts: int, at: dt.datetime) -> OutboxMessage:
    with session_scope() as session:
        row = session.exec(select(OutboxMessage)).one()
        assert claim(session, row, at, LEASE)
        mark_failed(session, row, f"450 bezet ({kind})", at, max_attempts, kind=kind)
        return row


def test_message_failures_back_off_then_fail_after_max_attempts(region: Region) -> None:
    """Three temporary refusals with max 3: pending with growing waits, then failed."""
    _queue(region.trajectory_id)
    at = NOW
    first = _fail_once(FailureKind.MESSAGE, 3, at)
    assert (first.status, first.next_attempt_at - at) == ("pending", dt.timedelta(minutes=1))
    at = first.next_attempt_at
    second = _fail_once(FailureKind.MESSAGE, 3, at)
    assert (second.status, second.next_attempt_at - at) == ("pending", dt.timedelta(minutes=2))
    third = _fail_once(FailureKind.MESSAGE, 3, second.next_attempt_at)
    assert (third.status, third.attempts) == ("failed", 3)
    with session_scope() as session:
        failures = session.exec(select(OutboxFailure).order_by(OutboxFailure.attempt)).all()
    assert [(f.attempt, f.failure) for f in failures] == [
        (1, "message"),
        (2, "message"),
        (3, "message"),
    ]


def test_server_failures_never_give_a_message_up(region: Region) -> None:
    """An unreachable server is not the address's fault: still pending after many attempts."""
    _queue(region.trajectory_id)
    at = NOW
    for _ in range(12):
        row = _fail_once(FailureKind.SERVER, 3, at)
        at = row.next_attempt_at
    assert (row.status, row.attempts) == ("pending", 12)
    assert row.next_attempt_at - row.last_attempt_at == dt.timedelta(minutes=30)  # type: ignore[operator]


def test_a_permanent_refusal_fails_at_once(region: Region) -> None:
    """550 unknown user: no retries."""
    _queue(region.trajectory_id)
    row = _fail_once(FailureKind.PERMANENT, 8, NOW)
    assert (row.status, row.attempts) == ("failed", 1)


def test_failing_addresses_are_those_failed_since_their_last_delivery(region: Region) -> None:
    """An address counts as failing until a later message reaches it."""
    _queue(region.trajectory_id, recipient="bad@example.org", step=1)
    with session_scope() as session:
        row = session.exec(select(OutboxMessage)).one()
        claim(session, row, NOW, LEASE)
        mark_failed(session, row, "550 onbekend", NOW, 8, kind=FailureKind.PERMANENT)
    with session_scope() as session:
        failing = failing_addresses(session)
    assert [(f.recipient, f.failed, f.last_error) for f in failing] == [
        ("bad@example.org", 1, "550 onbekend")
    ]
    _queue(region.trajectory_id, recipient="bad@example.org", step=2)
    later = NOW + dt.timedelta(hours=1)
    with session_scope() as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.step == 2)).one()
        claim(session, row, later, LEASE)
        mark_sent(session, row, later)
    with session_scope() as session:
        assert failing_addresses(session) == []
