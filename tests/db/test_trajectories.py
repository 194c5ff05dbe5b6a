"""Enrolment, step records and the offline walk, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from freezegun import freeze_time
from sqlmodel import col, select

from deployments.demo import PRO_TOEGELATEN, REGULIER, VSO_AFGEWEZEN, Overrides, answer_source
from models.cases.enrolment import EnrollmentError, EnrollmentInput, check_enrollment, enroll
from models.cases.records import open_step, record_answer, skip_step
from models.cases.view import TrajectoryView, load_view
from models.enums import StepStatus
from models.plan.library import get_plan
from models.reports.status import status_rows
from models.store.clock import now
from models.store.db import session_scope
from models.store.schools import seed_vo_schools
from models.store.tables import Answer, AuditEntry, School, Trajectory
from models.walk.actions import Ask, next_action
from models.walk.offline import walk_without_prefect

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def po_school(db: str) -> str:
    with session_scope() as session:
        seed_vo_schools(session)
        session.add(School(brin="12AB", name="OBS De Klimop", kind="PO", created_at=now()))
    return "12AB"


def _enroll(**overrides: object) -> UUID:
    values: dict[str, object] = {
        "first_name": "Femke",
        "last_name": "van der Berg",
        "birth_date": "2015-04-01",
        "school": "12AB",
        "groep": 7,
        "cohort": 2028,
    }
    values.update(overrides)
    with session_scope() as session:
        checked = check_enrollment(session, EnrollmentInput(**values), get_plan())  # type: ignore[arg-type]
        return enroll(session, checked, plan=get_plan(), actor="test").id


@freeze_time("2026-11-29 10:00:00")
@pytest.mark.usefixtures("po_school")
def test_enrollment_records_cohort_plan_version_and_code() -> None:
    """Groep 7 in 2026-2027 means VO from 2028; the trajectory keeps the plan version."""
    trajectory_id = _enroll()
    with session_scope() as session:
        view = load_view(session, trajectory_id)
        assert view is not None
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "ingeschreven")).one()
    assert view.trajectory.cohort == 2028
    assert view.trajectory.transfer_groep == 8
    assert view.trajectory.plan_version == "2025-2026.1"
    assert len(view.trajectory.code) == 4
    assert view.pupil_label == "Femke B."
    assert entry.detail["code"] == view.trajectory.code
    assert "Femke" not in str(entry.detail)


@freeze_time("2026-11-29 10:00:00")
@pytest.mark.usefixtures("po_school")
def test_groep_7_exception_is_recognised_by_its_cohort() -> None:
    """Groep 7 now and VO next August: the groep-7 exception (transfer from groep 7)."""
    trajectory_id = _enroll(cohort=2027)
    with session_scope() as session:
        trajectory = session.get(Trajectory, trajectory_id)
    assert trajectory is not None
    assert trajectory.transfer_groep == 7


@freeze_time("2026-11-29 10:00:00")
@pytest.mark.usefixtures("po_school")
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": ""}, "voornaam is leeg"),
        ({"last_name": "<script>"}, "achternaam '<script>' bevat tekens"),
        ({"birth_date": "31-02-2015"}, "geboortedatum '31-02-2015' is geen datum"),
        ({"birth_date": "2022-01-01"}, "een leerling van 4 jaar zit niet in groep 7 of 8"),
        ({"school": "99XX"}, "PO-school '99XX' is onbekend"),
        ({"school": "PrO Assen"}, "PO-school 'PrO Assen' is onbekend"),
        ({"groep": 6}, "groep moet 7 of 8 zijn"),
        ({"groep": "acht"}, "groep 'acht' is geen getal"),
        (
            {"groep": 8, "cohort": 2028},
            "start in augustus 2027 in het VO; cohort 2028 past daar niet",
        ),
    ],
)
def test_bad_enrollment_is_refused_in_dutch_and_changes_nothing(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(EnrollmentError) as info:
        _enroll(**overrides)
    assert any(message in error for error in info.value.errors), info.value.errors
    with session_scope() as session:
        assert session.exec(select(Trajectory)).all() == []


@freeze_time("2026-11-29 10:00:00")
@pytest.mark.usefixtures("po_school")
def test_the_same_pupil_twice_is_refused() -> None:
    first = _enroll()
    with session_scope() as session:
        code = session.get(Trajectory, first).code  # type: ignore[union-attr]
    with pytest.raises(EnrollmentError, match=f"staat al ingeschreven \\(code {code}\\)"):
        _enroll()


@freeze_time("2025-09-10 08:00:00")
@pytest.mark.usefixtures("po_school")
def test_records_are_idempotent_and_audited() -> None:
    """Opening, skipping and answering twice (a replay) writes each record and audit entry once."""
    trajectory_id = _enroll(cohort=2027, birth_date="2014-04-01")
    answer = {"beantwoord_door": "A. Bakker, ib", "uitgevoerd_op": "2025-09-09"}
    for _ in range(2):
        with session_scope() as session:
            open_step(
                session,
                trajectory_id=trajectory_id,
                step=1,
                opens=date(2025, 9, 1),
                due=date(2025, 10, 31),
            )
            outcome = record_answer(
                session,
                trajectory_id=trajectory_id,
                step=1,
                question="vaststelling",
                attempt=1,
                raw=answer,
                flow_run_id=None,
            )
            skip_step(session, trajectory_id=trajectory_id, step=16, reason="test")
        assert outcome.accepted
    with session_scope() as session:
        actions = [
            e.action
            for e in session.exec(
                select(AuditEntry)
                .where(AuditEntry.trajectory_id == trajectory_id)
                .order_by(col(AuditEntry.id))
            )
        ]
        answers = session.exec(select(Answer)).all()
        view = load_view(session, trajectory_id)
    assert actions == ["ingeschreven", "stap_geopend", "antwoord", "stap_overgeslagen"]
    assert len(answers) == 1
    assert view is not None
    assert view.records[1].answered_by == "A. Bakker, ib"
    assert view.records[1].answer == {"vaststelling": answer | {"toelichting": ""}}
    assert view.records[1].opened_on == date(2025, 9, 10)


@freeze_time("2025-09-01 08:00:00")
@pytest.mark.usefixtures("po_school")
@pytest.mark.parametrize(
    ("overrides", "done", "skipped"),
    [
        (REGULIER, 24, {16, 17, 18, 25}),
        # PRO and VSO: step 21 asks whether the parents keep the PRO/VSO registration (done).
        (PRO_TOEGELATEN, 25, {15, 22, 25}),
        (VSO_AFGEWEZEN, 25, {15, 22, 24}),
    ],
)
def test_the_26_month_plan_walks_in_seconds(
    overrides: Overrides, done: int, skipped: set[int]
) -> None:
    """Without Prefect, the whole plan from September groep 7 to November brugklas, per route."""
    trajectory_id = _enroll(cohort=2027, birth_date="2014-04-01")
    result = walk_without_prefect(
        trajectory_id, answers=answer_source(overrides), until=date(2028, 1, 1)
    )
    assert (result.finished, result.asking, result.waiting_until) == (True, (), None)
    with session_scope() as session:
        view = load_view(session, trajectory_id)
        rows = {r.code: r for r in status_rows(session)}
    assert view is not None
    statuses = {n: r.status for n, r in view.records.items()}
    assert sorted(statuses) == list(range(1, 29))
    assert {n for n, s in statuses.items() if s == StepStatus.SKIPPED} == skipped
    assert sum(1 for s in statuses.values() if s == StepStatus.DONE) == done
    # each step opened on the first day of its window (the walk moves the clock day by day)
    assert view.records[20].opened_on == date(2027, 3, 15)
    assert view.records[28].opened_on == date(2027, 11, 1)
    row = rows[view.trajectory.code]
    assert row.waiting_for == "done"
    assert row.current_step is None


@freeze_time("2025-09-01 08:00:00")
@pytest.mark.usefixtures("po_school")
def test_next_action_waits_for_the_window_and_asks_when_it_opens() -> None:
    trajectory_id = _enroll(cohort=2027, birth_date="2014-04-01")

    def first_step_only(view: TrajectoryView, action: Ask, day: date) -> Any:
        return answer_source(REGULIER)(view, action, day) if action.step == 1 else None

    stop = walk_without_prefect(trajectory_id, answers=first_step_only, until=date(2025, 9, 30))
    assert (stop.asking, stop.waiting_until) == ((), date(2025, 10, 1))
    with session_scope() as session:
        view = load_view(session, trajectory_id)
    assert view is not None
    assert next_action(view, date(2025, 10, 1)).__class__.__name__ == "Open"
    stop = walk_without_prefect(trajectory_id, answers=first_step_only, until=date(2025, 10, 2))
    assert stop.asking == (Ask(2, "overleg", 1, date(2025, 10, 31)),)
