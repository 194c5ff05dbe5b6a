"""Answers typed on the command line (`overstap answer`) and the cohort check of the reports."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from sqlmodel import select

from deployments.demo import REGULIER, scripted_answer
from models.cases.answers import AnswerError, open_question, prepare_cli_answer
from models.cases.enrolment import CheckedEnrollment, enroll
from models.cases.view import TrajectoryView, UnknownCohortError, check_cohort, known_cohorts
from models.plan.library import get_plan
from models.plan.purposes import Purpose
from models.store.clock import now, pinned
from models.store.db import session_scope
from models.store.schools import seed_vo_schools
from models.store.tables import School, Trajectory
from models.walk.actions import Ask
from models.walk.offline import walk_without_prefect

pytestmark = pytest.mark.usefixtures("db")
COHORT = 2028


def _waiting_for_the_route_choice() -> tuple[UUID, str, int]:
    """A pupil walked up to the route choice (every earlier question answered, this one open)."""
    plan = get_plan()
    step = plan.step_of(Purpose.ROUTE_CHOICE)
    with session_scope() as session:
        seed_vo_schools(session)
        school = School(brin="12AB", name="OBS De Klimop", kind="PO", created_at=now())
        session.add(school)
        session.flush()
        checked = CheckedEnrollment("Femke", "Berg", date(2015, 4, 1), school, 7, COHORT, 8)
        with pinned(date(2026, 9, 1)):
            trajectory = enroll(session, checked, plan=plan, actor="test")
        trajectory_id, code = trajectory.id, trajectory.code

    def answers(view: TrajectoryView, action: Ask, day: date) -> dict[str, Any] | None:
        purpose = view.plan.purpose_of(action.step, action.question)
        if purpose == Purpose.ROUTE_CHOICE:
            return None
        overrides = {**REGULIER, Purpose.VO_CONSULTATION: {"vo_school": "Terra Assen"}}
        return scripted_answer(view, action, day, overrides)

    walk_without_prefect(trajectory_id, answers=answers, until=plan.window(step, COHORT).opens)
    return trajectory_id, code, step.number


def test_choices_and_yes_no_are_read_in_any_case() -> None:
    _, code, step = _waiting_for_the_route_choice()
    with session_scope() as session:
        prepared = prepare_cli_answer(
            session,
            code=code.lower(),
            step=step,
            fields={"route": "PRO", "vervolgplan_nodig": "Ja", "evaluatie": "Goed verlopen."},
            answered_by="F. Smit, intaker",
        )
    assert prepared.code == code
    assert prepared.run_input == {
        "beantwoord_door": "F. Smit, intaker",
        "route": "pro",
        "vervolgplan_nodig": True,
        "evaluatie": "Goed verlopen.",
    }
    with session_scope() as session, pytest.raises(AnswerError) as refused:
        prepare_cli_answer(
            session,
            code=code,
            step=step,
            fields={"route": "havo", "evaluatie": "x"},
            answered_by="F. Smit, intaker",
        )
    assert refused.value.errors == ["'Route': kies een van: 'regulier', 'pro', 'vso'."]


def test_the_open_question_lists_its_fields_labels_and_allowed_values() -> None:
    _, code, step = _waiting_for_the_route_choice()
    with session_scope() as session:
        question = open_question(session, code=code, step=step)
    assert (question.code, question.step, question.question) == (code, step, "evaluatie")
    assert question.title == "evaluatie en keuze van de route"
    listed = [(f.name, f.title, question.allowed(f), f.required) for f in question.fields]
    assert listed == [
        ("route", "Route", "een van: 'regulier', 'pro', 'vso'", True),
        (
            "vervolgplan_nodig",
            "Is een tweede deel van het plan van aanpak nodig?",
            "ja of nee (standaard nee)",
            False,
        ),
        ("evaluatie", "Evaluatie", "tekst (hoogstens 2000 tekens)", True),
    ]
    with session_scope() as session, pytest.raises(AnswerError, match="niet bij stap 3"):
        open_question(session, code=code, step=3)


def test_a_cohort_without_trajectories_is_refused_naming_the_cohorts_there_are() -> None:
    with session_scope() as session:
        assert known_cohorts(session) == []
        with pytest.raises(UnknownCohortError, match="er is nog niemand ingeschreven"):
            check_cohort(session, 2027)
    _waiting_for_the_route_choice()
    with session_scope() as session:
        trajectory = session.exec(select(Trajectory)).one()
        assert known_cohorts(session) == [trajectory.cohort]
        check_cohort(session, COHORT)
        with pytest.raises(UnknownCohortError) as info:
            check_cohort(session, 1999)
    assert str(info.value) == "cohort 1999 heeft geen trajecten; er zijn trajecten in cohort 2028"
