"""The parents' own choice in the aanmeldweek (chapter 2), walked without Prefect: a pupil
admitted at PrO Assen is registered at a regular school after all. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from freezegun import freeze_time
from sqlmodel import select

from deployments.demo import PRO_TOEGELATEN, Overrides, answer_source
from models.enums import StepStatus, TrajectoryStatus
from models.store.db import session_scope
from models.store.tables import AuditEntry
from models.walk.offline import walk_without_prefect
from tests.db.pupils import enrolled_pupil, view_of

pytestmark = pytest.mark.usefixtures("db")


def _pupil() -> UUID:
    return enrolled_pupil("Sietse", "Hofman", date(2015, 2, 9))


_view = view_of


@freeze_time("2025-09-01 08:00:00")
@pytest.mark.parametrize("keeps", [True, False])
def test_in_the_aanmeldweek_the_parents_keep_or_leave_the_pro_registration(keeps: bool) -> None:
    """Admitted at PrO Assen in the spring; in the aanmeldweek the intaker records the parents'
    choice. Kept: nothing else is asked there. Left: the pupil registers at a regular school, whose
    decision is the one that counts, and finishes the regular route."""
    reason = "Ouders kiezen voor de school van de broer."
    overrides: Overrides = {
        **PRO_TOEGELATEN,
        "registration_choice": (
            {"keuze": "PRO of VSO"} if keeps else {"keuze": "reguliere VO-school", "reden": reason}
        ),
        "registration": {"vo_school": "Dr. Nassau College Penta", "nader_overleg_nodig": False},
        "admission_decision": {"besluit": "toegelaten", "plaatsing": "vmbo-bb"},
    }
    trajectory_id = _pupil()
    result = walk_without_prefect(
        trajectory_id, answers=answer_source(overrides), until=date(2028, 1, 1)
    )
    assert result.finished
    view = _view(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.AFGEROND
    assert view.facts.value("admission_decision_pro_vso", "besluit") == "toegelaten"
    assert view.records[21].status == StepStatus.DONE
    assert view.tracks["toelating_pro_vso"].status == TrajectoryStatus.AFGEROND
    with session_scope() as session:
        changes = session.exec(
            select(AuditEntry).where(
                AuditEntry.trajectory_id == trajectory_id, AuditEntry.action == "route_gewijzigd"
            )
        ).all()
    if keeps:
        assert (view.trajectory.route, view.facts.admission) == ("pro", "toegelaten")
        assert set(view.records[21].answer or {}) == {"keuze"}
        assert "toelating" not in view.tracks
        assert view.vo_school is not None
        assert view.vo_school.name == "PrO Assen"
        assert changes == []
        return
    assert view.trajectory.route == "regulier"
    assert set(view.records[21].answer or {}) == {
        "keuze",
        "aanmelding",
        "oso",
        "oso_ontvangst",
        "toelating",
        "brief",
    }
    assert view.tracks["toelating"].status == TrajectoryStatus.AFGEROND
    assert view.facts.value("admission_decision", "plaatsing") == "vmbo-bb"
    assert view.facts.admission == "toegelaten"
    assert view.vo_school is not None
    assert view.vo_school.name == "Dr. Nassau College Penta"
    [change] = changes
    assert (change.detail["doel"], change.detail["reden"]) == ("registration_choice", reason)
