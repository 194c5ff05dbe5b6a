"""Queueing per event: idempotent on replay, gaps reported, and what `overstap status` shows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

import models.mail.notifications as notifications
from models.mail.notifications import missing_contacts, queue_overdue, queue_step_opened
from models.settings import reset_settings
from models.store.db import session_scope
from models.store.tables import OutboxMessage, Trajectory
from tests.email.conftest import Region

DUE = dt.date(2026, 3, 24)


def _open(region: Region, step: int, question: str | None) -> notifications.QueueResult:
    with session_scope() as session:
        return queue_step_opened(
            session, trajectory_id=region.trajectory_id, step=step, question=question, due=DUE
        )


def test_a_replayed_step_queues_and_renders_nothing_new(
    region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The flow re-executes from the top after every resume: the second call is a no-op."""
    first = _open(region, 20, "advies")
    assert len(first.queued) == 3
    rendered: list[str] = []
    real_render = notifications.render

    def counting_render(template: str, context: dict[str, object]) -> object:
        rendered.append(template)
        return real_render(template, context)

    monkeypatch.setattr(notifications, "render", counting_render)
    again = _open(region, 20, "advies")
    assert (again.queued, again.already_queued, rendered) == ([], 3, [])
    with session_scope() as session:
        assert len(session.exec(select(OutboxMessage)).all()) == 3


def test_an_info_step_tells_each_responsible_role_once(region: Region) -> None:
    """Step 13 asks nothing: leerkracht and ib are informed, ouders are left to the school,
    and the coordinator hears that the intaker (no VO school yet) was not reached."""
    result = _open(region, 13, None)
    assert sorted((r.recipient, r.kind) for r in result.queued) == [
        ("anouk.visser@example.org", "stap_open"),
        ("coordinator@swv.example.org", "ontbrekend_contact"),
        ("ingrid.mulder@example.org", "stap_open"),
    ]
    assert [r.value for r in result.via_school] == ["ouders"]
    assert [m.role.value for m in result.missing] == ["intaker_vo"]


def test_without_a_coordinator_gaps_are_unreported_not_lost(
    region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No coordinator address: the result says so, and nothing is queued for nobody."""
    monkeypatch.setenv("OVERSTAP_COORDINATOR_EMAIL", "")
    reset_settings()
    opened = _open(region, 12, "plan")
    assert (opened.queued, opened.unreported) == ([], True)
    with session_scope() as session:
        overdue = queue_overdue(
            session, trajectory_id=region.trajectory_id, step=12, question="plan", due=DUE
        )
    assert (overdue.queued, overdue.unreported) == ([], True)


def test_missing_contacts_lists_roles_of_the_question_a_trajectory_waits_for(
    region: Region,
) -> None:
    """For `overstap status`: the open question's roles that no email reaches, with why."""
    with session_scope() as session:
        trajectory = session.get(Trajectory, region.trajectory_id)
        assert trajectory is not None
        trajectory.waiting_for = "answer"
        trajectory.current_step = 12
        trajectory.current_question = "plan"
        session.add(trajectory)
    with session_scope() as session:
        rows = missing_contacts(session)
    assert [(r.code, r.step, r.question, r.role.value, r.explanation) for r in rows] == [
        ("K7Q2", 12, "plan", "intaker_vo", "nog geen VO-school bekend in dit traject")
    ]
