"""The demo's pupils, walked up to today by the flow's own executor, stand where a school that did
everything on time would stand: asking this month's question, waiting for next month, or done."""

from __future__ import annotations

import pytest
from freezegun import freeze_time
from sqlmodel import select

from deployments.demo import DEMO_PUPILS, seed_demo_records
from models.cases.view import load_views
from models.store.db import session_scope
from models.store.tables import OutboxMessage


@freeze_time("2026-11-30 09:00:00")
@pytest.mark.usefixtures("db")
def test_demo_pupils_stand_where_the_calendar_puts_them() -> None:
    """On 30 November 2026: groep-7 Sanne is asked step 3 (November), groep-8 Daan the screening
    of step 14, Noor (VSO) waits for 1 December and step 16, Finn stopped at step 5, Lotte in the
    brugklas is asked step 28, and Mees has finished."""
    lines = seed_demo_records()
    assert f"{len(DEMO_PUPILS)} fictieve leerlingen ingeschreven." in lines
    with session_scope() as session:
        views = {v.pupil.first_name: v for v in load_views(session)}
        mails = session.exec(select(OutboxMessage)).all()
    where = {
        name: (
            v.trajectory.status.value,
            v.trajectory.current_step,
            v.trajectory.waiting_for.value,
            v.trajectory.current_question,
        )
        for name, v in views.items()
    }
    assert where == {
        "Sanne": ("actief", 3, "answer", "open_dagen"),
        "Daan": ("actief", 14, "answer", "screening"),
        "Noor": ("actief", 16, "date", None),
        "Finn": ("gestopt", None, "stopped", None),
        "Lotte": ("actief", 28, "answer", "terugkoppeling"),
        "Mees": ("afgerond", None, "done", None),
    }
    assert views["Noor"].trajectory.wait_until is not None
    assert views["Noor"].trajectory.wait_until.isoformat() == "2026-12-01"
    assert views["Noor"].trajectory.route == "vso"
    # The same executor as the flow: the questions asked on the way were emailed (queued).
    asked = {(m.trajectory_id, m.step) for m in mails if m.kind == "stap_open"}
    assert (views["Sanne"].trajectory.id, 3) in asked
    assert seed_demo_records() == []  # a second start seeds nothing twice
