"""A trajectory after its enrolment (issue 12): `correct`, `stop`, `restart` and the hold of a
walk whose run was cancelled in Prefect, at the level of our records. On SQLite and PostgreSQL.

Walks go without Prefect (`walk_without_prefect`, the same executor as the flow)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from freezegun import freeze_time
from sqlmodel import col, func, select

from deployments.demo import REGULIER, answer_source
from models.cases import due as due_queries
from models.cases import lifecycle
from models.cases.enrolment import CheckedEnrollment, enroll
from models.cases.lifecycle import Correction, LifecycleError
from models.cases.view import TrajectoryView, load_view
from models.enums import StepStatus, TrajectoryStatus, WaitingFor
from models.plan.library import get_plan
from models.store.clock import now, pinned
from models.store.db import session_scope
from models.store.schools import seed_vo_schools
from models.store.tables import (
    Answer,
    AuditEntry,
    DashboardRefresh,
    OutboxMessage,
    Pupil,
    School,
    StepRecord,
    Trajectory,
)
from models.walk.offline import walk_without_prefect

pytestmark = pytest.mark.usefixtures("db")

ENROLLED = date(2025, 9, 1)


def _pupil() -> str:
    """Sietse Hofman, groep 7 at OBS De Klimop on 1 September 2025, to VO in 2027; the code."""
    with session_scope() as session:
        seed_vo_schools(session)
        for brin, name in (("12AB", "OBS De Klimop"), ("34CD", "CBS De Wegwijzer")):
            session.add(School(brin=brin, name=name, kind="PO", created_at=now()))
        session.flush()
        school = session.exec(select(School).where(School.brin == "12AB")).one()
        checked = CheckedEnrollment("Sietse", "Hofman", date(2015, 2, 9), school, 7, 2027, 8)
        with pinned(ENROLLED):
            return enroll(session, checked, plan=get_plan(), actor="test").code


def _state(code: str) -> dict[str, Any]:
    """Everything a correction may touch, to compare before and after."""
    with session_scope() as session:
        trajectory = session.exec(select(Trajectory).where(Trajectory.code == code)).one()
        pupil = session.get(Pupil, trajectory.pupil_id)
        assert pupil is not None
        records = session.exec(
            select(StepRecord.step, StepRecord.status, StepRecord.due_by).where(
                StepRecord.trajectory_id == trajectory.id
            )
        ).all()
        audits = session.exec(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.trajectory_id == trajectory.id)
        ).one()
        return {
            "pupil": pupil.model_dump(),
            "trajectory": trajectory.model_dump(),
            "records": sorted(records),
            "audits": audits,
        }


def _view(code: str) -> TrajectoryView:
    with session_scope() as session:
        trajectory = session.exec(select(Trajectory).where(Trajectory.code == code)).one()
        view = load_view(session, trajectory.id)
    assert view is not None
    return view


def _audit(code: str, action: str) -> list[dict[str, Any]]:
    with session_scope() as session:
        trajectory = session.exec(select(Trajectory).where(Trajectory.code == code)).one()
        return [
            e.detail
            for e in session.exec(
                select(AuditEntry)
                .where(AuditEntry.trajectory_id == trajectory.id, AuditEntry.action == action)
                .order_by(col(AuditEntry.id))
            )
        ]


def _correct(code: str, **fields: Any) -> lifecycle.CorrectionResult:
    with session_scope() as session:
        return lifecycle.correct(session, code, Correction(**fields), actor="cli:coordinator")


def _no_answers(view: TrajectoryView, action: Any, day: date) -> None:
    return None  # nobody answers: the walk stops at its first question


def _walk_to_first_question(code: str) -> UUID:
    trajectory_id = _view(code).trajectory.id
    walk_without_prefect(trajectory_id, answers=_no_answers, until=ENROLLED)
    return trajectory_id


@freeze_time("2025-09-02 08:00:00")
def test_each_field_is_corrected_with_an_audit_entry_that_holds_no_personal_value() -> None:
    code = _pupil()
    _walk_to_first_question(code)
    _correct(code, first_name=" Sietske ")
    _correct(code, last_name="Hofman-de Vries")
    _correct(code, birth_date="09-03-2015")  # DD-MM-JJJJ as Dutch users type it
    result = _correct(code, school="wegwijzer")  # a unique part of the name
    assert result.retag
    assert not result.replan
    view = _view(code)
    pupil = view.pupil
    assert (pupil.first_name, pupil.last_name, pupil.birth_date) == (
        "Sietske",
        "Hofman-de Vries",
        date(2015, 3, 9),
    )
    assert view.po_school.brin == "34CD"
    entries = _audit(code, lifecycle.CORRECTED)
    assert [e["velden"] for e in entries] == [
        ["voornaam"],
        ["achternaam"],
        ["geboortedatum"],
        ["school"],
    ]
    assert entries[3]["wijzigingen"] == {"school": {"van": "12AB", "naar": "34CD"}}
    written = json.dumps(entries)
    for private in ("Sietse", "Hofman", "2015", "03-2015"):
        assert private not in written
    # The question the pupil was at is still asked: a correction of these fields moves nothing.
    assert view.trajectory.waiting_for == WaitingFor.ANSWER
    assert view.trajectory.cohort == 2027


@freeze_time("2025-09-02 08:00:00")
def test_a_new_groep_and_cohort_before_any_answer_replans_on_the_new_calendar() -> None:
    code = _pupil()
    _walk_to_first_question(code)
    before = _view(code)
    first_due = before.trajectory.due
    assert before.records, "the walk opened step 1"
    with session_scope() as session:
        for cohort in (2027, 2026):
            session.add(DashboardRefresh(cohort=cohort, refreshed_at=now(), refreshed_on=ENROLLED))
    result = _correct(code, groep="8", cohort="2026")
    assert result.replan
    assert result.old_run is None  # no Prefect here; the CLI starts the new run
    assert result.cohorts == {2026, 2027}
    view = _view(code)
    assert (view.trajectory.cohort, view.trajectory.transfer_groep, view.pupil.groep) == (
        2026,
        8,
        8,
    )
    assert view.records == {}
    assert view.trajectory.waiting_for == WaitingFor.RUNNING
    with session_scope() as session:
        assert session.exec(select(DashboardRefresh)).all() == [], "both dashboards flagged"
    [entry] = _audit(code, lifecycle.CORRECTED)
    assert entry["wijzigingen"] == {
        "groep": {"van": 7, "naar": 8},
        "cohort": {"van": 2027, "naar": 2026},
    }
    assert entry["opnieuw_gepland"] is True
    # Walked again on cohort 2026's calendar: in groep 8 now, the groep-7 period of step 1 lies
    # a year back (recorded as ingestroomd, not overdue), and the consultation is due with the
    # first question after the enrolment, 30 November 2025, instead of step 1's date in 2025.
    assert (before.trajectory.current_step, first_due) == (1, date(2025, 10, 31))
    walk_without_prefect(view.trajectory.id, answers=_no_answers, until=ENROLLED)
    after = _view(code)
    assert {n: r.status for n, r in after.records.items()} == {
        1: StepStatus.LATE_ENTRY,
        2: StepStatus.OPEN,
    }
    assert (after.trajectory.current_step, after.trajectory.due) == (2, date(2025, 11, 30))


@freeze_time("2025-09-02 08:00:00")
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "geef aan wat er verandert"),
        ({"first_name": "  "}, "voornaam is leeg"),
        ({"last_name": "R2D2"}, "achternaam 'R2D2' bevat tekens"),
        ({"birth_date": "31-02-2015"}, "geboortedatum '31-02-2015' is geen datum"),
        ({"birth_date": "2000-01-01"}, "een leerling van 25 jaar"),
        ({"school": "Nergensschool"}, "Nergensschool"),
        ({"school": "Dr. Nassau College Penta"}, "is onbekend"),
        ({"groep": "9"}, "groep moet 7 of 8 zijn"),
        ({"cohort": "volgend jaar"}, "cohort 'volgend jaar' is geen jaartal"),
        ({"cohort": "2029"}, "cohort 2029 past daar niet bij"),
        ({"first_name": "Sietse"}, "er verandert niets"),
        # Several problems at once: all are listed, and the good field is not applied either.
        ({"first_name": "Anna", "groep": "6"}, "groep moet 7 of 8 zijn"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_changes_nothing(
    fields: dict[str, str], message: str
) -> None:
    code = _pupil()
    _walk_to_first_question(code)
    before = _state(code)
    with pytest.raises(LifecycleError) as refused:
        _correct(code, **fields)
    assert any(message in error for error in refused.value.errors), refused.value.errors
    assert _state(code) == before


@freeze_time("2025-09-02 08:00:00")
def test_an_unknown_code_is_refused() -> None:
    _pupil()
    with pytest.raises(LifecycleError, match="geen traject met code 'ZZZZ'"):
        _correct("ZZZZ", first_name="Anna")


def test_the_cohort_cannot_change_once_a_step_is_answered() -> None:
    code = _pupil()
    trajectory_id = _view(code).trajectory.id
    with freeze_time("2025-09-15 08:00:00"):
        walk_without_prefect(
            trajectory_id, answers=answer_source(REGULIER), until=date(2025, 11, 1)
        )
    assert _view(code).facts.answered("vo_consultation") or _view(code).records
    with session_scope() as session:
        answered = session.exec(
            select(func.count()).select_from(Answer).where(Answer.trajectory_id == trajectory_id)
        ).one()
    assert answered >= 1
    with freeze_time("2025-11-02 08:00:00"):
        before = _state(code)
        with pytest.raises(LifecycleError, match="kan niet meer worden gewijzigd"):
            _correct(code, groep="8", cohort="2026")
        assert _state(code) == before
        _correct(code, last_name="Hofstra")  # a name can still be corrected
    assert _view(code).pupil.last_name == "Hofstra"


def _outbox_count(trajectory_id: UUID) -> int:
    with session_scope() as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.trajectory_id == trajectory_id)
            ).one()
        )


def test_stop_needs_a_reason_withdraws_the_question_and_nothing_is_sent_afterwards() -> None:
    code = _pupil()
    with freeze_time("2025-09-02 08:00:00"):
        trajectory_id = _walk_to_first_question(code)
        asked = _view(code).trajectory
        assert asked.waiting_for == WaitingFor.ANSWER
        with session_scope() as session, pytest.raises(LifecycleError, match="geef een reden"):
            lifecycle.stop(session, code, reason="  ", actor="cli:coordinator")
        assert _view(code).trajectory.status == TrajectoryStatus.ACTIEF
        with session_scope() as session:
            result = lifecycle.stop(
                session, code.lower(), reason="verhuisd naar een andere regio", actor="cli:co"
            )
        assert result.code == code
    view = _view(code)
    assert (view.trajectory.status, view.trajectory.waiting_for) == ("gestopt", "stopped")
    [entry] = _audit(code, lifecycle.STOPPED)
    assert entry["reden"] == "verhuisd naar een andere regio"
    assert entry["vragen_ingetrokken"] == [
        {"track": "hoofd", "stap": asked.current_step, "vraag": asked.current_question}
    ]
    with session_scope() as session:
        stopped_by = session.exec(
            select(AuditEntry.actor).where(AuditEntry.action == lifecycle.STOPPED)
        ).one()
        assert stopped_by == "cli:co"
        with pytest.raises(LifecycleError, match="is al gestopt"):
            lifecycle.stop(session, code, reason="nogmaals", actor="cli:co")
    # Nothing is due for the clock any more, however late it gets, and a replayed walk sends
    # nothing: no question, no reminder, no escalation.
    sent = _outbox_count(trajectory_id)
    far = date(2027, 12, 31)
    with session_scope() as session:
        assert trajectory_id not in due_queries.deadline_candidates(session, far, far)
        assert trajectory_id not in {w.trajectory_id for w in due_queries.active_walks(session)}
    with freeze_time("2026-06-01 08:00:00"):
        walk_without_prefect(trajectory_id, answers=answer_source(REGULIER), until=far)
    assert _outbox_count(trajectory_id) == sent
    assert _view(code).trajectory.status == TrajectoryStatus.GESTOPT


def test_restart_after_a_stop_asks_nothing_twice_and_mails_nothing_twice() -> None:
    code = _pupil()
    trajectory_id = _view(code).trajectory.id
    scripted = answer_source(REGULIER)
    given: list[tuple[int, str]] = []

    def first_question_only(view: TrajectoryView, action: Any, day: date) -> Any:
        if given and given[0] != (action.step, action.question):
            return None  # the second question stays open
        given.append((action.step, action.question))
        return scripted(view, action, day)

    with freeze_time("2025-09-15 08:00:00"):
        walk_without_prefect(trajectory_id, answers=first_question_only, until=date(2027, 6, 1))
    before = _view(code).trajectory
    assert before.waiting_for == WaitingFor.ANSWER, "an open question after the autumn"
    mails = _outbox_count(trajectory_id)
    with session_scope() as session:
        answers = session.exec(
            select(func.count()).select_from(Answer).where(Answer.trajectory_id == trajectory_id)
        ).one()
        with pytest.raises(LifecycleError, match="er is niets te herstarten"):
            lifecycle.reopen(session, code, actor="cli:co")
    with session_scope() as session:
        lifecycle.stop(session, code, reason="per ongeluk", actor="cli:co")
    with session_scope() as session:
        restart = lifecycle.reopen(session, code, actor="cli:co")
    assert restart.walks == [("hoofd", None)]
    assert _audit(code, lifecycle.RESTARTED) == [{"tracks": ["hoofd"], "was_gestopt": True}]
    with freeze_time("2025-12-02 08:00:00"):
        walk_without_prefect(trajectory_id, answers=_no_answers, until=date(2027, 6, 1))
    after = _view(code).trajectory
    assert after.status == TrajectoryStatus.ACTIEF
    assert (after.waiting_for, after.current_step, after.current_question, after.pause_key) == (
        WaitingFor.ANSWER,
        before.current_step,
        before.current_question,
        before.pause_key,
    )
    assert _outbox_count(trajectory_id) == mails, "the question's email is not sent again"
    with session_scope() as session:
        assert (
            session.exec(
                select(func.count())
                .select_from(Answer)
                .where(Answer.trajectory_id == trajectory_id)
            ).one()
            == answers
        )
    records = _view(code).records
    assert all(r.status != StepStatus.SKIPPED or r.note for r in records.values())


@freeze_time("2025-09-02 08:00:00")
def test_a_held_walk_waits_is_left_alone_and_restarts() -> None:
    code = _pupil()
    trajectory_id = _walk_to_first_question(code)
    run = UUID(int=7)
    with session_scope() as session:
        trajectory = session.get(Trajectory, trajectory_id)
        assert trajectory is not None
        trajectory.flow_run_id = run
        session.add(trajectory)
    args = {"trajectory_id": trajectory_id, "track": "hoofd", "reason": "geannuleerd"}
    with session_scope() as session:
        assert not lifecycle.hold(session, flow_run_id=UUID(int=8), **args), "another run"
        assert lifecycle.hold(session, flow_run_id=run, **args)
    with session_scope() as session:
        assert not lifecycle.hold(session, flow_run_id=run, **args), "held once"
    view = _view(code)
    assert view.trajectory.status == TrajectoryStatus.ACTIEF
    assert view.trajectory.waiting_for == WaitingFor.CANCELLED
    assert WaitingFor.CANCELLED.label == "geannuleerd in Prefect – wacht op stop of herstart"
    assert lifecycle.held(view.runs())
    far = date(2027, 12, 31)
    with session_scope() as session:
        assert trajectory_id not in due_queries.deadline_candidates(session, far, date(2025, 9, 2))
    [entry] = _audit(code, lifecycle.HELD)
    assert entry["flow_run_id"] == str(run)
    assert entry["wachtte_op"] == "answer"
    with session_scope() as session:
        restart = lifecycle.reopen(session, code, actor="cli:co")
    assert restart.walks == [("hoofd", run)]
    assert _view(code).trajectory.waiting_for == WaitingFor.RUNNING
