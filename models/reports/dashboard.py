"""Cohort dashboards: where one cohort stands, at a glance, as one Markdown document.

A coordinator should not open 200 flow runs to learn which pupils wait for a VO intaker, which
TLV requests are open or which deadlines pass this week. `cohort_dashboard` computes the parts
from our records (the same `status_row` that `overstap status` shows, so both always agree);
`render_markdown` renders them in Dutch for a Prefect Markdown artifact under the stable key
`artifact_key(cohort)`, refreshed by the clock and on demand.

Privacy: everything here ends up in Prefect, so a dashboard holds pseudonymous codes, the cohort,
school names, routes, step numbers and dates, and never a pupil's name, birth date or BSN, nor
free text people typed into forms (a reason for an extension may name a pupil): a legal term is
shown by its kind, a step by its number and period from the plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models.cases.casework import STEP, admission_of, deadline_question, open_deadlines
from models.cases.view import TrajectoryView, load_views
from models.dutch import dutch_date
from models.enums import Role, StepStatus, TrajectoryStatus, WaitingFor
from models.mail.messages import run_link
from models.plan.library import get_plan
from models.plan.purposes import ADMISSIONS, Purpose
from models.plan.steps import Plan
from models.reports.evaluation import (
    CohortFigures,
    cohort_figures,
    cohort_views,
    load_tlv_requests,
    render_figures_markdown,
)
from models.reports.status import status_row
from models.settings import get_settings
from models.store import clock
from models.store.tables import TlvRequest
from models.terms.deadlines import DeadlineKind

HORIZON_DAYS = 14
CHART_WIDTH = 30


def _steps_text(numbers: Sequence[int]) -> str:
    if not numbers:
        return "stap –"
    if len(numbers) == 1:
        return f"stap {numbers[0]}"
    return f"stap {', '.join(str(n) for n in numbers[:-1])} en {numbers[-1]}"


def waiting_legend(plan: Plan) -> tuple[tuple[str, str], ...]:
    """What each 'wacht op' value means, with the step numbers of `plan`."""
    tlv = [s.number for s in plan.steps_of_track("tlv")]
    selection = plan.step_of(Purpose.DEFINITIVE_SELECTION).number
    return (
        (
            WaitingFor.DATE.label,
            "de periode van de stap is nog niet begonnen; de klok gaat verder op die datum",
        ),
        (
            WaitingFor.ANSWER.label,
            "een formulier wacht op een antwoord van de rol in de kolom 'Wie'",
        ),
        (WaitingFor.RUNNING.label, "Overstap verwerkt de stap nu (of de flow run wordt hersteld)"),
        (
            WaitingFor.TRACK.label,
            f"de leerling wacht tot de TLV-procedure ({_steps_text(tlv)}) klaar is",
        ),
        (WaitingFor.DONE.label, "alle stappen zijn doorlopen: het traject is afgerond"),
        (
            WaitingFor.STOPPED.label,
            "het traject is gestopt, bijvoorbeeld omdat de leerling het stappenplan niet "
            f"volgt (stap {selection})",
        ),
    )


def registration_steps(plan: Plan) -> list[int]:
    """The steps at which a pupil is registered with a VO, PRO or VSO school."""
    return sorted({plan.step_of(way.registration).number for way in ADMISSIONS})


_ARTIFACT_KEY = re.compile(r"^[a-z0-9-]+$")


def artifact_key(cohort: int) -> str:
    """The stable key of a cohort's dashboard artifact: 'overstap-cohort-2027'.

    Prefect artifact keys hold only lowercase letters, digits and dashes; one key per cohort
    makes each refresh a new version of the same artifact.
    """
    if not 1000 <= cohort <= 9999:
        raise ValueError(f"cohort {cohort} is geen jaartal")
    key = f"overstap-cohort-{cohort}"
    assert _ARTIFACT_KEY.match(key)
    return key


def cohorts(views: Iterable[TrajectoryView]) -> list[int]:
    """The cohorts that have at least one trajectory, oldest first (one artifact each)."""
    return sorted({v.trajectory.cohort for v in views})


@dataclass(frozen=True)
class DeadlineItem:
    """One open term of one pupil: a step's due date or a legal term (chapters 1 and 3)."""

    code: str
    po_school: str
    kind: str  # "stap", or a `DeadlineKind` value
    step: int | None
    what: str  # Dutch, from the plan and the names of the terms only
    due: date
    soft: bool = False

    def overdue(self, today: date) -> bool:
        return not self.soft and today > self.due


