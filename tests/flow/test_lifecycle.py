"""Enrolment at any point and a trajectory's life after it (issue 12), against a real Prefect
server: a run cancelled in the UI waits for the coordinator and `restart` continues it without
asking anything twice; `overstap stop` cancels runs without that alarm; a groep-8 pupil enrolled
on 15 November walks to step 28 without being late for the steps before.

Time moves with the simulated clock and the clock flow; answers go in as `overstap answer`
sends them (`tests.flow.driver`).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.states import Cancelling
from sqlmodel import func, select

from deployments.demo import REGULIER, answer_source
from models.cases import lifecycle
from models.cases.view import TrajectoryView
from models.enums import StepStatus, TrajectoryStatus, WaitingFor
from models.plan.purposes import Purpose
from models.reports.status import status_row
from models.settings import reset_settings
from models.store.clock import today
from models.store.db import session_scope
from models.store.tables import Answer, AuditEntry, Notification, OutboxMessage
from tasks.lifecycle import restart_trajectory, stop_trajectory
from tests.flow.driver import (
    asking,
    drive,
    execute,
    flow_run_state,
    make_pupil,
    run_clock_at,
    view_of,
)

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]

COORDINATOR = "coordinator@example.org"


@pytest.fixture
def coordinator(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OVERSTAP_COORDINATOR_EMAIL", f"Coördinator SWV <{COORDINATOR}>")
    reset_settings()
    return COORDINATOR


def _mail(trajectory_id: UUID, kind: str, recipient: str | None = None) -> list[OutboxMessage]:
    with session_scope() as session:
        query = select(OutboxMessage).where(
            OutboxMessage.trajectory_id == trajectory_id, OutboxMessage.kind == kind
        )
        if recipient is not None:
            query = query.where(OutboxMessage.recipient == recipient)
        return list(session.exec(query))


def _answers(trajectory_id: UUID) -> list[tuple[int, str, int]]:
    """(step, question, attempt) of every recorded answer, in that order (ids are UUIDs)."""
    with session_scope() as session:
        return sorted(
            (a.step, a.question, a.attempt)
            for a in session.exec(select(Answer).where(Answer.trajectory_id == trajectory_id))
        )


def _audit(trajectory_id: UUID, action: str) -> int:
    with session_scope() as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.trajectory_id == trajectory_id, AuditEntry.action == action)
            ).one()
        )


def _answered_and_asked(view: TrajectoryView) -> bool:
    """Stop once something is answered and the next question is open."""
    return bool(view.answers) and bool(asking(view.trajectory.id))


def _cancel_in_the_ui(flow_run_id: UUID) -> None:
    """What the UI's Cancel does: propose Cancelling; the server makes a suspended run, which has
    no infrastructure to tear down, Cancelled at once (`BypassCancellingFlowRunsWithNoInfra`)."""
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(flow_run_id, Cancelling())
    assert flow_run_state(flow_run_id) == StateType.CANCELLED


def test_a_run_cancelled_in_the_ui_waits_tells_the_coordinator_once_and_restarts(
    coordinator: str,
) -> None:
    trajectory_id = make_pupil()
    drive(trajectory_id, answer_source(REGULIER), stop_when=_answered_and_asked)
    [question] = asking(trajectory_id)
    answered = _answers(trajectory_id)
    assert answered, "an earlier answer is recorded"
    asked_mail = len(_mail(trajectory_id, "stap_open"))
    old_run = view_of(trajectory_id).trajectory.flow_run_id
    assert old_run is not None

    _cancel_in_the_ui(old_run)
    first = run_clock_at(today())
    assert first.get("geannuleerd") == 1
    assert first.get("hersteld", 0) == 0, "not repaired"
    # However often the clock runs, even past the question's due date: one email, no repair,
    # no reminder, no escalation.
    late = run_clock_at(question.due.replace(day=1).replace(year=question.due.year + 1))
    assert (late.get("geannuleerd", 0), late.get("hersteld", 0)) == (0, 0)
    assert (late.get("herinnerd", 0), late.get("te_laat", 0)) == (0, 0)
    run_clock_at(today())
    view = view_of(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.ACTIEF
    assert view.trajectory.waiting_for == WaitingFor.CANCELLED
    assert view.trajectory.flow_run_id == old_run
    row = status_row(view)
    assert (row.waiting_for, row.current_step) == ("cancelled", question.step)
    [told] = _mail(trajectory_id, "run_geannuleerd", coordinator)
    assert told.subject.startswith("Geannuleerd in Prefect: traject van Xanthe O., code ")
    assert f"overstap restart {view.trajectory.code}" in told.text_body
    assert str(old_run) in told.text_body  # the link to the cancelled run
    assert _mail(trajectory_id, "te_laat") == []
    assert _mail(trajectory_id, "herinnering") == []
    assert _audit(trajectory_id, lifecycle.HELD) == 1
    with session_scope() as session:
        kinds = session.exec(
            select(Notification.kind).where(Notification.trajectory_id == trajectory_id)
        ).all()
    assert kinds == ["geannuleerd"]

    _, started = restart_trajectory(view.trajectory.code.lower(), actor="test")
    new_run = started["hoofd"]
    assert new_run != old_run
    assert view_of(trajectory_id).trajectory.flow_run_id == new_run
    assert execute(trajectory_id) == StateType.PAUSED
    # The question the pupil was at is asked again by the new run, under the same key, and its
    # email is not sent again; the earlier answers stay recorded and are not asked.
    assert asking(trajectory_id) == [question]
    assert len(_mail(trajectory_id, "stap_open")) == asked_mail
    assert _answers(trajectory_id) == answered
    assert _audit(trajectory_id, lifecycle.RESTARTED) == 1
    assert run_clock_at(today()).get("geannuleerd", 0) == 0
    # The question is answered on the new run and the walk moves on.
    journey = drive(
        trajectory_id,
        answer_source(REGULIER),
        stop_when=lambda v: (v.trajectory.current_step or 0) > question.step,
    )
    assert journey.questions[0] == (question.step, question.question, question.attempt)
    assert journey.asked_twice() == []
    recorded = _answers(trajectory_id)
    assert len(recorded) == len(set(recorded)), "no question answered twice"
    assert set(answered) <= set(recorded), "the earlier answers stay"
    assert view_of(trajectory_id).trajectory.flow_run_id == new_run
    assert len(_mail(trajectory_id, "run_geannuleerd")) == 1


def test_a_stop_cancels_the_runs_without_the_alarm_and_a_restart_continues(
    coordinator: str,
) -> None:
    trajectory_id = make_pupil("Yara", "Zandstra")
    drive(trajectory_id, answer_source(REGULIER), stop_when=_answered_and_asked)
    [question] = asking(trajectory_id)
    answered = _answers(trajectory_id)
    code = view_of(trajectory_id).trajectory.code
    old_run = view_of(trajectory_id).trajectory.flow_run_id
    assert old_run is not None
    result = stop_trajectory(code, reason="verhuisd", actor="test")
    assert result.runs == [old_run]
    assert flow_run_state(old_run) == StateType.CANCELLED
    counts = run_clock_at(today())
    assert (counts.get("geannuleerd", 0), counts.get("hersteld", 0)) == (0, 0)
    view = view_of(trajectory_id)
    assert (view.trajectory.status, view.trajectory.waiting_for) == ("gestopt", "stopped")
    assert _mail(trajectory_id, "run_geannuleerd") == []

    _, started = restart_trajectory(code, actor="test")
    execute(trajectory_id)
    assert asking(trajectory_id) == [question]
    assert _answers(trajectory_id) == answered
    assert view_of(trajectory_id).trajectory.flow_run_id == started["hoofd"]


def test_a_groep_8_pupil_enrolled_on_15_november_is_not_late_and_walks_to_step_28(
    coordinator: str,
) -> None:
    """Enrolled on 15 November 2026 in groep 8, to VO in August 2027: the steps whose window
    closed before are recorded as ingestroomd, never overdue nor escalated; the route is asked at
    the first question; the whole walk passes."""
    trajectory_id = make_pupil("Zoë", "Bakker", cohort=2027, start=date(2026, 11, 15))
    execute(trajectory_id)
    view = view_of(trajectory_id)
    first = asking(trajectory_id)
    assert first, "a question is open at once"
    route_step = next(
        s.number for s in view.plan.steps for q in s.questions if q.purpose == Purpose.ROUTE_CHOICE
    )
    asked_steps = [a.step for a in first]
    assert asked_steps[0] <= route_step
    counts = run_clock_at(date(2026, 11, 16))
    assert (counts.get("te_laat", 0), counts.get("termijn_verlopen", 0)) == (0, 0)
    assert not status_row(view_of(trajectory_id), date(2026, 11, 16)).overdue
    route_asked: list[int] = []

    def note_route(v: TrajectoryView) -> bool:
        if not route_asked and any(
            v.plan.step(a.step).question(a.question).purpose == Purpose.ROUTE_CHOICE
            for a in asking(v.trajectory.id)
        ):
            route_asked.append(len(_answers(trajectory_id)))
        return False

    journey = drive(trajectory_id, answer_source(REGULIER), stop_when=note_route)
    assert journey.asked_twice() == []
    view = view_of(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.AFGEROND
    assert view.records[28].status == StepStatus.DONE
    late = sorted(n for n, r in view.records.items() if r.status == StepStatus.LATE_ENTRY)
    assert late, "earlier steps are recorded as ingestroomd"
    assert all(n <= 13 for n in late)
    for number in late:
        assert "ingestroomd op 15 november 2026" in (view.records[number].note or "")
    # The route is asked with the first questions after the enrolment: nothing of a later step
    # is answered before it, and it is not overdue (due with the first question after enrolment).
    assert view.facts.route == "regulier"
    order = [(a.step, a.question) for a in view.answers]
    route_at = next(
        i
        for i, a in enumerate(view.answers)
        if view.plan.purpose_of(a.step, a.question) == Purpose.ROUTE_CHOICE
    )
    assert view.answers[route_at].step == route_step
    assert all(step <= route_step for step, _ in order[:route_at]), order
    assert route_asked, "the route question was asked"
    with session_scope() as session:
        escalated = session.exec(
            select(AuditEntry.detail).where(
                AuditEntry.trajectory_id == trajectory_id,
                AuditEntry.action == "termijn_verlopen",
            )
        ).all()
    assert [d for d in escalated if int(d["stap"]) <= 13] == []
    assert [m for m in _mail(trajectory_id, "te_laat") if m.step <= 13] == []
