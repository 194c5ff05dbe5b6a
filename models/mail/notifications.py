"""Who is told what, when: recipients, templates and the outbox put together.

Each function queues the messages of one event (a step opened, a reminder, an overdue step,
addresses that fail) in the caller's transaction and is idempotent: a message whose natural key
is already in the outbox is neither rendered nor queued again, so a replayed flow, a retried task
or a second clock run changes nothing. Sending is `tasks.email`'s business.

Natural keys used here (see `models.mail.outbox`):
    stap_open           (trajectory, step, address, "stap_open", question key) to whoever fills
                        in that question; (..., "") once per step to the other responsible roles
                        who got nothing for this step yet
    herinnering         (trajectory, step, address, "herinnering", question key:due date), so an
                        extended term gets its own reminder; not to an address that gets the
                        daily digest (`models.mail.digest`)
    overzicht           (None, 0, address, "overzicht", day): the daily digest (models.mail.digest)
    te_laat             (trajectory, step, coordinator, "te_laat", question key or "")
    ontbrekend_contact  (trajectory, step, coordinator, "ontbrekend_contact", question key or "")
    adres_faalt         (None, 0, coordinator, "adres_faalt", id of the first failed message):
                        once per address per failure episode (until a message reaches it again)
    melding_leerplicht  (trajectory, step, leerplichtambtenaar, "melding_leerplicht",
                        question key:attempt): once per answer that reports parents who do not
                        cooperate
    run_geannuleerd     (trajectory, 0, coordinator, "run_geannuleerd", track:flow run id): once
                        per run a person cancelled in Prefect
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from uuid import UUID

from sqlmodel import Session, col, select

from models.cases.view import TrajectoryView, load_view
from models.enums import MAIN_TRACK, MessageKind, Role, TrajectoryStatus, WaitingFor
from models.mail.messages import (
    Meeting,
    cancelled_run_context,
    failing_address_context,
    fillers,
    missing_contact_context,
    overdue_context,
    render,
    step_context,
    truancy_context,
)
from models.mail.outbox import dedup_key, failing_addresses, find_message, queue_message
from models.mail.recipients import (
    MissingRole,
    Recipient,
    coordinator,
    resolve_recipients,
)
from models.plan.steps import Question, Step
from models.settings import Settings, get_settings
from models.store import clock
from models.store.tables import OutboxMessage, Trajectory


@dataclass
class QueueResult:
    """What one event queued; `unreported` when something should reach the coordinator but
    no coordinator address is configured (then only `overstap status` shows it)."""

    queued: list[OutboxMessage] = field(default_factory=list)
    already_queued: int = 0
    missing: list[MissingRole] = field(default_factory=list)
    via_school: list[Role] = field(default_factory=list)
    unreported: bool = False
    in_digest: int = 0  # reminders left to the daily digest (`models.mail.digest`)


def responsible_roles(step: Step, question: Question | None) -> tuple[Role, ...]:
    """The step's roles, plus the question's roles and whoever records it, in plan order."""
    roles = list(step.roles)
    if question is not None:
        roles += [*question.roles, *fillers(question)]
    return tuple(dict.fromkeys(roles))


def _view(session: Session, trajectory_id: UUID) -> TrajectoryView:
    view = load_view(session, trajectory_id)
    if view is None:
        raise LookupError(f"geen traject met id {trajectory_id}")
    return view


def _queue_rendered(
    session: Session,
    result: QueueResult,
    *,
    trajectory_id: UUID | None,
    step: int,
    recipient: Recipient,
    kind: MessageKind,
    topic: str,
    template: str,
    context: dict[str, object],
    now: datetime,
) -> None:
    rendered = render(template, context)
    row = queue_message(
        session,
        trajectory_id=trajectory_id,
        step=step,
        recipient=recipient.email,
        recipient_name=recipient.name,
        kind=kind,
        topic=topic,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        ics=rendered.ics,
        now=now,
    )
    if row is None:
        result.already_queued += 1
    else:
        result.queued.append(row)


def _is_queued(
    session: Session,
    *,
    trajectory_id: UUID | None,
    step: int,
    recipient: Recipient,
    kind: MessageKind,
    topic: str,
) -> bool:
    key = dedup_key(
        trajectory_id=trajectory_id, step=step, recipient=recipient.email, kind=kind, topic=topic
    )
    return find_message(session, key) is not None


def _queue_once(
    session: Session,
    result: QueueResult,
    *,
    trajectory_id: UUID | None,
    step: int,
    recipient: Recipient,
    kind: MessageKind,
    topic: str,
    template: str,
    context: Callable[[], dict[str, object]],
    now: datetime,
) -> bool:
    """Render and queue a message unless one with its key is queued already (then counted as
    such); True when it was queued now. `context` is only built for a new message."""
    if _is_queued(
        session, trajectory_id=trajectory_id, step=step, recipient=recipient, kind=kind, topic=topic
    ):
        result.already_queued += 1
        return False
    _queue_rendered(
        session,
        result,
        trajectory_id=trajectory_id,
        step=step,
        recipient=recipient,
        kind=kind,
        topic=topic,
        template=template,
        context=context(),
        now=now,
    )
    return True


def _report_missing(
    session: Session,
    result: QueueResult,
    view: TrajectoryView,
    *,
    step: Step,
    question: Question | None,
    due: date,
    settings: Settings,
    now: datetime,
) -> None:
    if not result.missing:
        return
    boss = coordinator(settings)
    if boss is None:
        result.unreported = True
        return
    topic = question.key if question else ""
    if _is_queued(
        session,
        trajectory_id=view.trajectory.id,
        step=step.number,
        recipient=boss,
        kind=MessageKind.ONTBREKEND_CONTACT,
        topic=topic,
    ):
        result.already_queued += 1
        return
    context = missing_contact_context(
        view, step=step, question=question, due=due, missing=result.missing, settings=settings
    )
    _queue_rendered(
        session,
        result,
        trajectory_id=view.trajectory.id,
        step=step.number,
        recipient=boss,
        kind=MessageKind.ONTBREKEND_CONTACT,
        topic=topic,
        template="ontbrekend_contact",
        context=context,
        now=now,
    )


def queue_step_opened(
    session: Session,
    *,
    trajectory_id: UUID,
    step: int,
    question: str | None,
    due: date,
    meeting: Meeting | None = None,
    settings: Settings | None = None,
) -> QueueResult:
    """Tell every responsible role that a step (or `question` of it) is open; report gaps.

    Whoever fills in `question` gets the "your answer is asked" message; the step's other roles
    get one informative message per step. With a `meeting`, every message carries an invitation.
    """
    settings = settings or get_settings()
    now = clock.now()
    view = _view(session, trajectory_id)
    plan_step = view.plan.step(step)
    asked = plan_step.question(question) if question else None
    recipients = resolve_recipients(session, view, responsible_roles(plan_step, asked), settings)
    result = QueueResult(missing=recipients.missing, via_school=recipients.via_school)
    filling = set(fillers(asked)) if asked else set()
    told = set(
        session.exec(
            select(OutboxMessage.recipient)
            .where(OutboxMessage.trajectory_id == trajectory_id)
            .where(OutboxMessage.step == step)
            .where(OutboxMessage.kind == MessageKind.STAP_OPEN)
        ).all()
    )
    for recipient in recipients.to:
        asks = bool(filling & set(recipient.roles))
        topic = asked.key if asks and asked else ""
        if not asks and recipient.email in told:
            result.already_queued += 1
            continue
        if _is_queued(
            session,
            trajectory_id=trajectory_id,
            step=step,
            recipient=recipient,
            kind=MessageKind.STAP_OPEN,
            topic=topic,
        ):
            result.already_queued += 1
            continue
        context = step_context(
            view,
            step=plan_step,
            question=asked,
            recipient=recipient,
            due=due,
            meeting=meeting,
            stamp=now,
            settings=settings,
        )
        _queue_rendered(
            session,
            result,
            trajectory_id=trajectory_id,
            step=step,
            recipient=recipient,
            kind=MessageKind.STAP_OPEN,
            topic=topic,
            template="stap_open_vraag" if asks else "stap_open_info",
            context=context,
            now=now,
        )
    _report_missing(
        session,
        result,
        view,
        step=plan_step,
        question=asked,
        due=due,
        settings=settings,
        now=now,
    )
    return result


def queue_reminder(
    session: Session,
    *,
    trajectory_id: UUID,
    step: int,
    question: str,
    due: date,
    in_digest: Collection[str] = (),
    settings: Settings | None = None,
) -> QueueResult:
    """Remind whoever fills in `question` that its deadline is near (once per question); an
    address in `in_digest` gets the daily digest instead, which lists this question too."""
    settings = settings or get_settings()
    now = clock.now()
    view = _view(session, trajectory_id)
    plan_step = view.plan.step(step)
    asked = plan_step.question(question)
    recipients = resolve_recipients(session, view, fillers(asked), settings)
    result = QueueResult(missing=recipients.missing, via_school=recipients.via_school)
    for recipient in recipients.to:
        if recipient.email in in_digest:
            result.in_digest += 1
            continue
        if _is_queued(
            session,
            trajectory_id=trajectory_id,
            step=step,
            recipient=recipient,
            kind=MessageKind.HERINNERING,
            topic=f"{asked.key}:{due.isoformat()}",
        ):
            result.already_queued += 1
            continue
        context = step_context(
            view,
            step=plan_step,
            question=asked,
            recipient=recipient,
            due=due,
            stamp=now,
            settings=settings,
        )
        _queue_rendered(
            session,
            result,
            trajectory_id=trajectory_id,
            step=step,
            recipient=recipient,
            kind=MessageKind.HERINNERING,
            topic=f"{asked.key}:{due.isoformat()}",
            template="herinnering",
            context=context,
            now=now,
        )
    return result


def queue_overdue(
    session: Session,
    *,
    trajectory_id: UUID,
    step: int,
    question: str | None,
    due: date,
    basis: str | None = None,
    topic: str | None = None,
    settings: Settings | None = None,
) -> QueueResult:
    """Escalate an overdue step (or question) to the coordinator (once per `topic`).

    `basis` says which legal term ran out and why (an admission decision, an MPO); `topic`
    distinguishes several terms of one question (default: the question key).
    """
    settings = settings or get_settings()
    now = clock.now()
    view = _view(session, trajectory_id)
    plan_step = view.plan.step(step)
    asked = plan_step.question(question) if question else None
    roles = fillers(asked) if asked else plan_step.roles
    recipients = resolve_recipients(session, view, roles, settings)
    result = QueueResult(missing=recipients.missing, via_school=recipients.via_school)
    boss = coordinator(settings)
    if boss is None:
        result.unreported = True
        return result
    if topic is None:
        topic = asked.key if asked else ""
    if _is_queued(
        session,
        trajectory_id=trajectory_id,
        step=step,
        recipient=boss,
        kind=MessageKind.TE_LAAT,
        topic=topic,
    ):
        result.already_queued += 1
        return result
    context = overdue_context(
        view,
        step=plan_step,
        question=asked,
        due=due,
        today=now.date(),
        asked=recipients.to,
        basis=basis,
        settings=settings,
    )
    _queue_rendered(
        session,
        result,
        trajectory_id=trajectory_id,
        step=step,
        recipient=boss,
        kind=MessageKind.TE_LAAT,
        topic=topic,
        template="te_laat",
        context=context,
        now=now,
    )
    return result


def queue_truancy_report(
    session: Session,
    *,
    trajectory_id: UUID,
    step: int,
    question: str,
    attempt: int,
    reported_by: str,
    reason: str,
    settings: Settings | None = None,
) -> QueueResult:
    """Tell the leerplichtambtenaar that a school reports parents who demonstrably do not
    cooperate (chapter 1). Without an address for that role, the coordinator gets the report
    with the request to forward it."""
    settings = settings or get_settings()
    now = clock.now()
    view = _view(session, trajectory_id)
    plan_step = view.plan.step(step)
    asked = plan_step.question(question)
    recipients = resolve_recipients(session, view, (Role.LEERPLICHTAMBTENAAR,), settings)
    result = QueueResult(missing=recipients.missing)
    to = list(recipients.to)
    forward = not to
    if forward:
        boss = coordinator(settings)
        if boss is None:
            result.unreported = True
            return result
        to = [boss]
    topic = f"{question}:{attempt}"
    for recipient in to:
        if _is_queued(
            session,
            trajectory_id=trajectory_id,
            step=step,
            recipient=recipient,
            kind=MessageKind.MELDING_LEERPLICHT,
            topic=topic,
        ):
            result.already_queued += 1
            continue
        context = truancy_context(
            view,
            step=plan_step,
            question=asked,
            recipient=recipient,
            reported_by=reported_by,
            reason=reason,
            settings=settings,
        )
        context["forward"] = forward
        _queue_rendered(
            session,
            result,
            trajectory_id=trajectory_id,
            step=step,
            recipient=recipient,
            kind=MessageKind.MELDING_LEERPLICHT,
            topic=topic,
            template="melding_leerplicht",
            context=context,
            now=now,
        )
    return result


def queue_failing_address_reports(
    session: Session, settings: Settings | None = None
) -> QueueResult:
    """Report each address that fails to the coordinator, once per failure episode."""
    settings = settings or get_settings()
    now = clock.now()
    result = QueueResult()
    failing = failing_addresses(session)
    boss = coordinator(settings)
    if boss is None:
        result.unreported = bool(failing)
        return result
    for address in failing:
        if address.recipient == boss.email:
            result.unreported = True  # a report to a failing address would fail too
            continue
        _queue_once(
            session,
            result,
            trajectory_id=None,
            step=0,
            recipient=boss,
            kind=MessageKind.ADRES_FAALT,
            topic=str(address.first_failed_id),
            template="adres_faalt",
            context=partial(failing_address_context, address, settings),
            now=now,
        )
    return result


@dataclass(frozen=True)
class MissingContact:
    """A role of an open question that no email reaches, for `overstap status`."""

    trajectory_id: UUID
    code: str
    step: int
    question: str
    role: Role
    explanation: str


def missing_contacts(session: Session, settings: Settings | None = None) -> list[MissingContact]:
    """Roles without an address for the question each active trajectory waits for."""
    settings = settings or get_settings()
    rows = []
    waiting = session.exec(
        select(Trajectory)
        .where(Trajectory.status == TrajectoryStatus.ACTIEF)
        .where(Trajectory.waiting_for == WaitingFor.ANSWER)
        .order_by(col(Trajectory.cohort), col(Trajectory.code))
    ).all()
    for trajectory in waiting:
        if trajectory.current_step is None or trajectory.current_question is None:
            continue
        view = _view(session, trajectory.id)
        plan_step = view.plan.step(trajectory.current_step)
        asked = plan_step.question(trajectory.current_question)
        recipients = resolve_recipients(
            session, view, responsible_roles(plan_step, asked), settings
        )
        rows += [
            MissingContact(
                trajectory_id=trajectory.id,
                code=trajectory.code,
                step=plan_step.number,
                question=asked.key,
                role=missing.role,
                explanation=missing.explanation,
            )
            for missing in recipients.missing
        ]
    return rows


def queue_run_cancelled(
    session: Session,
    *,
    trajectory_id: UUID,
    track: str,
    step: int | None,
    flow_run_id: UUID,
    settings: Settings | None = None,
) -> QueueResult:
    """Tell the coordinator that a person cancelled one of the trajectory's runs in Prefect and
    that it waits for `overstap stop` or `overstap restart` (once per cancelled run)."""
    settings = settings or get_settings()
    result = QueueResult()
    boss = coordinator(settings)
    if boss is None:
        result.unreported = True
        return result
    view = _view(session, trajectory_id)
    _queue_once(
        session,
        result,
        trajectory_id=trajectory_id,
        step=0,
        recipient=boss,
        kind=MessageKind.RUN_GEANNULEERD,
        topic=f"{track}:{flow_run_id}",
        template="run_geannuleerd",
        context=lambda: cancelled_run_context(
            view,
            track=None if track == MAIN_TRACK else track,
            step=step,
            flow_run_id=flow_run_id,
            settings=settings,
        ),
        now=clock.now(),
    )
    return result