@dataclass(frozen=True)
class DashboardRow:
    """One pupil of the cohort: where they are and what they wait for (codes, no names)."""

    code: str
    po_school: str
    po_brin: str | None
    vo_school: str | None
    route: str
    status: str
    flow_run_id: UUID | None  # the run the row describes: the pupil's page in the Prefect UI
    current_step: int | None
    current_question: str | None
    waiting_for: str
    waiting_on: tuple[str, ...]  # role values
    wait_until: date | None
    due: date | None
    overdue: bool
    deadlines: tuple[DeadlineItem, ...]

    @property
    def active(self) -> bool:
        return self.status == TrajectoryStatus.ACTIEF

    @property
    def waiting_label(self) -> str:
        return WaitingFor(self.waiting_for).label


@dataclass(frozen=True)
class StepCount:
    """Active pupils whose current step is `step`."""

    step: int
    period: str
    pupils: int
    waiting_for_answer: int
    waiting_for_date: int
    overdue: int


@dataclass(frozen=True)
class SchoolCount:
    """The cohort's pupils of one PO school. `oso_missing` counts active pupils who are registered
    with a VO, PRO or VSO school (step 16 or 21) whose OSO dossier is not complete yet."""

    name: str
    brin: str | None
    pupils: int
    active: int
    finished: int
    stopped: int
    overdue: int
    oso_missing: tuple[str, ...]  # codes


@dataclass(frozen=True)
class OpenTlvRequest:
    """A TLV request the CvA has not decided on yet."""

    code: str
    kind: str
    tussengroep: bool
    grensgebied: bool
    submitted_by: str
    submitted_on: date
    days_open: int
    trajectory_status: str


@dataclass(frozen=True)
class CohortDashboard:
    cohort: int
    today: date
    generated_at: datetime
    rows: tuple[DashboardRow, ...]
    steps: tuple[StepCount, ...]  # every step of the plan, in order, also those with 0 pupils
    not_started: int  # active pupils without a current step yet
    schools: tuple[SchoolCount, ...]
    open_tlv: tuple[OpenTlvRequest, ...]
    upcoming: tuple[DeadlineItem, ...]  # today <= due <= today + HORIZON_DAYS
    overdue_items: tuple[DeadlineItem, ...]
    figures: CohortFigures
    plan: Plan  # the plan of the cohort's pupils (the newest one while it has none)

    @property
    def pupils(self) -> int:
        return len(self.rows)

    @property
    def active(self) -> int:
        return sum(1 for r in self.rows if r.status == TrajectoryStatus.ACTIEF)

    @property
    def finished(self) -> int:
        return sum(1 for r in self.rows if r.status == TrajectoryStatus.AFGEROND)

    @property
    def stopped(self) -> int:
        return sum(1 for r in self.rows if r.status == TrajectoryStatus.GESTOPT)

    @property
    def overdue_pupils(self) -> int:
        return sum(1 for r in self.rows if r.overdue)

    def step_count(self, step: int) -> int:
        return next((s.pupils for s in self.steps if s.step == step), 0)


