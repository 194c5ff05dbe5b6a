"""The daily digest: one email per contact with several open questions, once a day.

Three pupils of one PO school wait for the intern begeleider's answer. The clock's digest task
queues one message for her with three links (one per run that holds a form); a second clock run
the same day queues nothing, the next working day sends again while the questions are open.
The mail goes through a real SMTP server (aiosmtpd on loopback).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from uuid import UUID, uuid4

import pytest
from freezegun import freeze_time
from sqlmodel import select

from models.enums import MessageKind, WaitingFor
from models.mail.digest import digest_addresses
from models.mail.notifications import queue_reminder
from models.plan.library import get_plan
from models.plan.purposes import Purpose
from models.settings import reset_settings
from models.store.db import session_scope
from models.store.tables import AuditEntry, OutboxMessage, Pupil, Trajectory
from tasks.deadlines import REMINDED, Notice, send_digests, send_notices
from tasks.email import send_pending
from tests.email.conftest import T0, UI_URL, Region, Sink, make_all_due

IB = "ingrid.mulder@example.org"
DUE = dt.date(2026, 3, 24)
TUESDAY = dt.date(2026, 3, 10)
_LINK = re.compile(re.escape(UI_URL) + r"/runs/flow-run/([0-9a-f-]{36})")


def _wait_for_advice(trajectory_id: UUID, due: dt.date) -> UUID:
    """Let the trajectory wait for the intern begeleider's definitive advice; its run's id."""
    step, question = get_plan().find(Purpose.DEFINITIVE_ADVICE)
    run = uuid4()
    with session_scope() as session:
        trajectory = session.get(Trajectory, trajectory_id)
        assert trajectory is not None
        trajectory.waiting_for = WaitingFor.ANSWER
        trajectory.current_step = step.number
        trajectory.current_question = question.key
        trajectory.due = due
        trajectory.flow_run_id = run
        session.add(trajectory)
    return run


def _another_pupil(region: Region, first_name: str, code: str) -> UUID:
    with session_scope() as session:
        pupil = Pupil(
            first_name=first_name,
            last_name="Jansen",
            po_school_id=region.po.id,
            groep=8,
            created_at=T0,
        )
        session.add(pupil)
        session.flush()
        trajectory = Trajectory(
            pupil_id=pupil.id,
            code=code,
            cohort=2026,
            plan_version=get_plan().version,
            started_at=T0,
        )
        session.add(trajectory)
        session.flush()
        return trajectory.id


def _clock(day: dt.date) -> int:
    """The clock's digest task on `day` (its function, without a Prefect server)."""
    with freeze_time(dt.datetime.combine(day, dt.time(6, 0))):
        queued: int = send_digests.fn(day)
    return queued


def _send() -> int:
    make_all_due()
    return asyncio.run(send_pending())["sent"]


def _received(sink: Sink) -> list[EmailMessage]:
    found = []
    for _, _, content in sink.handler.envelopes:
        parsed = message_from_bytes(content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        found.append(parsed)
    return found


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]


