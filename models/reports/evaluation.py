"""Evaluation figures of one cohort, for the monitoring chapter 4 of the agreements asks for.

Per cohort: pupils per status and per route, admission outcomes, TLV requests (granted, refused,
open; per kind), how many days each step took, and which steps were answered late and by how
much. The figures are computed from our records only (never from Prefect) and hold no pupil
data: counts, medians and step numbers. `render_figures_markdown` shows them in Dutch, for the
cohort dashboard artifact or a terminal.

Definitions (also shown under the tables):
- *days per step*: from the day the step opened (`StepRecord.opened_on`) to the day it was done
  (its last answer); only steps that are done, and only steps that ask something (a step that
  asks nothing is done the day it opens).
- *answered late*: a step whose last answer came after its due date (`StepRecord.due_by`); every
  step with an answer counts, also one still open because another question of it waits.
- Days are calendar days in the region's timezone.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.cases.view import TrajectoryView
from models.enums import Route, StepStatus, TrajectoryStatus
from models.store import clock
from models.store.tables import StepRecord, TlvRequest

TLV_GRANTED = "toegekend"
TLV_REFUSED = "afgewezen"
TLV_KINDS = ("PRO", "VSO")
NO_ADMISSION_YET = "nog geen besluit"
ADMISSION_OUTCOMES = ("toegelaten", "niet toegelaten", NO_ADMISSION_YET)


def local_date(moment: datetime) -> date:
    """The region's calendar day of a stored timestamp (see `models.store.clock.local_date`)."""
    return clock.local_date(moment)


def days_late(record: StepRecord) -> int | None:
    """Calendar days the step's last answer came after its due date: 0 when on time, None when
    the step has no answer (or no due date)."""
    if record.status == StepStatus.SKIPPED or record.answered_at is None or record.due_by is None:
        return None
    return max(0, (local_date(record.answered_at) - record.due_by).days)


def step_days(record: StepRecord) -> int | None:
    """Calendar days from opening to the last answer (or closing, for a step that asks nothing);
    None unless the step is done."""
    if record.status != StepStatus.DONE or record.opened_on is None:
        return None
    moment = record.answered_at or record.closed_at
    if moment is None:
        return None
    return (local_date(moment) - record.opened_on).days


def load_tlv_requests(session: Session) -> list[TlvRequest]:
    """Every TLV request, oldest first (dashboards, figures and the export take them in)."""
    return list(
        session.exec(
            select(TlvRequest).order_by(col(TlvRequest.submitted_on), col(TlvRequest.created_at))
        ).all()
    )


def cohort_views(views: Iterable[TrajectoryView], cohort: int) -> list[TrajectoryView]:
    """The trajectories of one cohort, by code."""
    return sorted(
        (v for v in views if v.trajectory.cohort == cohort), key=lambda v: v.trajectory.code
    )


@dataclass(frozen=True)
class TlvCounts:
    """TLV requests of one kind (PRO or VSO), or of all kinds ("totaal")."""

    kind: str
    requested: int
    granted: int
    refused: int
    open: int


@dataclass(frozen=True)
class StepDuration:
    """How many days the done steps with this number took."""

    step: int
    count: int
    median_days: float
    max_days: int


@dataclass(frozen=True)
class LateSteps:
    """The steps with this number that were answered after their due date."""

    step: int
    answered: int
    late: int
    median_days_late: float
    max_days_late: int


@dataclass(frozen=True)
class CohortFigures:
    cohort: int
    pupils: int
    by_status: dict[str, int]
    by_route: dict[str, int]
    admissions: dict[str, int]
    tlv: TlvCounts
    tlv_by_kind: tuple[TlvCounts, ...]
    step_durations: tuple[StepDuration, ...]
    late_steps: tuple[LateSteps, ...]

    def duration(self, step: int) -> StepDuration | None:
        return next((d for d in self.step_durations if d.step == step), None)

    def late(self, step: int) -> LateSteps | None:
        return next((s for s in self.late_steps if s.step == step), None)


def _tlv_counts(kind: str, requests: Sequence[TlvRequest]) -> TlvCounts:
    return TlvCounts(
        kind=kind,
        requested=len(requests),
        granted=sum(1 for r in requests if r.decision == TLV_GRANTED),
        refused=sum(1 for r in requests if r.decision == TLV_REFUSED),
        open=sum(1 for r in requests if r.decision is None),
    )