def _deadline_items(view: TrajectoryView) -> tuple[DeadlineItem, ...]:
    """The trajectory's open terms (as `models.cases.casework.open_deadlines` finds them), labelled
    with plan text and term names only."""
    code, school = view.trajectory.code, view.po_school.name
    items: list[DeadlineItem] = []
    for deadline in open_deadlines(view):
        if deadline.kind == STEP:
            continue  # taken from the records below, where the step number is known
        asked = deadline_question(view, deadline.kind)
        kind = DeadlineKind(deadline.kind)
        what = kind.label + (" (streefdatum)" if deadline.soft else "")
        items.append(
            DeadlineItem(
                code,
                school,
                kind.value,
                asked[0] if asked else None,
                what,
                deadline.due,
                deadline.soft,
            )
        )
    if view.trajectory.status == TrajectoryStatus.ACTIEF:
        for number, record in view.records.items():
            if record.status == StepStatus.OPEN and record.due_by is not None:
                period = view.plan.step(number).period
                what = f"stap {number} ({period})"
                items.append(DeadlineItem(code, school, STEP, number, what, record.due_by))
    return tuple(sorted(items, key=lambda d: (d.due, d.kind, d.step or 0)))


def _oso_missing(view: TrajectoryView) -> bool:
    if view.trajectory.status != TrajectoryStatus.ACTIEF:
        return False
    facts = view.facts
    way = admission_of(view)
    return way is not None and not facts.answered(way.oso)


def _row(view: TrajectoryView, today: date) -> DashboardRow:
    status = status_row(view, today)
    return DashboardRow(
        code=status.code,
        po_school=status.po_school,
        po_brin=status.po_brin,
        vo_school=status.vo_school,
        route=status.route,
        status=status.status,
        flow_run_id=status.flow_run_id,
        current_step=status.current_step,
        current_question=status.current_question,
        waiting_for=status.waiting_for,
        waiting_on=tuple(status.waiting_on),
        wait_until=status.wait_until,
        due=status.due,
        overdue=status.overdue,
        deadlines=_deadline_items(view),
    )


_STATUS_ORDER: dict[str, int] = {TrajectoryStatus.ACTIEF: 0, TrajectoryStatus.AFGEROND: 1}


def _row_order(row: DashboardRow) -> tuple[int, int, str]:
    """Active pupils first, by step; then finished, then stopped."""
    return _STATUS_ORDER.get(row.status, 2), row.current_step or 0, row.code


