"""Demo data: fictitious schools, people (example.org) and pupils at different points of the plan.

The pupils' earlier steps are walked without Prefect (`walk_offline`, each action on the day it
would have happened), then each gets its flow run, which replays the records and stops where the
pupil is today: asking a question, waiting for a date, or finished.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select

from models.clock import pinned, today
from models.db import session_scope
from models.forms import ANSWERED_BY, FORMS, FormContext, expand_fields, school_options
from models.plan import get_plan
from models.schools import import_schools_csv, seed_vo_schools
from models.tables import School, SchoolKind, Trajectory
from models.trajectories import (
    CheckedEnrollment,
    TrajectoryView,
    enroll,
    school_year_end,
)
from models.walk import AnswerSource, Ask, walk_offline

DEMO_SCHOOLS = Path(__file__).resolve().parent / "demo_data" / "scholen.csv"

Overrides = Mapping[tuple[int, str], Mapping[str, Any]]

# The demo's pupils consult and prefer a VO school whose (fictitious) intaker has an address.
_CONSULTED: Overrides = {
    (2, "overleg"): {"vo_school": "Dr. Nassau College Penta"},
    (8, "voorkeur"): {"vo_school": "Dr. Nassau College Penta"},
}
REGULIER: Overrides = {
    **_CONSULTED,
    (14, "evaluatie"): {"route": "regulier", "vervolgplan_nodig": True},
    (21, "aanmelding"): {"vo_school": "Dr. Nassau College Penta", "nader_overleg_nodig": True},
    (21, "toelating"): {"besluit": "toegelaten"},
}
PRO_TOEGELATEN: Overrides = {
    **_CONSULTED,
    (14, "evaluatie"): {"route": "pro", "vervolgplan_nodig": False},
    (16, "aanmelding"): {"school": "PrO Assen"},
    (17, "onderzoek"): {"advies": "positief"},
    (18, "tlv"): {"besluit": "toegekend", "categorie": "n.v.t."},
    (18, "toelating"): {"besluit": "toegelaten"},
}
VSO_AFGEWEZEN: Overrides = {
    **_CONSULTED,
    (14, "evaluatie"): {"route": "vso", "vervolgplan_nodig": False},
    (16, "aanmelding"): {"school": "VSO De Atlas"},
    (17, "onderzoek"): {"advies": "positief"},
    (18, "tlv"): {
        "besluit": "afgewezen",
        "categorie": "n.v.t.",
        "reden": "De ondersteuningsbehoefte past binnen het aanbod van het regulier VO.",
    },
    (25, "aanbod"): {"school": "Dr. Nassau College Quintus"},
}
NIET_IN_PLAN: Overrides = {
    (5, "vaststelling"): {"in_stappenplan": "nee", "toelichting": "Geen extra begeleiding nodig."},
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
    form_name = view.plan.step(action.step).question(action.question).form
    spec = FORMS[form_name]
    with session_scope() as session:
        from models.trajectories import form_context

        ctx: FormContext = form_context(session, view, action.step)
    answer: dict[str, Any] = {ANSWERED_BY: by}
    for field_spec in expand_fields(spec, ctx):
        if field_spec.kind == "date":
            ahead = field_spec.name in ("evaluatie_op", "geldig_tot")
            answer[field_spec.name] = (day + timedelta(days=300) if ahead else day).isoformat()
        elif field_spec.kind == "bool":
            # A demo dossier is complete and an MPO has everyone it needs.
            answer[field_spec.name] = form_name in ("oso_dossier", "mpo")
        elif field_spec.kind == "int":
            answer[field_spec.name] = 0 if field_spec.name == "iq" else 45
        elif field_spec.kind == "choice":
            answer[field_spec.name] = field_spec.choices[0]
        elif field_spec.kind == "school":
            answer[field_spec.name] = school_options(field_spec, ctx)[0]
        else:
            answer[field_spec.name] = f"Stap {action.step}: besproken en vastgelegd."
    answer.update(overrides.get((action.step, action.question), {}))
    return answer


def answer_source(overrides: Overrides, stop_at_step: int) -> AnswerSource:
    """Answers for every question before step `stop_at_step`; later questions stay open."""

    def source(view: TrajectoryView, action: Ask, day: date) -> dict[str, Any] | None:
        if action.step >= stop_at_step:
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
    stop_at_step: int = 99


DEMO_PUPILS = (
    DemoPupil("Sanne", "de Vries", "99PA", 1, REGULIER, stop_at_step=3),
    DemoPupil("Daan", "Bakker", "99PB", 0, REGULIER, stop_at_step=14),
    DemoPupil("Noor", "El Amrani", "99PA", 0, VSO_AFGEWEZEN, stop_at_step=16),
    DemoPupil("Finn", "Jansen", "99PB", 0, NIET_IN_PLAN),
    DemoPupil("Lotte", "Hendriks", "99PA", -1, PRO_TOEGELATEN, stop_at_step=28),
    DemoPupil("Mees", "Kramer", "99PB", -1, REGULIER),
)


def seed_demo() -> list[str]:
    """Seed schools and demo pupils once, and start their flow runs; return what was done."""
    from tasks.prefect_api import start_trajectory_run

    lines: list[str] = []
    with session_scope() as session:
        seeded = seed_vo_schools(session)
        if seeded:
            lines.append(f"{seeded} VO-, PRO- en VSO-scholen uit Bijlage III toegevoegd.")
        import_schools_csv(session, DEMO_SCHOOLS, actor="demo")
        already = session.exec(select(Trajectory)).first() is not None
    if not already:
        plan = get_plan()
        current_year_end = school_year_end(today())
        for pupil in DEMO_PUPILS:
            cohort = current_year_end + pupil.years_to_vo
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
            walk_offline(
                trajectory_id,
                answers=answer_source(pupil.overrides, pupil.stop_at_step),
                until=today(),
            )
        lines.append(f"{len(DEMO_PUPILS)} fictieve leerlingen ingeschreven.")
    with session_scope() as session:
        waiting = session.exec(select(Trajectory).where(Trajectory.flow_run_id.is_(None))).all()  # type: ignore[union-attr]
        to_start = [(t.id, t.code) for t in waiting]
    for trajectory_id, code in to_start:
        run_id = start_trajectory_run(trajectory_id, replaces=None, reason="demo", actor="demo")
        lines.append(f"Flow run voor {code}: {run_id}")
    return lines