def cohort_figures(
    views: Iterable[TrajectoryView], cohort: int, tlv_requests: Iterable[TlvRequest]
) -> CohortFigures:
    """The evaluation figures of one cohort from its trajectories' records and TLV requests."""
    members = cohort_views(views, cohort)
    ids = {v.trajectory.id for v in members}
    requests = [r for r in tlv_requests if r.trajectory_id in ids]
    statuses = Counter(v.trajectory.status for v in members)
    routes = Counter(v.trajectory.route for v in members)
    admissions = Counter(v.facts.admission or NO_ADMISSION_YET for v in members)
    durations: dict[int, list[int]] = {}
    answered: dict[int, int] = {}
    late: dict[int, list[int]] = {}
    for view in members:
        for number, record in view.records.items():
            days = step_days(record)
            if days is not None and view.plan.step(number).questions:
                durations.setdefault(number, []).append(days)
            overdue = days_late(record)
            if overdue is not None:
                answered[number] = answered.get(number, 0) + 1
                if overdue > 0:
                    late.setdefault(number, []).append(overdue)
    return CohortFigures(
        cohort=cohort,
        pupils=len(members),
        by_status={s.value: statuses.get(s, 0) for s in TrajectoryStatus},
        by_route={r.value: routes.get(r, 0) for r in Route},
        admissions={outcome: admissions.get(outcome, 0) for outcome in ADMISSION_OUTCOMES},
        tlv=_tlv_counts("totaal", requests),
        tlv_by_kind=tuple(
            _tlv_counts(kind, [r for r in requests if r.kind == kind]) for kind in TLV_KINDS
        ),
        step_durations=tuple(
            StepDuration(n, len(days), float(statistics.median(days)), max(days))
            for n, days in sorted(durations.items())
        ),
        late_steps=tuple(
            LateSteps(n, answered[n], len(days), float(statistics.median(days)), max(days))
            for n, days in sorted(late.items())
        ),
    )


# --- rendering ------------------------------------------------------------------------------------


STATUS_LABELS = {"actief": "actief", "afgerond": "afgerond", "gestopt": "gestopt"}
ROUTE_LABELS = {
    "regulier": "regulier VO",
    "pro": "praktijkonderwijs (PRO)",
    "vso": "voortgezet speciaal onderwijs (VSO)",
    "onbekend": "nog niet gekozen",
}


def dutch_number(value: float) -> str:
    """'3' or '3,5': a Dutch reader expects a decimal comma."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def render_figures_markdown(figures: CohortFigures, *, heading_level: int = 2) -> str:
    """The figures as Dutch Markdown: a few small tables, no pupil data."""
    h = "#" * heading_level
    sub = "#" * (heading_level + 1)
    lines = [f"{h} Evaluatie cohort {figures.cohort} (monitoring, hoofdstuk 4)", ""]
    lines += [f"{sub} Leerlingen per route", "", "| Route | Leerlingen |", "| --- | ---: |"]
    lines += [f"| {ROUTE_LABELS[r]} | {n} |" for r, n in figures.by_route.items()]
    lines += [f"| **totaal** | **{figures.pupils}** |", ""]
    status = ", ".join(f"{n} {STATUS_LABELS[s]}" for s, n in figures.by_status.items())
    admissions = ", ".join(f"{n} {outcome}" for outcome, n in figures.admissions.items())
    lines += [f"Status: {status}. Toelating: {admissions}.", ""]
    lines += [
        f"{sub} TLV-aanvragen bij de CvA",
        "",
        "| Soort | Aangevraagd | Toegekend | Afgewezen | Open |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for counts in (*figures.tlv_by_kind, figures.tlv):
        label = "**totaal**" if counts.kind == "totaal" else counts.kind
        lines.append(
            f"| {label} | {counts.requested} | {counts.granted} | {counts.refused} "
            f"| {counts.open} |"
        )
    lines.append("")
    lines += [f"{sub} Doorlooptijd per stap", ""]
    if figures.step_durations:
        lines += [
            "| Stap | Afgerond | Mediaan dagen | Langste |",
            "| ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {d.step} | {d.count} | {dutch_number(d.median_days)} | {d.max_days} |"
            for d in figures.step_durations
        ]
        lines += [
            "",
            "_Dagen van het openen van de stap tot het laatste antwoord; alleen afgeronde stappen "
            "die iets vragen._",
        ]
    else:
        lines.append("Nog geen afgeronde stappen.")
    lines += ["", f"{sub} Te laat beantwoord", ""]
    if figures.late_steps:
        lines += [
            "| Stap | Beantwoord | Te laat | Mediaan dagen te laat | Meeste dagen te laat |",
            "| ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {s.step} | {s.answered} | {s.late} | {dutch_number(s.median_days_late)} "
            f"| {s.max_days_late} |"
            for s in figures.late_steps
        ]
        lines += [
            "",
            "_Een stap is te laat beantwoord als het laatste antwoord na de uiterste datum van "
            "de stap kwam._",
        ]
    else:
        lines.append("Geen stappen te laat beantwoord.")
    return "\n".join(lines) + "\n"


__all__ = [
    "CohortFigures",
    "LateSteps",
    "StepDuration",
    "TlvCounts",
    "cohort_figures",
    "cohort_views",
    "days_late",
    "dutch_number",
    "load_tlv_requests",
    "local_date",
    "render_figures_markdown",
    "step_days",
]
