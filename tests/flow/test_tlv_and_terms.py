"""The TLV procedure as a parallel track, zorgplicht after a negative TLV, admission terms.

Real Prefect server; time moves with the simulated clock. Each test checks the records, the
deadlines `overstap status` shows, and the escalation the clock makes.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from sqlmodel import col, select

from deployments.demo import REGULIER, VSO_AFGEWEZEN, Overrides, answer_source, scripted_answer
from models.cases.answers import AnswerError
from models.cases.view import TrajectoryView
from models.enums import TrajectoryStatus
from models.plan.purposes import Purpose
from models.reports.status import status_row
from models.settings import reset_settings
from models.store.clock import set_simulated_date, today
from models.store.db import session_scope
from models.store.tables import AuditEntry, OutboxMessage, TlvRequest
from models.walk.actions import Ask
from tests.flow.driver import (
    asking,
    drive,
    execute,
    give_answer,
    make_pupil,
    run_clock_at,
    view_of,
)

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]


def _asks(trajectory_id: UUID, step: int, question: str) -> bool:
    return any((a.step, a.question) == (step, question) for a in asking(trajectory_id))


def _asked(step: int, question: str) -> Any:
    def stop(view: TrajectoryView) -> bool:
        return _asks(view.trajectory.id, step, question)

    return stop


def _answer(trajectory_id: UUID, ask: Ask, overrides: Overrides, **fields: Any) -> None:
    view = view_of(trajectory_id)
    given = scripted_answer(view, ask, today(), overrides) | fields
    give_answer(trajectory_id, given, step=ask.step)


def _tlv_requests(trajectory_id: UUID) -> list[TlvRequest]:
    with session_scope() as session:
        return list(
            session.exec(select(TlvRequest).where(TlvRequest.trajectory_id == trajectory_id))
        )


def test_vso_pupil_with_a_positive_tlv_in_its_own_run() -> None:
    """The TLV track runs beside the main walk; the CvA's category is recorded on the request."""
    overrides: Overrides = {
        **VSO_AFGEWEZEN,
        "tlv_decision": {"besluit": "toegekend", "categorie": "midden"},
        "admission_decision_pro_vso": {"besluit": "toegelaten"},
    }
    trajectory_id = make_pupil(cohort=2027)
    drive(trajectory_id, answer_source(overrides))
    view = view_of(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.AFGEROND
    assert view.tracks["tlv"].status == TrajectoryStatus.AFGEROND
    assert view.tracks["tlv"].flow_run_id not in (None, view.trajectory.flow_run_id)
    [request] = _tlv_requests(trajectory_id)
    assert (request.kind, request.advice, request.decision) == ("VSO", "positief", "toegekend")
    assert request.category == "midden"
    assert request.submitted_by == "VSO De Atlas"
    assert request.grensgebied is False
    assert request.decided_on == date(2027, 1, 1)
    assert request.valid_until is not None
    assert request.valid_until > request.decided_on
    # The PO school's advice (step 19, January) did not wait for the CvA (track, January too).
    assert view.records[19].opened_on == date(2027, 1, 1)
    assert view.records[24].status == "done"
    assert view.records[25].status == "skipped"
    with get_client(sync_client=True) as client:
        track_run = client.read_flow_run(view.tracks["tlv"].flow_run_id)  # type: ignore[arg-type]
    assert set(track_run.parameters) == {"track_run_id"}
    assert "track:tlv" in track_run.tags


def test_pro_pupil_with_a_negative_tlv_gets_an_mpo_and_step_25() -> None:
    """A refused TLV: the MPO term (10 working days, voorjaarsvakantie skipped), then step 25."""
    overrides: Overrides = {
        "route_choice": {"route": "pro", "vervolgplan_nodig": False},
        "registration_pro_vso": {"school": "PrO Assen"},
        "cvb_advice": {"advies": "positief"},
        "alternative_offer": {"school": "Dr. Nassau College Penta", "bezwaar": "bezwaar gestart"},
    }
    trajectory_id = make_pupil(
        cohort=2027, walked=(answer_source(overrides), Purpose.REGISTRATION_PRO_VSO)
    )
    drive(trajectory_id, answer_source(overrides), stop_when=_asked(18, "tlv"))
    # The CvA decides on Friday 12 February 2027, just before the voorjaarsvakantie (Noord).
    set_simulated_date(date(2027, 2, 12))
    refusal = {
        "besluit": "afgewezen",
        "categorie": "n.v.t.",
        "besluit_op": "2027-02-12",
        "geldig_tot": "2027-02-12",
        "reden": "Geen PRO-doelgroep volgens de criteria.",
    }
    _answer(trajectory_id, Ask(18, "tlv", 1, date(2027, 5, 12)), overrides, **refusal)
    drive(trajectory_id, answer_source(overrides), stop_when=_asked(18, "mpo"))
    view = view_of(trajectory_id)
    mpo = [d for d in status_row(view).deadlines if d.kind == "mpo"]
    assert [(d.due, d.basis.split(" na ")[0]) for d in mpo] == [(date(2027, 3, 5), "10 werkdagen")]
    assert asking(trajectory_id)[-1].due == date(2027, 3, 5), "the MPO question is due then"
    [request] = _tlv_requests(trajectory_id)
    assert (request.kind, request.decision, request.category) == ("PRO", "afgewezen", None)
    assert request.reason == "Geen PRO-doelgroep volgens de criteria."

    drive(trajectory_id, answer_source(overrides))
    view = view_of(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.AFGEROND
    assert view.records[18].answer is not None
    assert set(view.records[18].answer) == {"tlv", "mpo"}
    assert view.records[25].status == "done"
    assert view.records[25].answer is not None
    assert set(view.records[25].answer) == {"aanbod"}, "the MPO was already held at step 18"
    assert view.records[25].answer["aanbod"]["bezwaar"] == "bezwaar gestart"
    assert view.records[24].status == "skipped"
    assert view.vo_school is not None
    assert view.vo_school.name == "Dr. Nassau College Penta"


def test_admission_term_extended_once_then_escalated(monkeypatch: pytest.MonkeyPatch) -> None:
    """Six weeks after the complete registration, four more once; then the coordinator hears."""
    monkeypatch.setenv("OVERSTAP_COORDINATOR_EMAIL", "Coördinator SWV <coordinator@example.org>")
    reset_settings()
    hold = {(21, "toelating")}

    def source(view: TrajectoryView, action: Ask, day: date) -> dict[str, Any] | None:
        return scripted_answer(view, action, day, REGULIER)

    trajectory_id = make_pupil(cohort=2027, walked=(source, Purpose.REGISTRATION))

    drive(trajectory_id, source, stop_when=_asked(21, "toelating"))
    view = view_of(trajectory_id)
    # Registered, form and OSO dossier complete on 25 March 2027 (the answers' day): due 6 May.
    [ask] = [a for a in asking(trajectory_id) if (a.step, a.question) in hold]
    assert ask == Ask(21, "toelating", 1, date(2027, 5, 6))
    [term] = [d for d in status_row(view).deadlines if d.kind == "besluit_toelating"]
    assert term.due == date(2027, 5, 6)
    assert term.basis.startswith("6 weken na 25 maart 2027")

    set_simulated_date(date(2027, 5, 4))
    extension = {
        "besluit": "termijn verlengen (4 weken)",
        "datum": "2027-05-04",
        "reden": "MPO nodig",
    }
    _answer(trajectory_id, ask, REGULIER, **extension)
    execute(trajectory_id)
    assert Ask(21, "toelating", 2, date(2027, 6, 3)) in asking(trajectory_id)
    view = view_of(trajectory_id)
    [term] = [d for d in status_row(view).deadlines if d.kind == "besluit_toelating"]
    assert term.due == date(2027, 6, 3)
    assert "verlengd met 4 weken op 4 mei 2027 (reden: MPO nodig)" in term.basis

    # A second extension: `overstap answer` refuses it at once and changes nothing ...
    second = Ask(21, "toelating", 2, date(2027, 6, 3))
    with pytest.raises(AnswerError, match="een tweede verlenging is niet mogelijk"):
        _answer(trajectory_id, second, REGULIER, **extension)
    # ... and the UI form, which only checks types, gets it refused by the flow, which asks again.
    form = scripted_answer(view_of(trajectory_id), second, today(), REGULIER) | extension
    track_run = view_of(trajectory_id).tracks["toelating"].flow_run_id
    assert track_run is not None
    with get_client(sync_client=True) as client:
        client.resume_flow_run(track_run, run_input=form)
    execute(trajectory_id)
    assert Ask(21, "toelating", 3, date(2027, 6, 3)) in asking(trajectory_id)
    errors = [a.errors for a in view_of(trajectory_id).answers if a.attempt == 2 and a.step == 21]
    assert "een tweede verlenging is niet mogelijk" in errors[0][0]

    counts = run_clock_at(date(2027, 6, 4))
    assert counts["termijn_verlopen"] == 1
    assert run_clock_at(date(2027, 6, 5)).get("termijn_verlopen", 0) == 0, "escalated once"
    view = view_of(trajectory_id)
    assert status_row(view, date(2027, 6, 5)).overdue
    with session_scope() as session:
        escalations = session.exec(
            select(AuditEntry)
            .where(AuditEntry.trajectory_id == trajectory_id)
            .where(AuditEntry.action == "termijn_verlopen")
            .order_by(col(AuditEntry.id))
        ).all()
        emails = session.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == "coordinator@example.org")
        ).all()
    keys = [e.detail["sleutel"] for e in escalations]
    assert "besluit_toelating:2027-06-03" in keys
    late = [m for m in emails if m.kind == "te_laat" and m.step == 21]
    assert [m.topic for m in late] == ["besluit_toelating:2027-06-03"], "one email, with the term"
    assert "Termijn: 6 weken na 25 maart 2027" in late[0].text_body
