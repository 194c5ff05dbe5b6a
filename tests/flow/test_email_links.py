"""Every email that asks for an answer links to the flow run that holds the form.

A parallel track's questions (the OSO dossier and the admission decision of the *toelating*
track, the TLV decision of the *tlv* track) are asked by that track's own run, not by the
pupil's main run: the link in the email must open the run that is suspended on that form. And
two questions of one step get subjects that tell them apart.

With two pupils waiting for the CvA, the clock's daily digest to the CvA lists both questions,
each with the link of its own track run, once for the day.

Real Prefect server; the outbox holds what would be sent (the sender is tested elsewhere).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from sqlmodel import select

from deployments.demo import DEMO_SCHOOLS, REGULIER, VSO_AFGEWEZEN, answer_source
from models.cases.view import TrajectoryView, pause_key
from models.enums import MessageKind
from models.plan.purposes import Purpose
from models.settings import reset_settings
from models.store.clock import today
from models.store.db import session_scope
from models.store.schools import import_schools_csv
from models.store.tables import OutboxMessage
from models.terms.workdays import is_working_day
from tests.flow.driver import asking, drive, make_pupil, run_clock_at, view_of

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]

_LINK = re.compile(r"/runs/flow-run/([0-9a-f-]{36})")
IB = "ingrid.mulder@example.org"  # intern begeleider of OBS De Regenboog (99PA)
INTAKER = "femke.smit@example.org"  # intaker of Dr. Nassau College Penta
CVA = "cva@example.org"
# The pupils are walked without Prefect to the eve of the step whose answers start the tracks
# (`make_pupil(walked=...)`); their runs take it from there.
TRACKS_START = Purpose.REGISTRATION_PRO_VSO


def _asks(purpose: str) -> Callable[[TrajectoryView], bool]:
    def stop(view: TrajectoryView) -> bool:
        step, question = view.plan.find(purpose)
        return any(
            (a.step, a.question) == (step.number, question.key) for a in asking(view.trajectory.id)
        )

    return stop


def _asking_message(trajectory_id: UUID, purpose: str, recipient: str) -> OutboxMessage:
    step, question = view_of(trajectory_id).plan.find(purpose)
    with session_scope() as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.trajectory_id == trajectory_id)
            .where(OutboxMessage.step == step.number)
            .where(OutboxMessage.kind == MessageKind.STAP_OPEN)
            .where(OutboxMessage.topic == question.key)
            .where(OutboxMessage.recipient == recipient)
        ).all()
    assert len(rows) == 1, [(r.recipient, r.topic) for r in rows]
    return rows[0]


def _assert_links_to_the_suspended_form(
    trajectory_id: UUID, purpose: str, recipient: str, track: str
) -> OutboxMessage:
    """The email's link (text and html) names the run that is suspended on this form, which is
    the track's run and not the main run."""
    view = view_of(trajectory_id)
    step, question = view.plan.find(purpose)
    row = view.tracks[track]
    assert row.flow_run_id is not None
    assert row.flow_run_id != view.trajectory.flow_run_id
    assert (row.current_step, row.current_question) == (step.number, question.key)
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(row.flow_run_id).state
    assert state is not None
    assert state.type == StateType.PAUSED
    assert state.state_details.pause_key == pause_key(step.number, question.key, 1)

    message = _asking_message(trajectory_id, purpose, recipient)
    assert set(_LINK.findall(message.text_body)) == {str(row.flow_run_id)}
    assert set(_LINK.findall(message.html_body)) == {str(row.flow_run_id)}
    return message


def test_track_questions_link_to_the_track_run_and_name_the_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OVERSTAP_CVA_EMAIL", f"Commissie van Advies <{CVA}>")
    reset_settings()
    with session_scope() as session:
        import_schools_csv(session, DEMO_SCHOOLS, actor="test")

    # A regular pupil: at step 21 the toelating track asks for the OSO dossier, then the decision.
    answers = answer_source(REGULIER)
    regular = make_pupil(
        "Xanthe", "Oosterbroek", cohort=2027, brin="99PA", walked=(answers, Purpose.REGISTRATION)
    )
    drive(regular, answers, stop_when=_asks(Purpose.OSO_DOSSIER))
    oso = _assert_links_to_the_suspended_form(regular, Purpose.OSO_DOSSIER, IB, "toelating")
    drive(regular, answers, stop_when=_asks(Purpose.ADMISSION_DECISION))
    decision = _assert_links_to_the_suspended_form(
        regular, Purpose.ADMISSION_DECISION, INTAKER, "toelating"
    )
    # The registration of the same step is asked by the main run, under another subject.
    registration = _asking_message(regular, Purpose.REGISTRATION, INTAKER)
    main_run = view_of(regular).trajectory.flow_run_id
    assert set(_LINK.findall(registration.text_body)) == {str(main_run)}
    assert registration.step == decision.step == oso.step
    assert registration.subject != decision.subject
    assert "toelatingsbesluit" in decision.subject
    assert "OSO-dossier" in oso.subject

    # A VSO pupil: the CvA's TLV decision is asked by the tlv track's run.
    vso_answers = answer_source(VSO_AFGEWEZEN)
    vso = make_pupil(
        "Yara", "Zijlstra", cohort=2027, brin="99PA", walked=(vso_answers, TRACKS_START)
    )
    drive(vso, vso_answers, stop_when=_asks(Purpose.TLV_DECISION))
    tlv = _assert_links_to_the_suspended_form(vso, Purpose.TLV_DECISION, CVA, "tlv")
    assert "toelaatbaarheidsverklaring" in tlv.subject
    assert len({oso.subject, decision.subject, registration.subject, tlv.subject}) == 4

    # A second VSO pupil: the CvA now has two open questions, each on its own tlv run. The
    # clock's daily digest lists both, each with the link of the run that holds the form.
    second = make_pupil(
        "Zoë", "IJsselstein", cohort=2027, brin="99PA", walked=(vso_answers, TRACKS_START)
    )
    drive(second, vso_answers, stop_when=_asks(Purpose.TLV_DECISION))
    day = today()
    while not is_working_day(day):
        day += timedelta(days=1)
    counts = run_clock_at(day)
    assert counts.get("fouten", 0) == 0, counts
    assert counts["overzichten"] >= 1, counts
    again = run_clock_at(day)
    assert again.get("overzichten", 0) == 0, again
    with session_scope() as session:
        [digest] = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.kind == MessageKind.OVERZICHT)
            .where(OutboxMessage.recipient == CVA)
        ).all()
    tlv_runs = {str(view_of(t).tracks["tlv"].flow_run_id) for t in (vso, second)}
    assert set(_LINK.findall(digest.text_body)) == tlv_runs
    assert digest.subject.startswith("Overzicht ")
