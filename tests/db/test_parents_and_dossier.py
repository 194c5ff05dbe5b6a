"""Chapter 1's parents' side and Bijlage I's dossier, on one trajectory walked without Prefect:
the written decision to the parents within the admission term, the report to the
leerplichtambtenaar, the VO school's receipt of the dossier and its expiry. On SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from freezegun import freeze_time
from sqlmodel import select

from deployments.demo import REGULIER, Overrides, scripted_answer
from models.cases.casework import open_deadlines
from models.cases.view import TrajectoryView
from models.settings import reset_settings
from models.store.db import session_scope
from models.store.tables import AuditEntry, OutboxMessage
from models.walk.actions import Ask
from models.walk.offline import walk_without_prefect
from tests.db.pupils import enrolled_pupil, view_of

pytestmark = pytest.mark.usefixtures("db")

LEERPLICHT = "leerplicht@gemeente.example.org"
REGISTERED = date(2027, 3, 25)  # the aanmeldweek: the scripted answers register on this day


def _pupil() -> UUID:
    return enrolled_pupil("Jorrit", "Kamminga", date(2015, 1, 9))


_view = view_of


def _walk(trajectory_id: UUID, until: date, held: set[str], overrides: Overrides) -> None:
    """Answer everything up to `until` except the questions with these purposes."""

    def source(view: TrajectoryView, action: Ask, day: date) -> dict[str, Any] | None:
        if view.plan.purpose_of(action.step, action.question) in held:
            return None
        return scripted_answer(view, action, day, overrides)

    walk_without_prefect(trajectory_id, answers=source, until=until)


def _answer_once(trajectory_id: UUID, day: date, purpose: str, fields: dict[str, Any]) -> None:
    """Answer the question with `purpose` on `day` (it must be asked then), nothing else."""
    given = [fields]

    def source(view: TrajectoryView, action: Ask, today: date) -> dict[str, Any] | None:
        if view.plan.purpose_of(action.step, action.question) != purpose or not given:
            return None
        return scripted_answer(view, action, today, {purpose: given.pop()})

    walk_without_prefect(trajectory_id, answers=source, until=day, start=day)
    assert not given, f"{purpose} was not asked on {day}"


@freeze_time("2025-09-01 08:00:00")
def test_the_written_decision_to_the_parents_is_due_within_the_admission_term() -> None:
    """Decided on 20 April: the term (6 May) stays open until the letter is sent, its basis
    saying so; a letter dated before the decision is refused; sent on 22 April, the term ends."""
    trajectory_id = _pupil()
    _walk(trajectory_id, date(2027, 4, 19), {"admission_decision"}, REGULIER)
    _answer_once(trajectory_id, date(2027, 4, 20), "admission_decision", {"besluit": "toegelaten"})
    view = _view(trajectory_id)
    assert view.facts.value("admission_decision", "plaatsing") == "praktijkonderwijs"
    [term] = [d for d in open_deadlines(view) if d.kind == "besluit_toelating"]
    assert term.due == date(2027, 5, 6)
    assert term.basis.endswith(
        "wacht nog op: het schriftelijke besluit aan de ouders (besloten op 20 april 2027, nog "
        "niet verstuurd)"
    )
    _answer_once(
        trajectory_id, date(2027, 4, 21), "decision_letter", {"verzonden_op": "2027-04-19"}
    )
    refused = _view(trajectory_id).answers_to("decision_letter")
    assert [(a.accepted, a.errors) for a in refused] == [
        (
            False,
            [
                "Het schriftelijke besluit kan niet eerder verstuurd zijn (19 april 2027) dan het "
                "besluit (20 april 2027)."
            ],
        )
    ]
    _answer_once(
        trajectory_id, date(2027, 4, 22), "decision_letter", {"verzonden_op": "2027-04-22"}
    )
    view = _view(trajectory_id)
    assert view.facts.value("decision_letter", "verzonden_op") == date(2027, 4, 22)
    assert [d for d in open_deadlines(view) if d.kind == "besluit_toelating"] == []


@freeze_time("2025-09-01 08:00:00")
@pytest.mark.parametrize("configured", [True, False])
def test_a_report_to_the_leerplichtambtenaar_is_recorded_and_sent(
    configured: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The VO school reports on the admission question that the parents do not cooperate: an
    audit entry, and an email to the leerplichtambtenaar (or, without an address, to the
    coordinator, to forward). The question stays open (an interim answer)."""
    monkeypatch.setenv("OVERSTAP_LEERPLICHT_EMAIL", LEERPLICHT if configured else "")
    monkeypatch.setenv("OVERSTAP_COORDINATOR_EMAIL", "coordinator@example.org")
    reset_settings()
    trajectory_id = _pupil()
    _walk(trajectory_id, date(2027, 4, 19), {"admission_decision"}, REGULIER)
    reason = "Drie uitnodigingen voor een gesprek onbeantwoord."
    _answer_once(
        trajectory_id,
        date(2027, 4, 20),
        "admission_decision",
        {
            "besluit": "overleg met ouders en PO gevoerd",
            "melding_leerplicht": True,
            "reden_melding": reason,
        },
    )
    with session_scope() as session:
        [entry] = session.exec(
            select(AuditEntry).where(AuditEntry.action == "melding_leerplicht")
        ).all()
        mails = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.trajectory_id == trajectory_id)
            .where(OutboxMessage.kind == "melding_leerplicht")
        ).all()
    assert (entry.detail["reden"], entry.detail["rollen"]) == (reason, ["intaker_vo"])
    if configured:
        [mail] = mails
        assert (mail.kind, mail.recipient) == ("melding_leerplicht", LEERPLICHT)
        assert "Kamminga" in mail.text_body
        assert "tot toelating en plaatsing" in mail.text_body
        assert reason in mail.text_body
    else:
        [mail] = mails
        assert (mail.kind, mail.recipient) == ("melding_leerplicht", "coordinator@example.org")
        assert "geen e-mailadres voor de leerplichtambtenaar ingesteld" in mail.text_body
        assert reason in mail.text_body
    view = _view(trajectory_id)
    assert not view.facts.answered("admission_decision")
    assert [a.final for a in view.answers_to("admission_decision")] == [False]


