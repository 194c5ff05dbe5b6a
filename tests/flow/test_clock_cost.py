"""The clock's cost follows what is due, not what exists: with hundreds of pupils waiting and
nothing due, a clock run makes the same number of database statements as with fifty."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.states import Suspended
from sqlalchemy import event
from sqlmodel import select

from flows.clock import clock_flow
from models.cases.enrolment import CheckedEnrollment, enroll
from models.enums import WaitingFor
from models.plan.library import get_plan
from models.store.clock import now, pinned, set_simulated_date
from models.store.db import get_engine, session_scope
from models.store.tables import School, Trajectory

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]

TODAY = date(2026, 11, 2)
WAKE_ON = date(2026, 12, 1)


def _waiting_pupils(count: int, offset: int) -> list[UUID]:
    """`count` pupils whose runs are suspended in Prefect, each waiting for 1 December."""
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("overstap-traject/traject")
    ids = []
    with session_scope() as session, pinned(date(2025, 9, 1)):
        school = session.exec(select(School).where(School.brin == "99CC")).first()
        if school is None:
            school = School(brin="99CC", name="OBS De Klok", kind="PO", created_at=now())
            session.add(school)
            session.flush()
        for n in range(offset, offset + count):
            checked = CheckedEnrollment(
                f"Kind{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}",
                "Wachter",
                date(2014, 1 + n % 12, 1 + n % 28),
                school,
                7,
                2027,
                8,
            )
            ids.append(enroll(session, checked, plan=get_plan(), actor="test").id)
    with get_client(sync_client=True) as client, session_scope() as session:
        for trajectory_id in ids:
            run = client.create_flow_run_from_deployment(
                deployment.id, parameters={"trajectory_id": str(trajectory_id)}
            )
            client.set_flow_run_state(
                run.id, Suspended(timeout_seconds=None, pause_key="wacht-1"), force=True
            )
            trajectory = session.get(Trajectory, trajectory_id)
            assert trajectory is not None
            trajectory.flow_run_id = run.id
            trajectory.waiting_for = WaitingFor.DATE
            trajectory.wait_until = WAKE_ON
            trajectory.current_step = 15
            trajectory.due = date(2027, 5, 31)
            trajectory.pause_key = "wacht-1"
            session.add(trajectory)
    return ids


def _statements_of_a_clock_run() -> tuple[int, dict[str, int]]:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        counts = clock_flow()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements), counts


def test_a_clock_run_with_nothing_due_costs_the_same_for_50_and_500_pupils() -> None:
    """Fifty waiting pupils, then five hundred: the second clock run of the day (dashboards
    already fresh, nothing due) makes the same number of statements, none per pupil, wakes
    nobody and repairs nothing."""
    set_simulated_date(TODAY)
    _waiting_pupils(50, 0)
    clock_flow()  # the first run of the day publishes the cohort's dashboard
    small, small_counts = _statements_of_a_clock_run()
    _waiting_pupils(450, 50)
    clock_flow()
    large, large_counts = _statements_of_a_clock_run()
    assert (small_counts["actief"], large_counts["actief"]) == (50, 500)
    for counts in (small_counts, large_counts):
        assert counts.get("gewekt", 0) == counts.get("hersteld", 0) == 0
        assert counts.get("dashboards", 0) == 0
    assert large == small
    assert large < 25
