"""One trajectory's full history, for `overstap show CODE`.

Per step of the plan: whether and when it opened, its due date, how it ended, who answered and
when, every attempt at each question (accepted, interim and rejected, with the reasons), and the
emails queued or sent for it (from the outbox). This is for coordinators at the command line, not
for Prefect: it shows the pupil's name (never a birth date).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models.cases.view import find_by_code, load_view
from models.enums import (
    STEP_STATUS_LABELS,
    WAITING_LABELS,
    OutboxStatus,
    Role,
    Route,
    StepStatus,
    TrajectoryStatus,
)
from models.plan.forms import ANSWERED_BY, FORMS, FormContext, expand_fields, form_title
from models.plan.steps import Plan
from models.reports.evaluation import days_late, local_date
from models.reports.status import StatusRow, status_row
from models.settings import get_settings
from models.store import clock
from models.store.tables import Answer, OutboxMessage, TlvRequest

ACCEPTED, INTERIM, REJECTED = "vastgelegd", "tussenstand", "afgewezen"


class UnknownTrajectoryError(LookupError):
    """No trajectory has this code; the message is Dutch."""


@dataclass(frozen=True)
class AttemptEntry:
    """One answer a question received: accepted (final), interim, or rejected with errors."""

    question: str
    attempt: int
    outcome: str  # ACCEPTED, INTERIM or REJECTED
    answered_by: str
    answered_at: datetime
    values: dict[str, Any]  # the form's fields, without "ingevuld door"
    errors: tuple[str, ...]
    title: str = ""  # what the question asks, in Dutch
    labels: Mapping[str, str] = field(default_factory=dict)  # field name -> Dutch label
    dates: frozenset[str] = frozenset()  # the fields that hold a date


@dataclass(frozen=True)
class EmailEntry:
    kind: str
    topic: str
    recipient: str
    recipient_name: str
    subject: str
    status: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class StepHistory:
    step: int
    title: str
    period: str
    track: str
    status: str | None  # open, done, skipped; None while the step has not been reached
    opened_on: date | None
    due_by: date | None
    closed_on: date | None
    answered_by: str | None
    answered_at: datetime | None
    days_late: int | None
    note: str | None
    attempts: tuple[AttemptEntry, ...]
    emails: tuple[EmailEntry, ...]


@dataclass(frozen=True)
class TlvEntry:
    kind: str
    tussengroep: bool
    grensgebied: bool
    submitted_by: str
    submitted_on: date
    advice: str
    decision: str | None
    category: str | None
    decided_on: date | None
    valid_until: date | None
    reason: str | None


@dataclass(frozen=True)
class TrajectoryHistory:
    code: str
    cohort: int
    first_name: str
    last_name: str
    po_school: str
    po_brin: str | None
    vo_school: str | None
    route: str
    status: str
    transfer_groep: int
    plan_version: str
    started_at: datetime
    finished_at: datetime | None
    current: StatusRow
    steps: tuple[StepHistory, ...]
    tlv_requests: tuple[TlvEntry, ...]
    other_emails: tuple[EmailEntry, ...]  # of the trajectory, but of no step
    current_question_title: str | None = None

    def step(self, number: int) -> StepHistory:
        return self.steps[number - 1]


def _attempt(answer: Answer, plan: Plan, transfer_groep: int) -> AttemptEntry:
    form_name = _form_of(plan, answer.step, answer.question)
    fields = (
        expand_fields(
            FORMS[form_name], FormContext(today=clock.today(), transfer_groep=transfer_groep)
        )
        if form_name in FORMS
        else []
    )
    if not answer.accepted:
        outcome = REJECTED
    elif answer.final:
        outcome = ACCEPTED
    else:
        outcome = INTERIM
    values = {k: v for k, v in answer.payload.items() if k != ANSWERED_BY}
    return AttemptEntry(
        answer.question,
        answer.attempt,
        outcome,
        answer.answered_by,
        answer.answered_at,
        values,
        tuple(answer.errors),
        title=form_title(form_name) if form_name else answer.question,
        labels={f.name: f.title for f in fields},
        dates=frozenset(f.name for f in fields if f.kind == "date"),
    )


def _form_of(plan: Plan, step: int, question: str) -> str:
    try:
        return plan.step(step).question(question).form
    except KeyError:
        return ""


def _email(message: OutboxMessage) -> EmailEntry:
    return EmailEntry(
        kind=message.kind,
        topic=message.topic,
        recipient=message.recipient,
        recipient_name=message.recipient_name,
        subject=message.subject,
        status=message.status,
        created_at=message.created_at,
        sent_at=message.sent_at,
        attempts=message.attempts,
        last_error=message.last_error,
    )


def trajectory_history(session: Session, code: str, today: date | None = None) -> TrajectoryHistory:
    """Read everything about the trajectory with `code`; `UnknownTrajectoryError` (Dutch) when
    there is none."""
    trajectory = find_by_code(session, code)
    if trajectory is None:
        raise UnknownTrajectoryError(f"geen traject met code '{code.strip().upper()}'")
    view = load_view(session, trajectory.id)
    assert view is not None
    messages = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.trajectory_id == trajectory.id)
        .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id))
    ).all()
    requests = session.exec(
        select(TlvRequest)
        .where(TlvRequest.trajectory_id == trajectory.id)
        .order_by(col(TlvRequest.submitted_on), col(TlvRequest.created_at))
    ).all()
    steps = []
    for plan_step in view.plan.steps:
        record = view.records.get(plan_step.number)
        order = {q.key: i for i, q in enumerate(plan_step.questions)}
        answers = sorted(
            (a for a in view.answers if a.step == plan_step.number),
            key=lambda a: (order.get(a.question, len(order)), a.attempt),
        )
        steps.append(
            StepHistory(
                step=plan_step.number,
                title=plan_step.title,
                period=plan_step.period,
                track=plan_step.track,
                status=record.status if record else None,
                opened_on=record.opened_on if record else None,
                due_by=record.due_by if record else None,
                closed_on=local_date(record.closed_at) if record and record.closed_at else None,
                answered_by=record.answered_by if record else None,
                answered_at=record.answered_at if record else None,
                days_late=days_late(record) if record else None,
                note=record.note if record else None,
                attempts=tuple(_attempt(a, view.plan, trajectory.transfer_groep) for a in answers),
                emails=tuple(_email(m) for m in messages if m.step == plan_step.number),
            )
        )
    return TrajectoryHistory(
        code=trajectory.code,
        cohort=trajectory.cohort,
        first_name=view.pupil.first_name,
        last_name=view.pupil.last_name,
        po_school=view.po_school.name,
        po_brin=view.po_school.brin,
        vo_school=view.vo_school.name if view.vo_school else None,
        route=trajectory.route,
        status=trajectory.status,
        transfer_groep=trajectory.transfer_groep,
        plan_version=trajectory.plan_version,
        started_at=trajectory.started_at,
        finished_at=trajectory.finished_at,
        current=(current := status_row(view, today or clock.today())),
        steps=tuple(steps),
        tlv_requests=tuple(
            TlvEntry(
                kind=r.kind,
                tussengroep=r.tussengroep,
                grensgebied=r.grensgebied,
                submitted_by=r.submitted_by,
                submitted_on=r.submitted_on,
                advice=r.advice,
                decision=r.decision,
                category=r.category,
                decided_on=r.decided_on,
                valid_until=r.valid_until,
                reason=r.reason,
            )
            for r in requests
        ),
        other_emails=tuple(_email(m) for m in messages if not 1 <= m.step <= len(steps)),
        current_question_title=_question_title(view.plan, current),
    )


def _question_title(plan: Plan, row: StatusRow) -> str | None:
    if row.current_step is None or row.current_question is None:
        return None
    form_name = _form_of(plan, row.current_step, row.current_question)
    return form_title(form_name) if form_name else row.current_question


# --- rendering ------------------------------------------------------------------------------------


EMAIL_KIND_LABELS: dict[str, str] = {
    "stap_open": "stap open",
    "herinnering": "herinnering",
    "te_laat": "te laat",
    "ontbrekend_contact": "ontbrekend contact",
    "adres_faalt": "adres faalt",
}
WIDTH = 100


def _day(value: date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else "–"


def _moment(value: datetime | None) -> str:
    if value is None:
        return "–"
    return f"{value.astimezone(ZoneInfo(get_settings().timezone)):%d-%m-%Y %H:%M}"


def _value(value: Any) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    if value is None or value == "":
        return "–"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return str(value)


def _stored_date(value: Any) -> str:
    try:
        return _day(date.fromisoformat(str(value)))
    except ValueError:
        return _value(value)


def _route_label(route: str) -> str:
    try:
        return Route(route).label
    except ValueError:
        return route


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") or [
        indent
    ]


def _email_line(email: EmailEntry) -> str:
    if email.status == OutboxStatus.SENT:
        state = f"verzonden {_moment(email.sent_at)}"
    elif email.status == OutboxStatus.FAILED:
        state = f"mislukt na {email.attempts} pogingen: {email.last_error or 'onbekende fout'}"
    elif email.status == OutboxStatus.SENDING:
        state = "wordt verzonden"
    else:
        state = f"wacht op verzending (aangemaakt {_moment(email.created_at)})"
        if email.last_error:
            state += f"; laatste fout: {email.last_error}"
    to = f"{email.recipient_name} <{email.recipient}>" if email.recipient_name else email.recipient
    kind = EMAIL_KIND_LABELS.get(email.kind, email.kind)
    return f'e-mail ({kind}) aan {to}: "{email.subject}" — {state}'


def _current(history: TrajectoryHistory) -> str:
    row = history.current
    if history.status != TrajectoryStatus.ACTIEF:
        ended = history.finished_at
        return f"traject {history.status}" + (f" op {_day(local_date(ended))}" if ended else "")
    label = WAITING_LABELS.get(row.waiting_for, row.waiting_for)
    parts = [f"stap {row.current_step}" if row.current_step else "nog geen stap"]
    if row.waiting_for == "answer" and row.waiting_on:
        roles = ", ".join(Role(r).label for r in row.waiting_on)
        asked = history.current_question_title or row.current_question
        parts.append(f"wacht op antwoord van {roles} ({asked})")
    elif row.waiting_for == "date" and row.wait_until:
        parts.append(f"wacht tot {_day(row.wait_until)}")
    else:
        parts.append(f"wacht op: {label}")
    if row.due:
        parts.append(f"uiterlijk {_day(row.due)}")
    return ", ".join(parts) + (" — TE LAAT" if row.overdue else "")


def render_history_text(history: TrajectoryHistory) -> str:
    """The history as Dutch text for a terminal (lines of at most about 100 characters)."""
    h = history
    vo = h.vo_school or "nog niet bekend"
    lines = [
        f"Traject {h.code} — {h.first_name} {h.last_name}",
        f"  cohort {h.cohort} (uitstroom uit groep {h.transfer_groep}), "
        f"route {_route_label(h.route)}, status {h.status}",
        f"  PO-school: {h.po_school}" + (f" ({h.po_brin})" if h.po_brin else ""),
        f"  VO-school: {vo}",
        f"  plan {h.plan_version}; ingeschreven {_day(local_date(h.started_at))}",
        f"  Nu: {_current(h)}",
    ]
    for deadline in h.current.deadlines:
        lines += _wrap(f"termijn {_day(deadline.due)}: {deadline.basis}", "    ")
    if h.tlv_requests:
        lines += ["", "TLV-aanvragen bij de CvA:"]
        for r in h.tlv_requests:
            extra = "".join(
                (
                    " (tussengroep)" if r.tussengroep else "",
                    " (grensgebied)" if r.grensgebied else "",
                )
            )
            if r.decision is None:
                outcome = "nog geen besluit"
            else:
                outcome = f"{r.decision} op {_day(r.decided_on)}"
                if r.category:
                    outcome += f", categorie {r.category}"
                if r.valid_until:
                    outcome += f", geldig tot {_day(r.valid_until)}"
                if r.reason:
                    outcome += f"; reden: {r.reason}"
            lines += _wrap(
                f"{r.kind}{extra}, aangevraagd {_day(r.submitted_on)} door {r.submitted_by} "
                f"(advies {r.advice}): {outcome}",
                "  ",
            )
    for step in h.steps:
        status = STEP_STATUS_LABELS.get(step.status, step.status) if step.status else None
        track = f" · procedure {step.track}" if step.track != "hoofd" else ""
        lines += [
            "",
            f"Stap {step.step} · {step.period}{track} · {status or 'nog niet aan de beurt'}",
        ]
        lines += _wrap(step.title, "  ")
        if step.status == StepStatus.SKIPPED:
            lines += _wrap(f"overgeslagen: {step.note or 'niet van toepassing'}", "  ")
        elif step.status == StepStatus.LATE_ENTRY:
            lines += _wrap(step.note or "ingestroomd na de periode van deze stap", "  ")
        elif step.status is not None:
            dates = [f"geopend {_day(step.opened_on)}", f"uiterlijk {_day(step.due_by)}"]
            if step.status == StepStatus.DONE:
                dates.append(f"afgerond {_day(step.closed_on)}")
            if step.days_late:
                dates.append(f"{step.days_late} dagen te laat beantwoord")
            lines.append("  " + ", ".join(dates))
        for attempt in step.attempts:
            lines += _wrap(
                f"{attempt.title or attempt.question} (poging {attempt.attempt}, "
                f"{attempt.outcome}) {_moment(attempt.answered_at)} door {attempt.answered_by}",
                "  ",
            )
            for name, value in attempt.values.items():
                label = attempt.labels.get(name) or name.replace("_", " ")
                shown = _stored_date(value) if name in attempt.dates else _value(value)
                lines += _wrap(f"{label}: {shown}", "      ")
            for error in attempt.errors:
                lines += _wrap(f"fout: {error}", "      ")
        for email in step.emails:
            lines += _wrap(_email_line(email), "  ")
    if h.other_emails:
        lines += ["", "Overige e-mail over dit traject:"]
        for email in h.other_emails:
            lines += _wrap(_email_line(email), "  ")
    return "\n".join(lines) + "\n"


__all__ = [
    "AttemptEntry",
    "EmailEntry",
    "StepHistory",
    "TlvEntry",
    "TrajectoryHistory",
    "UnknownTrajectoryError",
    "render_history_text",
    "trajectory_history",
]
