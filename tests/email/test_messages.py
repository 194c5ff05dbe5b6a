"""What an email says: Dutch text and subject from the templates, escaping, only safe fields,
and the iCalendar invitation of a conversation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
import pytest

from models.cases.view import load_view
from models.enums import Role
from models.mail.messages import (
    TEMPLATES,
    Invitation,
    Meeting,
    RenderedMessage,
    environment,
    ics_fold,
    ics_text,
    render,
    step_context,
)
from models.mail.recipients import Recipient
from models.plan.library import get_plan
from models.store.db import session_scope
from models.store.tables import Answer
from tests.email.conftest import BIRTH_DATE, FLOW_RUN_ID, UI_URL, Region

NAME = "<b>Ö'Brien & Zn</b>"
IB = Recipient("Ingrid Mulder", "ingrid.mulder@example.org", (Role.INTERN_BEGELEIDER_PO,), "OBS")
DUE = dt.date(2026, 3, 24)


def _render_step(
    region: Region, template: str, step: int, question: str | None, **extra: Any
) -> RenderedMessage:
    with session_scope() as session:
        view = load_view(session, region.trajectory_id)
        assert view is not None
        plan_step = view.plan.step(step)
        context = step_context(
            view,
            step=plan_step,
            question=plan_step.question(question) if question else None,
            recipient=IB,
            due=DUE,
            **extra,
        )
    return render(template, context)


def test_question_message_is_dutch_with_subject_what_by_when_and_the_link(
    region: Region,
) -> None:
    """Step 20 to the ib: subject from the template, what is asked, the date, the run link."""
    message = _render_step(region, "stap_open_vraag", 20, "advies")
    assert (
        message.subject
        == "Stap 20 (doorstroomtoets en definitief schooladvies): uw antwoord gevraagd "
        "voor Sanne <. van OBS De Regenboog"
    )
    link = f"{UI_URL}/runs/flow-run/{FLOW_RUN_ID}"
    for part in (message.text, message.html):
        assert "Beste Ingrid Mulder," in part
        assert "Leg de uitslag van de doorstroomtoets en het definitieve schooladvies vast." in part
        assert "24 maart 2026" in part
        assert "Basisschool geeft definitief schooladvies." in part
        assert link in part
        assert "Met vriendelijke groet" in part
    assert f'href="{link}"' in message.html
    assert message.ics is None


def test_pupil_name_is_escaped_in_html_and_intact_in_text(region: Region) -> None:
    """A name full of markup cannot change the HTML, and reads as typed in the text part."""
    message = _render_step(region, "stap_open_vraag", 20, "advies")
    assert f"Sanne {NAME}" in message.text
    assert NAME not in message.html
    assert "Sanne &lt;b&gt;Ö&#39;Brien &amp; Zn&lt;/b&gt;" in message.html
    assert "<b>" not in message.html


def test_nothing_but_the_safe_fields_reach_a_message(region: Region) -> None:
    """No birth date, and no free-text answer of a form (where a diagnosis could be written)."""
    with session_scope() as session:
        session.add(
            Answer(
                trajectory_id=region.trajectory_id,
                step=6,
                question="gesprek",
                attempt=1,
                accepted=True,
                answered_by="I. Mulder, ib",
                answered_at=dt.datetime(2025, 2, 10, 10, 0, tzinfo=dt.UTC),
                payload={
                    "gesprek_op": "2025-02-10",
                    "aanwezig": "ib, ouders",
                    "afspraken": "Onderzoek wijst op dyslexie; BSN 123456782",
                },
            )
        )
    message = _render_step(region, "stap_open_info", 7, "gesprek")
    for part in (message.subject, message.text, message.html):
        assert "dyslexie" not in part
        assert "123456782" not in part
        assert BIRTH_DATE.isoformat() not in part
        assert "17 maart 2014" not in part
        assert "17-03-2014" not in part


def test_info_message_names_who_records_the_answer(region: Region) -> None:
    """Someone involved who does not fill in the form learns who does, and that they need not."""
    with session_scope() as session:
        view = load_view(session, region.trajectory_id)
        assert view is not None
        step = view.plan.step(14)
        teacher = Recipient("Anouk Visser", "a@example.org", (Role.LEERKRACHT_PO,), "OBS")
        context = step_context(
            view, step=step, question=step.question("evaluatie"), recipient=teacher, due=DUE
        )
    message = render("stap_open_info", context)
    assert message.subject == "Stap 14 is begonnen voor Sanne <. van OBS De Regenboog"
    assert "Het antwoord in Overstap wordt vastgelegd door: intaker VO." in message.text
    assert "U ontvangt dit bericht als leerkracht PO van OBS." in message.text


def test_every_template_has_a_subject_text_and_html() -> None:
    """Each message pair exists, extends the base layout and defines its subject."""
    env = environment()
    for name in TEMPLATES:
        text = env.get_template(f"{name}.txt")
        assert "subject" in text.blocks, name
        html_source = env.loader.get_source(env, f"{name}.html")[0]  # type: ignore[union-attr]
        assert '{% extends "base.html" %}' in html_source, name


def test_a_missing_value_fails_loudly() -> None:
    """StrictUndefined: a template never silently prints an empty name."""
    with pytest.raises(jinja2.UndefinedError):
        render("adres_faalt", {"coordinator_email": None})


def test_meeting_adds_an_invitation_with_timezone_and_stable_uid(region: Region) -> None:
    """A conversation with a date and time carries a METHOD:REQUEST VEVENT in Amsterdam time."""
    meeting = Meeting(
        start=dt.datetime(2026, 3, 30, 14, 30, tzinfo=dt.UTC),
        minutes=45,
        location="OBS De Regenboog; kamer 2, begane grond",
    )
    stamp = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    first = _render_step(region, "stap_open_vraag", 9, "gesprek", meeting=meeting, stamp=stamp)
    again = _render_step(region, "stap_open_vraag", 9, "gesprek", meeting=meeting, stamp=stamp)
    assert first.ics is not None
    assert first.ics == again.ics
    lines = first.ics.split("\r\n")
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "PRODID:-//Overstap//Overstap PO-VO//NL",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
    ]
    assert "TZID:Europe/Amsterdam" in lines
    # 14:30 UTC on 30 March is 16:30 summer time in Amsterdam
    assert "DTSTART;TZID=Europe/Amsterdam:20260330T163000" in lines
    assert "DTEND;TZID=Europe/Amsterdam:20260330T171500" in lines
    assert "DTSTAMP:20260301T080000Z" in lines
    assert "LOCATION:OBS De Regenboog\\; kamer 2\\, begane grond" in lines
    unfolded = first.ics.replace("\r\n ", "")
    uid = f"UID:overstap-{region.trajectory_id}-stap-9-gesprek@swv.example.org"
    assert uid in unfolded.split("\r\n")
    assert "ATTENDEE;CN=Ingrid Mulder;ROLE=REQ-PARTICIPANT;" in unfolded
    assert "mailto:ingrid.mulder@example.org" in unfolded
    assert first.ics.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)


def test_ics_folding_never_splits_a_character_and_unfolds_to_the_original() -> None:
    """Lines fold at 75 octets; a multi-byte character stays whole."""
    line = "SUMMARY:" + "Overstap-gesprek Ö'Brien " * 8
    folded = ics_fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line
    assert ics_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_an_invitation_refuses_a_naive_start() -> None:
    """A meeting time without a zone could be an hour off; refuse it."""
    invitation = Invitation(
        uid="x",
        start=dt.datetime(2026, 3, 30, 14, 30),
        minutes=30,
        summary="s",
        description="d",
        location="",
        organizer="Overstap <o@example.org>",
        attendee=IB,
        stamp=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        invitation.to_ics()


def test_plan_conversation_steps_exist() -> None:
    """The steps the issue calls conversations ask the 'gesprek' form (a meeting can apply)."""
    plan = get_plan()
    assert plan.step(9).question("gesprek").form == "gesprek"
    assert plan.step(6).question("gesprek").form == "gesprek"
