"""A worklist per school: the open questions of its pupils, as one Markdown artifact.

An intaker or intern begeleider wants one page with what waits at their school: which pupil
(by code, linked to the flow run that holds the form), which question, who must answer, by when,
and whether it is late. One artifact per school with a BRIN, under `school_artifact_key(brin)`,
refreshed with the cohort dashboards (`tasks.dashboards`). A pupil belongs to their PO school and,
once known, to their VO school; both see the pupil's open questions.

Privacy: like the cohort dashboard this ends up in Prefect, so it holds codes, step numbers,
question titles from the plan, roles and dates: never a name, a birth date or typed text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, or_, select

from models.cases.view import TrajectoryView, load_views
from models.dutch import dutch_date
from models.enums import TrajectoryStatus
from models.mail.messages import fillers, form_run_id
from models.plan.forms import form_title
from models.reports.dashboard import _day, _roles, _table, code_link
from models.settings import get_settings
from models.store import clock
from models.store.tables import Pupil, School, Trajectory

_ARTIFACT_KEY = re.compile(r"^[a-z0-9-]+$")


def school_artifact_key(brin: str) -> str:
    """The stable key of a school's worklist artifact: 'overstap-school-99pa'.

    Prefect artifact keys hold only lowercase letters, digits and dashes.
    """
    key = f"overstap-school-{brin.strip().lower()}"
    if not _ARTIFACT_KEY.match(key):
        raise ValueError(f"BRIN {brin!r} past niet in de sleutel van een artefact")
    return key


@dataclass(frozen=True)
class OpenItem:
    """One open question of one pupil (codes only)."""

    code: str
    cohort: int
    flow_run_id: UUID | None  # the run that holds the form
    step: int
    question: str  # the question's title from the plan's forms
    who: tuple[str, ...]  # role values of whoever fills in the form
    due: date
    overdue: bool


@dataclass(frozen=True)
class SchoolDashboard:
    brin: str
    name: str
    today: date
    generated_at: datetime
    items: tuple[OpenItem, ...]

    @property
    def key(self) -> str:
        return school_artifact_key(self.brin)

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue)


def open_items(view: TrajectoryView, today: date) -> list[OpenItem]:
    """The questions the trajectory's runs (main walk and tracks) wait for now."""
    if view.trajectory.status != TrajectoryStatus.ACTIEF:
        return []
    items = []
    for waiting in view.waiting_questions():
        step, question = waiting.step, waiting.question
        items.append(
            OpenItem(
                code=view.trajectory.code,
                cohort=view.trajectory.cohort,
                flow_run_id=waiting.row.flow_run_id or form_run_id(view, step, question),
                step=step.number,
                question=form_title(question.form),
                who=tuple(r.value for r in fillers(question)),
                due=waiting.due,
                overdue=waiting.late(today, view.enrolled_on),
            )
        )
    return items


def school_dashboards(
    views: Iterable[TrajectoryView],
    schools: Sequence[School],
    today: date,
    generated_at: datetime | None = None,
) -> list[SchoolDashboard]:
    """The worklist of each school in `schools` (those with a BRIN), from the trajectories."""
    moment = generated_at or clock.now()
    per_school: dict[UUID, list[OpenItem]] = {s.id: [] for s in schools}
    for view in views:
        items = open_items(view, today)
        owners = {view.po_school.id, view.vo_school.id if view.vo_school else None}
        for school_id in owners:
            if school_id in per_school:
                per_school[school_id] += items
    return [
        SchoolDashboard(
            brin=brin,
            name=school.name,
            today=today,
            generated_at=moment,
            items=tuple(sorted(per_school[school.id], key=lambda i: (i.due, i.code, i.step))),
        )
        for school in sorted(schools, key=lambda s: s.brin or "")
        if (brin := school.brin)
    ]


def schools_of_cohorts(session: Session, cohorts: Collection[int]) -> set[UUID]:
    """The PO and VO schools of the pupils of these cohorts (whose worklists may have changed)."""
    rows = session.exec(
        select(Pupil.po_school_id, Trajectory.vo_school_id)
        .join(Trajectory, col(Trajectory.pupil_id) == Pupil.id)
        .where(col(Trajectory.cohort).in_(list(cohorts)))
    ).all()
    return {school for pair in rows for school in pair if school is not None}


def load_school_dashboards(
    session: Session, today: date | None = None, school_ids: Collection[UUID] | None = None
) -> list[SchoolDashboard]:
    """Read the worklists of the schools with a BRIN (all, or those in `school_ids`)."""
    query = select(School).where(col(School.brin).is_not(None))
    if school_ids is not None:
        if not school_ids:
            return []
        query = query.where(col(School.id).in_(list(school_ids)))
    schools = list(session.exec(query).all())
    if not schools:
        return []
    ids = [s.id for s in schools]
    active = session.exec(
        select(Trajectory.id)
        .join(Pupil, col(Pupil.id) == Trajectory.pupil_id)
        .where(col(Trajectory.status) == TrajectoryStatus.ACTIEF)
        .where(or_(col(Pupil.po_school_id).in_(ids), col(Trajectory.vo_school_id).in_(ids)))
    ).all()
    views = load_views(session, ids=list(active)) if active else []
    return school_dashboards(views, schools, today or clock.today())


def school_summary(dashboard: SchoolDashboard) -> str:
    """'OBS De Regenboog (99PA): 3 open vragen, 1 te laat'."""
    n = len(dashboard.items)
    questions = "1 open vraag" if n == 1 else f"{n} open vragen"
    return f"{dashboard.name} ({dashboard.brin}): {questions}, {dashboard.overdue} te laat"


def render_school_markdown(dashboard: SchoolDashboard) -> str:
    """The worklist as Dutch Markdown: who, by when, late first; the code opens the form."""
    d = dashboard
    zone = ZoneInfo(get_settings().timezone)
    lines = [
        f"# Overstap PO-VO — {d.name} ({d.brin})",
        "",
        f"**{school_summary(d)}**",
        "",
        f"Stand op {dutch_date(d.today)}; bijgewerkt "
        f"{d.generated_at.astimezone(zone):%d-%m-%Y %H:%M}. Leerlingen van deze school (als "
        "basisschool of als VO-school) staan hier alleen met hun code; de code opent de flow run "
        "met het formulier. Kies daar Resume.",
        "",
    ]
    if d.items:
        lines += _table(
            ("Wie", "Uiterlijk", "Te laat", "Code", "Stap", "Vraag", "Cohort"),
            "llllrll",
            (
                (
                    _roles(i.who) or "–",
                    _day(i.due),
                    "ja" if i.overdue else "",
                    code_link(i.code, i.flow_run_id),
                    i.step,
                    i.question,
                    i.cohort,
                )
                for i in d.items
            ),
        )
    else:
        lines.append("Geen open vragen.")
    return "\n".join(lines) + "\n"
