"""Form descriptions are read by every Prefect user: what an intaker needs, nothing more."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from freezegun import freeze_time

from deployments.demo import REGULIER, answer_source, scripted_answer
from models.cases.descriptions import question_description
from models.cases.records import record_answer
from models.cases.view import TrajectoryView
from models.store.clock import pinned
from models.store.db import session_scope
from models.walk.actions import Ask
from models.walk.offline import walk_without_prefect
from tests.db.pupils import enrolled_pupil, view_of

pytestmark = pytest.mark.usefixtures("db")

FIRST, LAST = "Wendelien", "Ploegmakers"
SCREENING = {
    "dle_begrijpend_lezen": 25,
    "dle_technisch_lezen": 40,
    "dle_spellen": 30,
    "dle_rekenen": 27,
    "iq": 78,
    "sociaal_emotioneel": True,
}


def _pupil() -> UUID:
    return enrolled_pupil(FIRST, LAST, date(2015, 1, 9))


def _describe(trajectory_id: UUID, stop: Ask, day: date) -> str:
    view = view_of(trajectory_id)
    step = view.plan.step(stop.step)
    return question_description(
        view=view, step=step, question=step.question(stop.question), due=stop.due, today=day
    )


@freeze_time("2025-09-01 08:00:00")
def test_the_route_form_shows_the_screening_without_iq_or_findings() -> None:
    """The intaker sees the leerachterstand and the target group, not the IQ score."""
    trajectory_id = _pupil()
    overrides = {**REGULIER, "screening": SCREENING}
    result = walk_without_prefect(
        trajectory_id,
        answers=lambda v, a, d: (
            None if (a.step, a.question) == (14, "evaluatie") else answer_source(overrides)(v, a, d)
        ),
        until=date(2026, 11, 5),
    )
    (stop,) = result.asking
    assert (stop.step, stop.question) == (14, "evaluatie")
    text = _describe(trajectory_id, stop, date(2026, 11, 5))
    # The scripted screening is of a test on the day it is entered: 1 November of groep 8.
    assert "**Screening (Bijlage II), DL 53 (toets van 1 november 2026):** doelgroep LWOO." in text
    assert "begrijpend lezen 0,52" in text  # (53 - 25) / 53
    assert "Er is een IQ bekend" in text
    assert "78" not in text
    assert "sociaal" not in text.lower()
    assert "Wendelien P\\." in text  # Markdown-escaped
    assert LAST not in text
    assert "2015" not in text
    assert "(OBS De Klimop, groep 8)" in text  # the groep she is in now, not at enrolment


@freeze_time("2025-09-01 08:00:00")
def test_an_extension_reason_stays_out_of_the_description() -> None:
    """A reason typed for an extension may name people: the form shows the term, not the reason."""
    trajectory_id = _pupil()

    def answers(view: TrajectoryView, action: Ask, day: date) -> dict[str, Any] | None:
        if (action.step, action.question) == (21, "toelating"):
            return None
        return scripted_answer(view, action, day, REGULIER)

    walk_without_prefect(trajectory_id, answers=answers, until=date(2027, 4, 1))
    view = view_of(trajectory_id)
    ask = Ask(21, "toelating", 1, date(2027, 5, 6))
    reason = "Gesprek met oom Ploegmakers over de thuissituatie"
    with session_scope() as session, pinned(date(2027, 4, 20)):
        raw = scripted_answer(view, ask, date(2027, 4, 20), REGULIER) | {
            "besluit": "termijn verlengen (4 weken)",
            "datum": "2027-04-20",
            "reden": reason,
        }
        outcome = record_answer(
            session,
            trajectory_id=trajectory_id,
            step=21,
            question="toelating",
            attempt=1,
            raw=raw,
            flow_run_id=None,
        )
    assert (outcome.accepted, outcome.final) == (True, False)
    text = _describe(trajectory_id, Ask(21, "toelating", 2, date(2027, 6, 3)), date(2027, 4, 21))
    assert "*Termijn:* besluit over toelating en plaatsing, uiterlijk 3 juni 2027" in text
    assert "(eenmaal verlengd)" in text
    assert "Tussenstap vastgelegd: **termijn verlengen (4 weken)**" in text
    assert "oom" not in text
    assert LAST not in text
