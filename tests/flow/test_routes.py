"""One pupil of each route walks steps 1 to 28 against a real Prefect server.

Time moves with the simulated clock and the clock flow; answers go in as `overstap answer` sends
them. Each test checks every step's record, what was skipped, and that no question was asked twice
(not by us, and not by Prefect: one Suspended state per question's pause key).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from sqlmodel import col, select

from deployments.demo import PRO_TOEGELATEN, REGULIER, VSO_AFGEWEZEN, Overrides, answer_source
from models.cases.view import pause_key
from models.enums import StepStatus, TrajectoryStatus
from models.settings import reset_settings
from models.store.db import session_scope
from models.store.tables import Answer, AuditEntry
from tests.flow.driver import drive, make_pupil, view_of

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]


def _suspend_keys(flow_run_id: UUID) -> Counter[str]:
    with get_client(sync_client=True) as client:
        states = client.read_flow_run_states(flow_run_id)
    return Counter(
        s.state_details.pause_key
        for s in states
        if s.name == "Suspended" and s.state_details.pause_key is not None
    )


def _check_full_walk(trajectory_id: UUID, expected_skipped: set[int]) -> None:
    view = view_of(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.AFGEROND
    numbers = list(range(1, len(view.plan.steps) + 1))
    statuses = {n: r.status for n, r in view.records.items()}
    assert sorted(statuses) == numbers, "every step has a record"
    skipped = {n for n, s in statuses.items() if s == StepStatus.SKIPPED}
    assert skipped == expected_skipped
    assert {n for n, s in statuses.items() if s == StepStatus.DONE} == set(numbers) - skipped
    for number in set(numbers) - skipped:
        record = view.records[number]
        assert record.opened_on is not None
        assert record.due_by is not None
        assert (
            record.opened_on
            >= view.plan.window(view.plan.step(number), view.trajectory.cohort).opens
        )
    for number in skipped:
        assert view.records[number].note, f"step {number} says why it was skipped"


def _check_asked_once(trajectory_id: UUID) -> None:
    view = view_of(trajectory_id)
    runs = [view.trajectory.flow_run_id, *(t.flow_run_id for t in view.tracks.values())]
    keys: Counter[str] = Counter()
    for run in runs:
        assert run is not None
        keys.update(_suspend_keys(run))
    question_keys = {k: n for k, n in keys.items() if k.startswith("stap-")}
    assert question_keys, "the run asked questions"
    assert all(n == 1 for n in question_keys.values()), question_keys
    with session_scope() as session:
        answers = session.exec(select(Answer).where(Answer.trajectory_id == trajectory_id)).all()
    per_question = Counter((a.step, a.question) for a in answers)
    assert all(n == 1 for n in per_question.values()), per_question
    assert {pause_key(a.step, a.question, a.attempt) for a in answers} == set(question_keys)


# The steps each route skips, by purpose: the same test holds for any numbering of the table.
SKIPPED_BY_ROUTE = {
    "regulier": {"registration_pro_vso", "cvb_advice", "tlv_decision", "alternative_offer"},
    # PRO and VSO: the registration step asks whether the parents keep the PRO/VSO registration
    # (chapter 2: "formeel staat het de ouders vrij om een eigen andere keuze te maken").
    "pro-met-tlv": {
        "action_plan_second_part",
        "further_consultation",
        "alternative_offer",
    },
    "vso-tlv-afgewezen": {
        "action_plan_second_part",
        "further_consultation",
        "start_agreements",
    },
}
RENUMBERED = Path(__file__).resolve().parents[1] / "data" / "plan-hernummerd"


@pytest.fixture(params=["2025-2026.1", "2025-2026.hernummerd"])
def plan_version(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The shipped plan, and a plan with a step inserted after step 2 (old 3..28 are 4..29)."""
    version = str(request.param)
    if version == "2025-2026.hernummerd":
        monkeypatch.setenv("OVERSTAP_PLAN_DIR", str(RENUMBERED))
    monkeypatch.setenv("OVERSTAP_PLAN_VERSION", version)
    reset_settings()
    return version


@pytest.mark.parametrize(
    ("name", "overrides"),
    [("regulier", REGULIER), ("pro-met-tlv", PRO_TOEGELATEN), ("vso-tlv-afgewezen", VSO_AFGEWEZEN)],
)
def test_route_walks_every_step(name: str, overrides: Overrides, plan_version: str) -> None:
    """Each route ends with every step of its plan recorded, the right ones skipped, nothing
    asked twice: in the shipped plan and in a renumbered one, without a code change."""
    trajectory_id = make_pupil(cohort=2027)
    journey = drive(trajectory_id, answer_source(overrides))
    assert journey.asked_twice() == []
    view = view_of(trajectory_id)
    assert view.trajectory.plan_version == plan_version
    skipped = {view.plan.step_of(purpose).number for purpose in SKIPPED_BY_ROUTE[name]}
    _check_full_walk(trajectory_id, skipped)
    _check_asked_once(trajectory_id)
    route = {"regulier": "regulier", "pro-met-tlv": "pro", "vso-tlv-afgewezen": "vso"}[name]
    assert view.trajectory.route == route
    if name == "vso-tlv-afgewezen":
        assert view.facts.value("tlv_decision", "besluit") == "afgewezen"
        offer = view.plan.step_of("alternative_offer").number
        answer = view.records[offer].answer
        assert answer is not None
        assert answer["aanbod"]["school"] == "Dr. Nassau College Quintus"
        assert view.vo_school is not None
        assert view.vo_school.name == "Dr. Nassau College Quintus"
    if name == "pro-met-tlv":
        assert view.facts.value("admission_decision_pro_vso", "besluit") == "toegelaten"
        assert view.vo_school is not None
        assert view.vo_school.name == "PrO Assen"
    if plan_version == "2025-2026.hernummerd":
        inserted = view.records[3]
        assert inserted.answer is not None
        assert "kennismaking" in inserted.answer
        assert view.plan.step(4).title.startswith("Ouders wijzen op de open dagen")
    # the clock moved time: the walk waited for windows from September groep 7 to November brugklas
    assert journey.waits[0].isoformat() == "2025-10-01"
    assert journey.waits[-1].isoformat() == "2027-11-01"


def test_step_5_no_ends_the_trajectory_cleanly() -> None:
    """'Volgt de leerling het stappenplan? nee' stops the trajectory; later steps get no record."""
    overrides = {"definitive_selection": {"in_stappenplan": "nee", "toelichting": "Geen zorgen."}}
    trajectory_id = make_pupil(cohort=2027)
    drive(trajectory_id, answer_source(overrides))
    view = view_of(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.GESTOPT
    assert view.trajectory.waiting_for == "stopped"
    assert sorted(view.records) == [1, 2, 3, 4, 5]
    with session_scope() as session:
        actions = [
            e.action
            for e in session.exec(
                select(AuditEntry)
                .where(AuditEntry.trajectory_id == trajectory_id)
                .order_by(col(AuditEntry.id))
            )
        ]
    assert actions[-1] == "traject_gestopt"