def cohort_dashboard(
    views: Sequence[TrajectoryView],
    cohort: int,
    today: date,
    *,
    tlv_requests: Sequence[TlvRequest],
    generated_at: datetime | None = None,
) -> CohortDashboard:
    """Everything the dashboard of `cohort` shows on `today`, computed from the trajectories
    (`load_views`) and the TLV requests (`load_tlv_requests`); other cohorts are ignored."""
    members = cohort_views(views, cohort)
    by_id = {v.trajectory.id: v for v in members}
    by_code = {v.trajectory.code: v for v in members}
    rows = tuple(sorted((_row(v, today) for v in members), key=_row_order))
    active = [r for r in rows if r.active]
    plan = members[0].plan if members else get_plan()
    plan_steps = plan.steps
    steps = tuple(
        StepCount(
            step=step.number,
            period=step.period,
            pupils=sum(1 for r in active if r.current_step == step.number),
            waiting_for_answer=sum(
                1 for r in active if r.current_step == step.number and r.waiting_for == "answer"
            ),
            waiting_for_date=sum(
                1 for r in active if r.current_step == step.number and r.waiting_for == "date"
            ),
            overdue=sum(1 for r in active if r.current_step == step.number and r.overdue),
        )
        for step in plan_steps
    )
    schools: dict[tuple[str, str | None], list[tuple[DashboardRow, bool]]] = {}
    for row in rows:
        missing = _oso_missing(by_code[row.code])
        schools.setdefault((row.po_school, row.po_brin), []).append((row, missing))
    school_counts = tuple(
        SchoolCount(
            name=name,
            brin=brin,
            pupils=len(entries),
            active=sum(1 for r, _ in entries if r.status == TrajectoryStatus.ACTIEF),
            finished=sum(1 for r, _ in entries if r.status == TrajectoryStatus.AFGEROND),
            stopped=sum(1 for r, _ in entries if r.status == TrajectoryStatus.GESTOPT),
            overdue=sum(1 for r, _ in entries if r.overdue),
            oso_missing=tuple(sorted(r.code for r, missing in entries if missing)),
        )
        for (name, brin), entries in sorted(schools.items(), key=lambda kv: kv[0][0].casefold())
    )
    open_tlv = tuple(
        sorted(
            (
                OpenTlvRequest(
                    code=by_id[r.trajectory_id].trajectory.code,
                    kind=r.kind,
                    tussengroep=r.tussengroep,
                    grensgebied=r.grensgebied,
                    submitted_by=r.submitted_by,
                    submitted_on=r.submitted_on,
                    days_open=(today - r.submitted_on).days,
                    trajectory_status=by_id[r.trajectory_id].trajectory.status,
                )
                for r in tlv_requests
                if r.trajectory_id in by_id and r.decision is None
            ),
            key=lambda t: (t.submitted_on, t.code),
        )
    )
    horizon = today + timedelta(days=HORIZON_DAYS)
    every = [d for r in rows for d in r.deadlines]
    return CohortDashboard(
        cohort=cohort,
        today=today,
        generated_at=generated_at or clock.now(),
        rows=rows,
        steps=steps,
        not_started=sum(1 for r in active if r.current_step is None),
        schools=school_counts,
        open_tlv=open_tlv,
        upcoming=tuple(
            sorted(
                (d for d in every if today <= d.due <= horizon),
                key=lambda d: (d.due, d.code, d.step or 0),
            )
        ),
        overdue_items=tuple(
            sorted((d for d in every if d.overdue(today)), key=lambda d: (d.due, d.code))
        ),
        figures=cohort_figures(members, cohort, tlv_requests),
        plan=plan,
    )


def load_cohort_dashboard(
    session: Session, cohort: int, today: date | None = None
) -> CohortDashboard:
    """Read the records and compute the dashboard of `cohort` (for the artifact task)."""
    return cohort_dashboard(
        load_views(session, cohort=cohort),
        cohort,
        today or clock.today(),
        tlv_requests=load_tlv_requests(session),
    )


# --- rendering ------------------------------------------------------------------------------------


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_cell(text: object) -> str:
    """Text safe inside a Markdown table cell: `|` and other Markdown characters escaped, one
    line."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def _day(value: date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else "–"


def _roles(values: Iterable[str]) -> str:
    labels = []
    for value in values:
        try:
            labels.append(Role(value).label)
        except ValueError:
            labels.append(value)
    return ", ".join(labels)


@dataclass(frozen=True)
class Link:
    """A table cell that links `text` to `url` (a run's page in the Prefect UI)."""

    text: str
    url: str | None


def code_link(code: str, flow_run_id: UUID | None) -> Link:
    """A pupil's code linked to the page of its flow run (plain text before the run exists)."""
    return Link(code, run_link(flow_run_id))


def _cell(value: object) -> str:
    if isinstance(value, Link):
        if not value.url:
            return md_cell(value.text)
        return f"[{md_cell(value.text)}]({value.url.replace(')', '%29').replace(' ', '%20')})"
    return md_cell(value)


def _table(header: Sequence[str], align: str, rows: Iterable[Sequence[object]]) -> list[str]:
    """A Markdown table; `align` holds 'l' or 'r' per column; a `Link` cell becomes a link."""
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: int, maximum: int, width: int = CHART_WIDTH) -> str:
    """A horizontal bar of unicode blocks, `width` characters wide at `maximum`, padded to
    `width`; any value above 0 shows at least a sliver."""
    if value <= 0 or maximum <= 0:
        return " " * width
    eighths = max(1, round(min(value, maximum) / maximum * width * 8))
    full, rest = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[rest] if rest else "")).ljust(width)


