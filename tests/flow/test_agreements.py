"""The agreements read again (issue 11), against a real Prefect server: the doorstroomtoets and
the placement level, the admission term of a PRO pupil whose TLV is late, the parents' own
choice that stops the TLV procedure, and a pupil who leaves from groep 7.

Time moves with the simulated clock and the clock flow; answers go in as `overstap answer`
sends them (`tests.flow.driver`). `docs/agreements.md` quotes the rule each test checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from prefect.client.schemas.objects import StateType
from sqlmodel import col, select

from deployments.demo import REGULIER, Overrides, answer_source, scripted_answer
from models.cases.answers import AnswerError
from models.cases.view import TrajectoryView
from models.enums import StepStatus, TrajectoryStatus
from models.plan.forms import REVISED
from models.plan.purposes import Purpose
from models.reports.status import status_row
from models.settings import reset_settings
from models.store.clock import today
from models.store.db import session_scope
from models.store.tables import AuditEntry, OutboxMessage, TlvRequest
from models.walk.actions import Ask, next_action
from models.walk.executor import walk
from models.walk.offline import OfflineRuntime
from tests.flow.driver import (
    asking,
    drive,
    execute,
    flow_run_state,
    give_answer,
    make_pupil,
    run_clock_at,
    view_of,
)

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]

COORDINATOR = "coordinator@example.org"
VSO: Overrides = {
    **REGULIER,
    "route_choice": {"route": "vso", "vervolgplan_nodig": False},
    "registration_pro_vso": {"school": "VSO De Atlas"},
    "cvb_advice": {"advies": "positief"},
    "registration": {"vo_school": "Dr. Nassau College Penta", "nader_overleg_nodig": False},
}


@pytest.fixture
def coordinator(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OVERSTAP_COORDINATOR_EMAIL", f"Coördinator SWV <{COORDINATOR}>")
    reset_settings()
    return COORDINATOR


def _asked(*questions: tuple[int, str]) -> Any:
    def stop(view: TrajectoryView) -> bool:
        open_now = {(a.step, a.question) for a in asking(view.trajectory.id)}
        return any(q in open_now for q in questions)

    return stop


def _ask(trajectory_id: UUID, step: int, question: str) -> Ask:
    [ask] = [a for a in asking(trajectory_id) if (a.step, a.question) == (step, question)]
    return ask


def _answer(trajectory_id: UUID, ask: Ask, overrides: Overrides, **fields: Any) -> None:
    given = scripted_answer(view_of(trajectory_id), ask, today(), overrides) | fields
    give_answer(trajectory_id, given, step=ask.step)


def _audit(trajectory_id: UUID, action: str) -> list[Mapping[str, Any]]:
    with session_scope() as session:
        entries = session.exec(
            select(AuditEntry)
            .where(AuditEntry.trajectory_id == trajectory_id, AuditEntry.action == action)
            .order_by(col(AuditEntry.id))
        ).all()
    return [e.detail for e in entries]


def _coordinator_mail(trajectory_id: UUID) -> list[OutboxMessage]:
    with session_scope() as session:
        return list(
            session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.trajectory_id == trajectory_id)
                .where(OutboxMessage.recipient == COORDINATOR)
                .where(OutboxMessage.kind == "te_laat")
            )
        )


def test_a_better_doorstroomtoets_revises_the_advice_and_the_pupil_is_placed_at_that_level() -> (
    None
):
    """Voorlopig vmbo-gt, doorstroomtoets havo: an unrevised advice without a reason is refused,
    the advice goes up to havo, and the VO school places the pupil at havo (below it only with a
    reason)."""
    overrides: Overrides = {
        **REGULIER,
        "preliminary_advice": {"advies": "vmbo-gt"},
        "definitive_advice": {"toetsuitslag": "havo", "advies": "havo", "bijstelling": REVISED},
        "admission_decision": {"besluit": "toegelaten", "plaatsing": "havo"},
    }
    trajectory_id = make_pupil(cohort=2027)
    drive(trajectory_id, answer_source(overrides), stop_when=_asked((20, "advies")))
    ask = _ask(trajectory_id, 20, "advies")
    assert today() == date(2027, 3, 15), "step 20 opens on the calendar's uitslag_doorstroomtoets"
    unrevised = {"toetsuitslag": "havo", "advies": "vmbo-gt", "bijstelling": REVISED}
    with pytest.raises(AnswerError, match=r"Bij 'naar boven bijgesteld' is het definitieve advies"):
        _answer(trajectory_id, ask, overrides, **unrevised)
    with pytest.raises(AnswerError, match="De doorstroomtoets \\(havo\\) is beter gemaakt"):
        _answer(
            trajectory_id,
            ask,
            overrides,
            **unrevised | {"bijstelling": "geen bijstelling: de toetsuitslag is niet hoger"},
        )
    drive(trajectory_id, answer_source(overrides), stop_when=_asked((21, "toelating")))
    toelating = _ask(trajectory_id, 21, "toelating")
    below = {"besluit": "toegelaten", "plaatsing": "vmbo-gt", "reden": ""}
    with pytest.raises(AnswerError, match="ligt onder het schooladvies \\(havo\\)"):
        _answer(trajectory_id, toelating, overrides, **below)

    drive(trajectory_id, answer_source(overrides))
    view = view_of(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.AFGEROND
    advice = view.facts.answers["definitive_advice"]
    assert (advice["toetsuitslag"], advice["advies"], advice["bijstelling"]) == (
        "havo",
        "havo",
        REVISED,
    )
    assert view.facts.value("preliminary_advice", "advies") == "vmbo-gt"
    decision = view.facts.answers["admission_decision"]
    assert (decision["besluit"], decision["plaatsing"]) == ("toegelaten", "havo")
    assert view.facts.value("decision_letter", "verzonden_op") is not None
    assert view.records[24].status == StepStatus.DONE


def test_a_pro_pupils_admission_term_runs_out_while_the_tlv_is_pending(coordinator: str) -> None:
    """Registered at PrO Assen on 1 December 2026, the dossier received the same day: the
    decision is due six weeks later (12 January 2027), TLV or not. The CvA has not decided by
    then: the clock escalates the term once to the coordinator, naming the pending TLV."""
    overrides: Overrides = {
        **REGULIER,
        "route_choice": {"route": "pro", "vervolgplan_nodig": False},
        "registration_pro_vso": {"school": "PrO Assen"},
        "cvb_advice": {"advies": "positief"},
    }
    answers = answer_source(overrides)
    trajectory_id = make_pupil(cohort=2027, walked=(answers, Purpose.REGISTRATION_PRO_VSO))
    drive(trajectory_id, answers, stop_when=_asked((18, "tlv")))
    view = view_of(trajectory_id)
    registration = view.facts.answers["registration_pro_vso"]
    assert registration["formulier_volledig_op"] == date(2026, 12, 1)
    assert view.facts.value("oso_received_pro_vso", "ontvangen_op") == date(2026, 12, 1)
    [term] = [d for d in status_row(view).deadlines if d.kind == "besluit_toelating"]
    assert term.due == date(2027, 1, 12)
    assert term.basis.startswith("6 weken na 1 december 2026")
    assert "wacht nog op: de TLV: aangevraagd bij de CvA op 1 december 2026" in term.basis
    assert not view.facts.answered("tlv_decision")

    assert run_clock_at(date(2027, 1, 12)).get("termijn_verlopen", 0) == 0, "due that day"
    assert run_clock_at(date(2027, 1, 13))["termijn_verlopen"] == 1
    assert run_clock_at(date(2027, 1, 14)).get("termijn_verlopen", 0) == 0, "escalated once"
    [mail] = _coordinator_mail(trajectory_id)
    assert mail.topic == "besluit_toelating:2027-01-12"
    assert "nog geen besluit van de CvA" in mail.text_body
    assert "Termijn: 6 weken na 1 december 2026" in mail.text_body
    assert [d["sleutel"] for d in _audit(trajectory_id, "termijn_verlopen")] == [
        "besluit_toelating:2027-01-12"
    ]
    assert status_row(view_of(trajectory_id), date(2027, 1, 14)).overdue


def test_parents_choose_a_regular_school_at_the_pro_vso_registration() -> None:
    """VSO route, but at the PRO/VSO registration the parents choose a regular school (with a
    reason): no PRO/VSO registration, no TLV procedure is ever started, and the pupil walks the
    regular route to the end."""
    reason = "Ouders kiezen na een open dag voor het regulier VO."
    overrides: Overrides = {
        **VSO,
        "pro_vso_choice": {"keuze": "reguliere VO-school", "reden": reason},
    }
    trajectory_id = make_pupil(cohort=2027)
    journey = drive(trajectory_id, answer_source(overrides))
    assert journey.asked_twice() == []
    view = view_of(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.AFGEROND
    assert (view.trajectory.route, view.facts.chosen_route) == ("regulier", "vso")
    assert "tlv" not in view.tracks
    assert "toelating_pro_vso" not in view.tracks
    assert view.tracks["toelating"].status == TrajectoryStatus.AFGEROND
    assert view.records[16].status == StepStatus.DONE
    assert set(view.records[16].answer or {}) == {"keuze"}
    assert [view.records[n].status for n in (17, 18)] == [StepStatus.SKIPPED] * 2
    assert view.facts.admission == "toegelaten"
    assert view.vo_school is not None
    assert view.vo_school.name == "Dr. Nassau College Penta"
    [change] = _audit(trajectory_id, "route_gewijzigd")
    assert (change["van"], change["naar"], change["reden"]) == ("vso", "regulier", reason)


def test_parents_choice_at_the_advice_stops_a_running_tlv_procedure() -> None:
    """Registered at VSO De Atlas, the TLV requested and waiting for the CvA: at the voorlopig
    advies the PO school records that the parents choose a regular school. The TLV track stops
    (its question withdrawn, its suspended run cancelled, its request withdrawn); replayed, it
    finds nothing to do; the clock leaves it alone; the pupil finishes the regular route."""
    reason = "Ouders willen toch naar een reguliere school."
    trajectory_id = make_pupil(
        cohort=2027, walked=(answer_source(VSO), Purpose.REGISTRATION_PRO_VSO)
    )
    drive(trajectory_id, answer_source(VSO), stop_when=_asked((18, "tlv")))
    if not any((a.step, a.question) == (19, "advies") for a in asking(trajectory_id)):
        drive(trajectory_id, answer_source(VSO), stop_when=_asked((19, "advies")))
    view = view_of(trajectory_id)
    tlv_run = view.tracks["tlv"].flow_run_id
    assert tlv_run is not None
    assert flow_run_state(tlv_run) == StateType.PAUSED
    assert view.records[18].status == StepStatus.OPEN

    _answer(
        trajectory_id,
        _ask(trajectory_id, 19, "advies"),
        VSO,
        ouders_kiezen_regulier="ja",
        reden_routewijziging=reason,
    )
    execute(trajectory_id)
    view = view_of(trajectory_id)
    assert view.trajectory.route == "regulier"
    track = view.tracks["tlv"]
    assert (track.status, track.waiting_for, track.flow_run_id) == ("gestopt", "stopped", tlv_run)
    assert flow_run_state(tlv_run) == StateType.CANCELLED
    [stopped] = [d for d in _audit(trajectory_id, "track_gestopt") if d["track"] == "tlv"]
    assert stopped["vraag_ingetrokken"] == {"stap": 18, "vraag": "tlv"}
    assert reason in stopped["reden"]
    assert view.records[18].status == StepStatus.SKIPPED
    assert (view.records[18].note or "").startswith("ingetrokken: de ouders kiezen")
    with session_scope() as session:
        [request] = session.exec(
            select(TlvRequest).where(TlvRequest.trajectory_id == trajectory_id)
        ).all()
    assert (request.kind, request.decision) == ("VSO", "ingetrokken")

    # Replayed, the stopped track finds nothing to do: no action, no question, its status back.
    assert next_action(view, today(), "tlv") is None
    replay = _Replay(today(), answer_source(VSO), run_id=tlv_run)
    assert walk(trajectory_id, "tlv", replay) == "gestopt"
    assert (replay.progressed, replay.asked) == (False, [])
    counts = run_clock_at(today())
    assert counts.get("hersteld", 0) == 0
    assert view_of(trajectory_id).tracks["tlv"].flow_run_id == tlv_run
    assert flow_run_state(tlv_run) == StateType.CANCELLED

    drive(trajectory_id, answer_source(VSO))
    view = view_of(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.AFGEROND
    assert view.facts.value("registration", "vo_school") == "Dr. Nassau College Penta"
    assert view.facts.admission == "toegelaten"
    assert view.tracks["toelating"].step == 21
    assert view.tracks["toelating"].status == TrajectoryStatus.AFGEROND
    assert view.records[21].answer is not None
    assert "aanmelding" in view.records[21].answer
    assert view.tracks["tlv"].status == TrajectoryStatus.GESTOPT


class _Replay(OfflineRuntime):
    """An offline runtime that walks as the given (stopped) flow run."""

    def __init__(self, day: date, answers: Any, run_id: UUID) -> None:
        super().__init__(day, answers)
        self.run_id = run_id

    @property
    def flow_run_id(self) -> UUID | None:
        return self.run_id


def test_a_pupil_leaving_from_groep_7_enrolled_in_october_is_not_late_for_earlier_steps(
    coordinator: str,
) -> None:
    """Enrolled on 15 October 2025 in groep 7, to VO in August 2026: the steps of "groep 7" in the
    plan lay a year earlier. They are recorded as ingestroomd, the consultation with a VO school,
    the definitive selection and the school preference are still asked (due with the first
    question after enrolment, step 14: 30 November 2025), the registration comes after the joint
    consultation, and nobody is escalated for an earlier window."""
    trajectory_id = make_pupil(cohort=2026, start=date(2025, 10, 15), transfer_groep=7)
    execute(trajectory_id)
    late = {1, 3, 4, 6, 7, 9, 10, 11, 12}
    # The walk goes step by step: step 1 is recorded, step 2 (the consultation) is asked first.
    view = view_of(trajectory_id)
    assert {n: r.status for n, r in view.records.items()} == {
        1: StepStatus.LATE_ENTRY,
        2: StepStatus.OPEN,
    }
    assert asking(trajectory_id) == [Ask(2, "overleg", 1, date(2025, 11, 30))]
    counts = run_clock_at(date(2025, 10, 16))
    assert (counts.get("te_laat", 0), counts.get("termijn_verlopen", 0)) == (0, 0)
    assert status_row(view_of(trajectory_id), date(2025, 10, 16)).steps_late_entry == [1]

    overrides: Overrides = {
        **REGULIER,
        "registration": {"vo_school": "Dr. Nassau College Penta", "nader_overleg_nodig": False},
    }
    drive(trajectory_id, answer_source(overrides), stop_when=_asked((21, "aanmelding")))
    view = view_of(trajectory_id)
    # Answered (and the joint consultation held) the day after the enrolment, on 16 October.
    assert view.facts.value("vo_consultation", "overleg_op") == date(2025, 10, 16)
    with pytest.raises(AnswerError, match="pas aangemeld na het gezamenlijk overleg"):
        _answer(
            trajectory_id,
            _ask(trajectory_id, 21, "aanmelding"),
            overrides,
            aangemeld_op="2025-10-01",
            formulier_volledig_op="2025-10-01",
        )
    journey = drive(trajectory_id, answer_source(overrides))
    assert journey.asked_twice() == []
    view = view_of(trajectory_id)
    assert view.trajectory.status == TrajectoryStatus.AFGEROND
    assert {n for n, r in view.records.items() if r.status == StepStatus.LATE_ENTRY} == late
    for number in late:
        assert "ingestroomd op 15 oktober 2025" in (view.records[number].note or "")
    asked_late = [view.records[n] for n in (2, 5, 8)]
    assert [(r.status, r.due_by) for r in asked_late] == [(StepStatus.DONE, date(2025, 11, 30))] * 3
    assert _audit(trajectory_id, "termijn_verlopen") == []
    assert _coordinator_mail(trajectory_id) == []
    assert view.trajectory.cohort == 2026
    assert view.records[28].status == StepStatus.DONE