@freeze_time("2025-09-01 08:00:00")
def test_the_term_starts_when_the_vo_school_received_the_dossier_before_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The PO school puts the complete dossier ready on 25 March; with a validity of 30 days the
    VO school must fetch it by 24 April (term `oso_ophalen`). Received on 2 April, the admission
    term runs from then: 14 May, not 6 May."""
    monkeypatch.setenv("OVERSTAP_OSO_VALID_DAYS", "30")
    reset_settings()
    trajectory_id = _pupil()
    _walk(trajectory_id, REGISTERED, {"oso_received"}, REGULIER)
    view = _view(trajectory_id)
    assert view.facts.value("oso_dossier", "klaargezet_op") == REGISTERED
    kinds = {d.kind: d for d in open_deadlines(view)}
    assert "besluit_toelating" not in kinds, "no term before the dossier is received"
    assert kinds["oso_ophalen"].due == date(2027, 4, 24)
    assert "verloopt na 30 dagen" in kinds["oso_ophalen"].basis
    [track] = [view.tracks["toelating"]]
    assert (track.current_question, track.due) == ("oso_ontvangst", date(2027, 4, 24))
    _answer_once(trajectory_id, date(2027, 4, 2), "oso_received", {"ontvangen_op": "2027-04-02"})
    kinds = {d.kind: d for d in open_deadlines(_view(trajectory_id))}
    assert "oso_ophalen" not in kinds
    assert kinds["besluit_toelating"].due == date(2027, 5, 14)
    assert "OSO-dossier ontvangen 2 april" in kinds["besluit_toelating"].basis