def _html(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("html",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]


@pytest.fixture
def three_open(region: Region) -> list[UUID]:
    """Three pupils of OBS De Regenboog wait for the intern begeleider (one is late)."""
    ids = [
        region.trajectory_id,
        _another_pupil(region, "Bram", "B2C3"),
        _another_pupil(region, "Cas", "C3D4"),
    ]
    dues = [DUE, dt.date(2026, 3, 9), dt.date(2026, 4, 1)]
    return [_wait_for_advice(tid, due) for tid, due in zip(ids, dues, strict=True)]


def test_three_open_questions_give_one_digest_a_day(three_open: list[UUID], sink: Sink) -> None:
    assert _clock(TUESDAY) == 1
    assert _clock(TUESDAY) == 0  # the clock again, the same day: nothing more
    assert _send() == 1
    [message] = _received(sink)
    assert message["To"].addresses[0].addr_spec == IB
    assert (
        message["Subject"] == "Overzicht 10 maart 2026: 3 vragen wachten op uw antwoord, 1 te laat"
    )
    text, html = _text(message), _html(message)
    # Three links, each to the run that holds one pupil's form; oldest due date first.
    assert _LINK.findall(text) == [str(three_open[1]), str(three_open[0]), str(three_open[2])]
    assert set(_LINK.findall(html)) == {str(run) for run in three_open}
    assert "uiterlijk 9 maart 2026 (te laat)" in text.lower()
    assert "uiterlijk 24 maart 2026" in text.lower()
    assert "doorstroomtoets en definitief schooladvies" in text
    for code in ("K7Q2", "B2C3", "C3D4"):
        assert f"code {code}" in text

    assert _clock(TUESDAY) == 0
    assert _send() == 0
    # The next working day, still open: a new digest.
    wednesday = TUESDAY + dt.timedelta(days=1)
    assert _clock(wednesday) == 1
    assert _clock(wednesday) == 0
    assert _send() == 1
    assert len(_received(sink)) == 2
    with session_scope() as session:
        digests = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == MessageKind.OVERZICHT)
        ).all()
    assert sorted(m.topic for m in digests) == ["2026-03-10", "2026-03-11"]


def test_no_digest_at_the_weekend_for_one_question_or_when_turned_off(
    three_open: list[UUID], sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    saturday = dt.date(2026, 3, 14)
    assert _clock(saturday) == 0
    monkeypatch.setenv("OVERSTAP_DIGEST", "0")
    reset_settings()
    assert _clock(TUESDAY) == 0
    monkeypatch.setenv("OVERSTAP_DIGEST", "1")
    reset_settings()
    # Two of the three are answered: one question left, the ordinary reminder covers it.
    with session_scope() as session:
        for trajectory in session.exec(select(Trajectory)).all():
            if trajectory.code != "K7Q2":
                trajectory.waiting_for = WaitingFor.RUNNING
                session.add(trajectory)
    assert _clock(TUESDAY) == 0
    assert _send() == 0


def test_the_digest_replaces_the_reminder_of_each_question(
    region: Region, three_open: list[UUID]
) -> None:
    step, question = get_plan().find(Purpose.DEFINITIVE_ADVICE)
    with session_scope() as session:
        skipped = queue_reminder(
            session,
            trajectory_id=region.trajectory_id,
            step=step.number,
            question=question.key,
            due=DUE,
            in_digest={IB},
        )
        reminded = queue_reminder(
            session,
            trajectory_id=region.trajectory_id,
            step=step.number,
            question=question.key,
            due=DUE,
        )
        assert digest_addresses(session, TUESDAY) == {IB}
    assert (len(skipped.queued), skipped.in_digest) == (0, 1)
    assert [m.recipient for m in reminded.queued] == [IB]


def test_the_clock_leaves_the_reminder_to_the_digest(
    region: Region, three_open: list[UUID]
) -> None:
    """The clock's reminder notice for one of the three questions queues no reminder for the
    intern begeleider (the digest lists it); it is still recorded, so it is not tried again."""
    step, question = get_plan().find(Purpose.DEFINITIVE_ADVICE)
    key = f"{step.number}:{question.key}:{DUE.isoformat()}"
    notice = Notice(REMINDED, region.trajectory_id, step.number, question.key, DUE, key)
    with freeze_time(dt.datetime.combine(TUESDAY, dt.time(6, 0))):
        counts = send_notices.fn([notice])
        again = send_notices.fn([notice])
    assert counts["herinnerd"] == 1
    assert again["herinnerd"] == 0
    with session_scope() as session:
        kinds = session.exec(select(OutboxMessage.kind)).all()
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == REMINDED)).one()
    assert MessageKind.HERINNERING not in kinds
    assert entry.detail["in_overzicht"] == 1
    assert entry.detail["e_mails"] == 0