def progress_chart(dashboard: CohortDashboard) -> list[str]:
    """Pupils per step as a fixed-width bar chart (a code block), then finished and stopped."""
    entries = [(f"stap {s.step:>2}", s.pupils) for s in dashboard.steps]
    if dashboard.not_started:
        entries.insert(0, ("nog niet", dashboard.not_started))
    entries += [("afgerond", dashboard.finished), ("gestopt", dashboard.stopped)]
    maximum = max((n for _, n in entries), default=0)
    lines = ["```text"]
    for index, (label, count) in enumerate(entries):
        if label == "afgerond" and index:
            lines.append(f"{'':<9}┼{'─' * CHART_WIDTH}┤")
        lines.append(f"{label:<9}│{bar(count, maximum)}│ {count:>3}")
    lines.append("```")
    return lines


def summary_line(dashboard: CohortDashboard) -> str:
    """'Cohort 2027: 30 leerlingen — 22 actief, 5 afgerond, 3 gestopt; 4 te laat'."""
    pupils = "1 leerling" if dashboard.pupils == 1 else f"{dashboard.pupils} leerlingen"
    return (
        f"Cohort {dashboard.cohort}: {pupils} — {dashboard.active} actief, "
        f"{dashboard.finished} afgerond, {dashboard.stopped} gestopt; "
        f"{dashboard.overdue_pupils} te laat"
    )


def _waiting_cell(row: DashboardRow) -> str:
    if row.waiting_for == WaitingFor.DATE and row.wait_until:
        return f"{row.waiting_label} ({_day(row.wait_until)})"
    return row.waiting_label


def _derived_calendar_note(d: CohortDashboard) -> list[str]:
    """A warning while the cohort's groep-8 calendar is derived, not adopted."""
    calendar = d.plan.calendars.get(d.cohort - 1)
    if calendar is None or not calendar.derived:
        return []
    return [
        f"> **Let op:** de kalender {calendar.school_year} is afgeleid van een eerder jaar "
        "(dezelfde dag en maand) en nog niet door het samenwerkingsverband vastgesteld.",
        "",
    ]


