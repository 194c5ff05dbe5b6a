"""One pupil of cohort 2027 (groep 7 on 1 September 2025, OBS De Klimop) for database tests."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from models.cases.enrolment import CheckedEnrollment, enroll
from models.cases.view import TrajectoryView, load_view
from models.plan.library import get_plan
from models.store.clock import now, pinned
from models.store.db import session_scope
from models.store.schools import seed_vo_schools
from models.store.tables import School


def enrolled_pupil(first_name: str, last_name: str, birth_date: date) -> UUID:
    with session_scope() as session:
        seed_vo_schools(session)
        school = School(brin="12AB", name="OBS De Klimop", kind="PO", created_at=now())
        session.add(school)
        session.flush()
        checked = CheckedEnrollment(first_name, last_name, birth_date, school, 7, 2027, 8)
        with pinned(date(2025, 9, 1)):
            return enroll(session, checked, plan=get_plan(), actor="test").id


def view_of(trajectory_id: UUID) -> TrajectoryView:
    with session_scope() as session:
        view = load_view(session, trajectory_id)
    assert view is not None
    return view
