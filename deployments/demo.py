"""Demo data: fictitious schools, people (example.org) and pupils at different points of the plan.

The pupils' earlier steps are walked without Prefect (`models.walk.offline`, the flow's own
executor, each action on the day it would have happened), then each gets its flow run, which
replays the records and stops where the pupil is today: asking a question, waiting for a date, or
finished. Answers are scripted by the purpose of each question, never by step number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from models.cases.enrolment import CheckedEnrollment, enroll
from models.cases.view import TrajectoryView, form_context, school_year_end
from models.enums import SchoolKind
from models.plan.forms import (
    ADMITTED,
    ANSWERED_BY,
    FORMS,
    NOT_APPLICABLE,
    SCHOOLADVIEZEN,
    FormContext,
    expand_fields,
    school_options,
)
from models.plan.library import get_plan
from models.plan.purposes import Purpose
from models.store.clock import pinned, today
from models.store.db import session_scope
from models.store.schools import import_schools_csv, seed_vo_schools
from models.store.tables import School, Trajectory
from models.walk.actions import Ask
from models.walk.offline import AnswerSource, walk_without_prefect

DEMO_SCHOOLS = Path(__file__).resolve().parent / "demo_data" / "scholen.csv"

Overrides = Mapping[str, Mapping[str, Any]]  # answers by question purpose

# The demo's pupils consult and prefer a VO school whose (fictitious) intaker has an address.
_CONSULTED: Overrides = {
    Purpose.VO_CONSULTATION: {"vo_school": "Dr. Nassau College Penta"},
    Purpose.SCHOOL_PREFERENCE: {"vo_school": "Dr. Nassau College Penta"},
}
REGULIER: Overrides = {
    **_CONSULTED,
    Purpose.ROUTE_CHOICE: {"route": "regulier", "vervolgplan_nodig": True},
    Purpose.REGISTRATION: {"vo_school": "Dr. Nassau College Penta", "nader_overleg_nodig": True},
    Purpose.ADMISSION_DECISION: {"besluit": "toegelaten"},
}
PRO_TOEGELATEN: Overrides = {
    **_CONSULTED,
    Purpose.ROUTE_CHOICE: {"route": "pro", "vervolgplan_nodig": False},
    Purpose.REGISTRATION_PRO_VSO: {"school": "PrO Assen"},
    Purpose.CVB_ADVICE: {"advies": "positief"},
    Purpose.TLV_DECISION: {"besluit": "toegekend", "categorie": "n.v.t."},
    Purpose.ADMISSION_DECISION_PRO_VSO: {"besluit": "toegelaten"},
}
VSO_AFGEWEZEN: Overrides = {
    **_CONSULTED,
    Purpose.ROUTE_CHOICE: {"route": "vso", "vervolgplan_nodig": False},
    Purpose.REGISTRATION_PRO_VSO: {"school": "VSO De Atlas"},
    Purpose.CVB_ADVICE: {"advies": "positief"},
    Purpose.TLV_DECISION: {
        "besluit": "afgewezen",
        "categorie": "n.v.t.",
        "reden": "De ondersteuningsbehoefte past binnen het aanbod van het regulier VO.",
    },
    Purpose.ALTERNATIVE_OFFER: {"school": "Dr. Nassau College Quintus"},
}
NIET_IN_PLAN: Overrides = {
    Purpose.DEFINITIVE_SELECTION: {
        "in_stappenplan": "nee",
        "toelichting": "Geen extra begeleiding nodig.",
    },
}


def scripted_answer(
    view: TrajectoryView,
    action: Ask,
    day: date,
    overrides: Overrides,
    *,
    by: str = "Demo: I. Mulder, intern begeleider",
) -> dict[str, Any]:
    """A valid answer to `action` given on `day`: sensible defaults plus `overrides`."""
    question = view.plan.step(action.step).question(action.question)
    form_name = question.form
    spec = FORMS[form_name]
    with session_scope() as session:
        ctx: FormContext = form_context(session, view, question.purpose)
    answer: dict[str, Any] = {ANSWERED_BY: by}
    for field_spec in expand_fields(spec, ctx):
        if field_spec.kind == "date":
            ahead = field_spec.name in ("evaluatie_op", "geldig_tot")
            answer[field_spec.name] = (day + timedelta(days=300) if ahead else day).isoformat()
        elif field_spec.kind == "bool":
            # A demo dossier is complete and an MPO is held with everyone it needs; nobody
            # reports parents to the leerplichtambtenaar or changes the route unasked.
            answer[field_spec.name] = form_name in ("oso_dossier", "mpo") and (
                field_spec.name not in ("melding_leerplicht", "ouders_kiezen_regulier")
            )
        elif field_spec.kind == "int":
            answer[field_spec.name] = 0 if field_spec.name in ("iq", "dl_afwijkend") else 45
        elif field_spec.kind == "choice":
            answer[field_spec.name] = field_spec.choices[0]
        elif field_spec.kind == "school":
            answer[field_spec.name] = school_options(field_spec, ctx)[0]
        else:
            answer[field_spec.name] = f"Stap {action.step}: besproken en vastgelegd."
    answer.update(overrides.get(question.purpose, {}))
    if "plaatsing" in answer and "plaatsing" not in overrides.get(question.purpose, {}):
        # Admitted at the level of the PO school's advice ("het schooladvies is leidend").
        admitted = answer.get("besluit") == ADMITTED
        answer["plaatsing"] = (ctx.advice or SCHOOLADVIEZEN[0]) if admitted else NOT_APPLICABLE
    return answer


def answer_source(overrides: Overrides, due_before: date | None = None) -> AnswerSource:
    """Answers for every question (with `due_before`: only those due before that day; the others
    stay open, as in a school where everything so far was done on time)."""

    def source(view: TrajectoryView, action: Ask, day: date) -> dict[str, Any] | None:
        if due_before is not None and action.due >= due_before:
            return None
        return scripted_answer(view, action, day, overrides)

    return source


@dataclass(frozen=True)
class DemoPupil:
    first_name: str
    last_name: str
    school_brin: str
    years_to_vo: int  # 0: groep 8 now, 1: groep 7 now, -1: in the brugklas now
    overrides: Overrides = field(default_factory=dict)
    days_ahead: int = 0  # questions due before today + this many days are answered


DEMO_PUPILS = (
    DemoPupil("Sanne", "de Vries", "99PA", 1, REGULIER),
    DemoPupil("Daan", "Bakker", "99PB", 0, REGULIER),
    DemoPupil("Noor", "El Amrani", "99PA", 0, VSO_AFGEWEZEN, days_ahead=45),
    DemoPupil("Finn", "Jansen", "99PB", 0, NIET_IN_PLAN),
    DemoPupil("Lotte", "Hendriks", "99PA", -1, PRO_TOEGELATEN),
    DemoPupil("Mees", "Kramer", "99PB", -1, REGULIER, days_ahead=400),
)


def seed_demo_records() -> list[str]:
    """Seed schools and demo pupils once (walked up to today without Prefect)."""
    lines: list[str] = []
    with session_scope() as session:
        seeded = seed_vo_schools(session)
        if seeded:
            lines.append(f"{seeded} VO-, PRO- en VSO-scholen uit Bijlage III toegevoegd.")
        import_schools_csv(session, DEMO_SCHOOLS, actor="demo")
        already = session.exec(select(Trajectory)).first() is not None
    if already:
        return lines
    plan = get_plan()
    current = today()
    for pupil in DEMO_PUPILS:
        cohort = school_year_end(current) + pupil.years_to_vo
        with session_scope() as session:
            school = session.exec(select(School).where(School.brin == pupil.school_brin)).one()
            assert school.kind == SchoolKind.PO
            checked = CheckedEnrollment(
                first_name=pupil.first_name,
                last_name=pupil.last_name,
                birth_date=date(cohort - 12, 3, 14),
                school=school,
                groep=8 if pupil.years_to_vo <= 0 else 7,
                cohort=cohort,
                transfer_groep=8,
            )
            with pinned(date(cohort - 2, 9, 1)):
                trajectory = enroll(session, checked, plan=plan, actor="demo")
            trajectory_id = trajectory.id
        walk_without_prefect(
            trajectory_id,
            answers=answer_source(pupil.overrides, current + timedelta(days=pupil.days_ahead)),
            until=current,
        )
    lines.append(f"{len(DEMO_PUPILS)} fictieve leerlingen ingeschreven.")
    return lines


def seed_demo() -> list[str]:
    """Seed the demo's records once and start the flow runs that do not exist yet."""
    from tasks.prefect_api import request_sending, start_trajectory_run

    lines = seed_demo_records()
    with session_scope() as session:
        waiting = session.exec(select(Trajectory).where(col(Trajectory.flow_run_id).is_(None)))
        to_start = [(t.id, t.code) for t in waiting.all()]
    for trajectory_id, code in to_start:
        run_id = start_trajectory_run(trajectory_id, replaces=None, reason="demo", actor="demo")
        lines.append(f"Flow run voor {code}: {run_id}")
    request_sending()  # the history of the demo's pupils queued their emails
    return lines