def render_markdown(dashboard: CohortDashboard) -> str:
    """The dashboard as Dutch Markdown: summary, progress chart, what is late or due soon, open
    TLV requests, counts per school and step, every pupil, the evaluation figures, a legend."""
    d = dashboard
    zone = ZoneInfo(get_settings().timezone)
    lines = [
        f"# Overstap PO-VO — cohort {d.cohort}",
        "",
        f"**{summary_line(d)}**",
        "",
        f"Stand op {dutch_date(d.today)}; bijgewerkt "
        f"{d.generated_at.astimezone(zone):%d-%m-%Y %H:%M}. Leerlingen staan hier alleen met "
        "hun code; `overstap show CODE` toont de hele geschiedenis van een leerling.",
        "",
        *_derived_calendar_note(d),
        "## Voortgang: leerlingen per stap",
        "",
        *progress_chart(d),
        "",
        f"## Te laat ({d.overdue_pupils} leerlingen, {len(d.overdue_items)} termijnen)",
        "",
    ]
    if d.overdue_items:
        lines += _table(
            ("Code", "PO-school", "Wat", "Uiterlijk", "Dagen te laat"),
            "lllrr",
            (
                (i.code, i.po_school, i.what, _day(i.due), (d.today - i.due).days)
                for i in sorted(d.overdue_items, key=lambda i: (i.due, i.code))
            ),
        )
    else:
        lines.append("Niets te laat.")
    lines += ["", f"## Termijnen in de komende {HORIZON_DAYS} dagen", ""]
    if d.upcoming:
        lines += _table(
            ("Uiterlijk", "Nog dagen", "Code", "PO-school", "Wat"),
            "lrlll",
            (
                (_day(i.due), (i.due - d.today).days, i.code, i.po_school, i.what)
                for i in d.upcoming
            ),
        )
    else:
        lines.append(f"Geen termijnen in de komende {HORIZON_DAYS} dagen.")
    lines += ["", f"## Openstaande TLV-aanvragen ({len(d.open_tlv)})", ""]
    if d.open_tlv:
        lines += _table(
            ("Code", "Soort", "Aangevraagd door", "Aangevraagd op", "Dagen open"),
            "lllrr",
            (
                (
                    t.code,
                    t.kind
                    + (" (tussengroep)" if t.tussengroep else "")
                    + (" (grensgebied)" if t.grensgebied else "")
                    + (
                        ""
                        if t.trajectory_status == TrajectoryStatus.ACTIEF
                        else f" — traject {t.trajectory_status}"
                    ),
                    t.submitted_by,
                    _day(t.submitted_on),
                    t.days_open,
                )
                for t in d.open_tlv
            ),
        )
    else:
        lines.append("Geen openstaande TLV-aanvragen.")
    lines += ["", "## Per school", ""]
    lines += _table(
        (
            "PO-school",
            "BRIN",
            "Leerlingen",
            "Actief",
            "Afgerond",
            "Gestopt",
            "Te laat",
            "OSO-dossier ontbreekt",
        ),
        "llrrrrrl",
        (
            (
                s.name,
                s.brin or "–",
                s.pupils,
                s.active,
                s.finished,
                s.stopped,
                s.overdue,
                f"{len(s.oso_missing)}: {', '.join(s.oso_missing)}" if s.oso_missing else "0",
            )
            for s in d.schools
        ),
    )
    lines += [
        "",
        "_OSO-dossier ontbreekt: aangemeld ("
        + " of ".join(f"stap {n}" for n in registration_steps(d.plan))
        + "), maar het dossier is nog niet compleet klaargezet._",
        "",
        "## Per stap",
        "",
    ]
    lines += _table(
        ("Stap", "Periode", "Leerlingen", "Wacht op antwoord", "Wacht op datum", "Te laat"),
        "rlrrrr",
        (
            (s.step, s.period, s.pupils, s.waiting_for_answer, s.waiting_for_date, s.overdue)
            for s in d.steps
            if s.pupils
        ),
    )
    lines += [
        "",
        f"## Leerlingen ({d.pupils})",
        "",
        "_Wie moet iets doen, uiterlijk wanneer, en is het te laat; de code opent de flow run "
        "van de leerling. Alle open termijnen staan bij 'Te laat' en 'Termijnen' hierboven._",
        "",
    ]
    lines += _table(
        ("Wie", "Uiterlijk", "Te laat", "Code", "Stap", "Wacht op", "PO-school", "Route"),
        "llllrlll",
        (
            (
                _roles(r.waiting_on) or "–",
                _day(r.due),
                "ja" if r.overdue else "",
                code_link(r.code, r.flow_run_id),
                r.current_step or "–",
                _waiting_cell(r),
                r.po_school,
                r.route,
            )
            for r in d.rows
        ),
    )
    lines += ["", render_figures_markdown(d.figures).rstrip(), "", "## Legenda: wacht op", ""]
    lines += [f"- **{label}**: {meaning}" for label, meaning in waiting_legend(d.plan)]
    return "\n".join(lines) + "\n"


__all__ = [
    "CHART_WIDTH",
    "HORIZON_DAYS",
    "CohortDashboard",
    "DashboardRow",
    "DeadlineItem",
    "Link",
    "OpenTlvRequest",
    "SchoolCount",
    "StepCount",
    "artifact_key",
    "bar",
    "code_link",
    "cohort_dashboard",
    "cohorts",
    "load_cohort_dashboard",
    "md_cell",
    "progress_chart",
    "render_markdown",
    "summary_line",
]
