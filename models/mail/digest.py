"""The daily digest: one email per contact that lists every question open for them.

When a question opens, whoever fills it in gets the "your answer is asked" email at once
(`notifications.queue_step_opened`); that stays. A contact with more than one open question
gets, instead of a reminder per question, one digest each working day (sent by the clock) that
lists them all, each with its link, its due date and whether it is late. A contact with one
open question gets the ordinary reminder. `OVERSTAP_DIGEST=0` turns digests off (then every
question is reminded on its own again).

Natural key (see `models.mail.outbox`): (None, 0, address, "overzicht", the day in ISO), so the
clock may run as often as it likes: each contact gets at most one digest per day. The digests of
a day are made by the first clock run that finds someone to send one to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial
from uuid import UUID

from sqlmodel import Session, select

from models.cases.view import TrajectoryView, load_views
from models.dutch import dutch_date
from models.enums import MessageKind, TrajectoryStatus, WaitingFor
from models.mail.messages import PupilFacts, _base_context, fillers, form_run_id, run_link
from models.mail.notifications import QueueResult, _queue_once
from models.mail.recipients import Recipient, resolve_recipients
from models.plan.forms import form_title
from models.settings import Settings, get_settings
from models.store import clock
from models.store.tables import OutboxMessage, TrackRun, Trajectory
from models.terms.workdays import is_working_day

TEMPLATE = "overzicht"


@dataclass(frozen=True)
class OpenQuestion:
    """One question a contact must answer, as the digest lists it."""

    code: str
    pupil: str  # first name and initial
    po_school: str
    step: int
    question: str  # the question's title
    due: date
    late: bool
    link: str | None
    trajectory_id: UUID

    @property
    def due_text(self) -> str:
        return dutch_date(self.due)


@dataclass
class ContactQuestions:
    """The open questions of one address (a person may hold roles at several schools)."""

    email: str
    name: str
    questions: list[OpenQuestion] = field(default_factory=list)


def _waiting_ids(session: Session) -> list[UUID]:
    """Trajectories whose main walk or one of whose tracks waits for an answer."""
    main = session.exec(
        select(Trajectory.id)
        .where(Trajectory.status == TrajectoryStatus.ACTIEF)
        .where(Trajectory.waiting_for == WaitingFor.ANSWER)
    ).all()
    tracks = session.exec(
        select(TrackRun.trajectory_id)
        .where(TrackRun.status == TrajectoryStatus.ACTIEF)
        .where(TrackRun.waiting_for == WaitingFor.ANSWER)
    ).all()
    return sorted(set(main) | set(tracks))


def _open_of(
    session: Session, view: TrajectoryView, day: date, settings: Settings
) -> list[tuple[Recipient, OpenQuestion]]:
    found = []
    for waiting in view.waiting_questions():
        row, step, question = waiting.row, waiting.step, waiting.question
        item = OpenQuestion(
            code=view.trajectory.code,
            pupil=PupilFacts.of(view).label,
            po_school=view.po_school.name,
            step=step.number,
            question=form_title(question.form),
            due=waiting.due,
            late=waiting.late(day, view.enrolled_on),
            link=run_link(row.flow_run_id or form_run_id(view, step, question), settings),
            trajectory_id=view.trajectory.id,
        )
        recipients = resolve_recipients(session, view, fillers(question), settings)
        found += [(recipient, item) for recipient in recipients.to]
    return found


def open_questions_by_contact(
    session: Session, day: date, settings: Settings | None = None
) -> dict[str, ContactQuestions]:
    """Every address with the questions open for it (oldest due date first), read from the runs
    that wait for an answer."""
    settings = settings or get_settings()
    ids = _waiting_ids(session)
    contacts: dict[str, ContactQuestions] = {}
    for view in load_views(session, ids=ids) if ids else []:
        if view.finished:
            continue
        for recipient, item in _open_of(session, view, day, settings):
            entry = contacts.setdefault(
                recipient.email, ContactQuestions(recipient.email, recipient.name)
            )
            entry.questions.append(item)
    for entry in contacts.values():
        entry.questions.sort(key=lambda q: (q.due, q.code, q.step))
    return contacts


def digest_addresses(session: Session, day: date, settings: Settings | None = None) -> set[str]:
    """The addresses that get a digest today (more than one open question; none when off)."""
    settings = settings or get_settings()
    if not settings.digest:
        return set()
    contacts = open_questions_by_contact(session, day, settings)
    return {email for email, entry in contacts.items() if len(entry.questions) > 1}


def digest_context(
    entry: ContactQuestions, day: date, settings: Settings | None = None
) -> dict[str, object]:
    settings = settings or get_settings()
    return {
        **_base_context(settings),
        "recipient_name": entry.name,
        "day": dutch_date(day),
        "questions": entry.questions,
        "late": sum(1 for q in entry.questions if q.late),
    }


def _made_on(session: Session, topic: str) -> bool:
    """Whether a digest of this day is in the outbox already (one indexed look-up)."""
    made = session.exec(
        select(OutboxMessage.id)
        .where(OutboxMessage.kind == MessageKind.OVERZICHT)
        .where(OutboxMessage.topic == topic)
        .limit(1)
    ).first()
    return made is not None


def queue_digests(session: Session, day: date, settings: Settings | None = None) -> QueueResult:
    """Queue today's digest for every contact with more than one open question: once a day, on
    working days (schools read no mail at the weekend or in a holiday; the next working day's
    digest lists what is still open).

    The first clock run of the day that finds someone to send a digest to makes them all; a
    later run the same day reads no questions at all (so the clock's repeated runs cost one
    look-up). A contact whose second question opens after that gets a digest the next day.
    """
    settings = settings or get_settings()
    result = QueueResult()
    if not settings.digest or not is_working_day(day):
        return result
    now = clock.now()
    topic = day.isoformat()
    if _made_on(session, topic):
        return result  # today's digests were made by an earlier clock run: nothing to read
    for email, entry in sorted(open_questions_by_contact(session, day, settings).items()):
        if len(entry.questions) < 2:
            continue
        recipient = Recipient(name=entry.name, email=email, roles=())
        _queue_once(
            session,
            result,
            trajectory_id=None,
            step=0,
            recipient=recipient,
            kind=MessageKind.OVERZICHT,
            topic=topic,
            template=TEMPLATE,
            context=partial(digest_context, entry, day, settings),
            now=now,
        )
    return result
