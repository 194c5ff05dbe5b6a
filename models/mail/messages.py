"""What an email says: one Jinja2 environment over `templates/email/`, and the safe context.

Every message is a pair of templates, `<name>.txt` (plain text, with the subject in a
`{% block subject %}`) and `<name>.html` (autoescaped), both extending a base layout. The context
builders below copy only what a recipient needs: the pupil's name, code and schools, the step, what
is asked, by when, and the link to the flow run. Never a BSN, a birth date, a diagnosis or the
free-text answers of a form: those are not even passed to a template.

A conversation can carry an iCalendar invitation (`Invitation`), written here by hand: RFC 5545
escaping and line folding, a VTIMEZONE for Europe/Amsterdam, METHOD:REQUEST.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from models.cases.descriptions import role_list
from models.cases.view import TrajectoryView, last_name_initial
from models.dutch import dutch_date
from models.enums import MAIN_TRACK, Role
from models.mail.outbox import FailingAddress
from models.mail.recipients import MissingRole, Recipient
from models.plan.forms import FORMS, form_title
from models.plan.steps import Question, Step
from models.settings import Settings, get_settings
from models.store import clock

# The templates are package data of the top-level `templates` package (found in an installed
# package as well as in a checkout).
TEMPLATE_PACKAGE, TEMPLATE_FOLDER = "templates", "email"

TEMPLATES = (
    "stap_open_vraag",
    "stap_open_info",
    "herinnering",
    "te_laat",
    "ontbrekend_contact",
    "adres_faalt",
    "melding_leerplicht",
    "overzicht",
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja2 environment for email (tests may `environment.cache_clear()`)."""
    return Environment(
        loader=PackageLoader(TEMPLATE_PACKAGE, TEMPLATE_FOLDER),
        autoescape=select_autoescape(
            enabled_extensions=("html",), disabled_extensions=("txt",), default=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str
    ics: str | None = None


def render(template: str, context: Mapping[str, Any]) -> RenderedMessage:
    """Render `<template>.txt` (subject and text) and `<template>.html`; add the invitation."""
    env = environment()
    text_template = env.get_template(f"{template}.txt")
    subject_block = text_template.blocks.get("subject")
    if subject_block is None:
        raise LookupError(f"{template}.txt has no {{% block subject %}}")
    subject = "".join(subject_block(text_template.new_context(dict(context))))
    text = text_template.render(context)
    html = env.get_template(f"{template}.html").render(context)
    invitation = context.get("invitation")
    return RenderedMessage(
        subject=" ".join(subject.split()),
        text=_tidy_text(text),
        html=html,
        ics=invitation.to_ics() if isinstance(invitation, Invitation) else None,
    )


def _tidy_text(text: str) -> str:
    """No trailing spaces, at most one empty line in a row, one newline at the end."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"


# --- the context: only safe fields ---------------------------------------------------------------


@dataclass(frozen=True)
class PupilFacts:
    """What an email may say about a pupil."""

    first_name: str
    last_name: str
    code: str
    po_school: str
    vo_school: str | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def label(self) -> str:
        """First name and initial: for subjects, which show in notifications and lists."""
        return f"{self.first_name} {last_name_initial(self.last_name)}."

    @staticmethod
    def of(view: TrajectoryView) -> PupilFacts:
        return PupilFacts(
            first_name=view.pupil.first_name,
            last_name=view.pupil.last_name,
            code=view.trajectory.code,
            po_school=view.po_school.name,
            vo_school=view.vo_school.name if view.vo_school else None,
        )


@dataclass(frozen=True)
class StepFacts:
    """A step as a recipient reads it: `asks` when this recipient fills in the form."""

    number: int
    title: str
    period: str
    due: str
    asks: bool
    question: str  # what the question asks, in a few words (its form's title); "" for none
    what: str
    asked_of: str
    on_behalf_of: str


@dataclass(frozen=True)
class Meeting:
    """A planned conversation: start (timezone-aware), length, place."""

    start: datetime
    minutes: int = 60
    location: str = ""


def fillers(question: Question) -> tuple[Role, ...]:
    """Who fills in a question's form: `recorded_by` on behalf of others, else its roles."""
    return (question.recorded_by,) if question.recorded_by else question.roles


def ui_base(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return (settings.ui_url or f"http://127.0.0.1:{settings.prefect_port}").rstrip("/")


def run_link(flow_run_id: UUID | None, settings: Settings | None = None) -> str | None:
    """The flow run in the Prefect UI, where the form is; None before the run exists."""
    if flow_run_id is None:
        return None
    return f"{ui_base(settings)}/runs/flow-run/{flow_run_id}"


def form_run_id(view: TrajectoryView, step: Step, question: Question | None) -> UUID | None:
    """The flow run that holds the form of `question` (or waits at `step`): a parallel track's
    own run for a track's question (the admission decision, the OSO dossier, the TLV), the
    pupil's main run otherwise, and the main run while a track has no run yet."""
    track = question.track if question is not None else step.track
    if track != MAIN_TRACK:
        row = view.tracks.get(track)
        if row is not None and row.flow_run_id is not None:
            return row.flow_run_id
    return view.trajectory.flow_run_id


def _mail_domain(settings: Settings) -> str:
    address = parseaddr(settings.mail_from)[1]
    return address.rpartition("@")[2] or "overstap.local"


def _base_context(settings: Settings) -> dict[str, Any]:
    coordinator = parseaddr(settings.coordinator_email)[1]
    return {"coordinator_email": coordinator or None}


def step_facts(
    step: Step, question: Question | None, due: date, roles: Iterable[Role]
) -> StepFacts:
    """The step for a recipient holding `roles`; `asks` when one of them fills in `question`."""
    held = set(roles)
    asks = question is not None and bool(held & set(fillers(question)))
    on_behalf = ""
    if question is not None and question.recorded_by is not None:
        on_behalf = role_list(r for r in question.roles if r != question.recorded_by)
    return StepFacts(
        number=step.number,
        title=step.title,
        period=step.period,
        due=dutch_date(due),
        asks=asks,
        question=form_title(question.form) if question is not None else "",
        what=FORMS[question.form].intro if question is not None else "",
        asked_of=role_list(fillers(question)) if question is not None else "",
        on_behalf_of=on_behalf,
    )


def step_context(
    view: TrajectoryView,
    *,
    step: Step,
    question: Question | None,
    recipient: Recipient,
    due: date,
    meeting: Meeting | None = None,
    stamp: datetime | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Context of a message to someone with a role in the step (opened, reminder)."""
    settings = settings or get_settings()
    pupil = PupilFacts.of(view)
    facts = step_facts(step, question, due, recipient.roles)
    invitation = None
    if meeting is not None:
        topic = question.key if question else ""
        invitation = Invitation(
            uid=f"overstap-{view.trajectory.id}-stap-{step.number}-{topic}@{_mail_domain(settings)}",
            start=meeting.start,
            minutes=meeting.minutes,
            summary=f"Overstap-gesprek: {pupil.label} (stap {step.number})",
            description=f"Stap {step.number}: {step.title}",
            location=meeting.location,
            organizer=settings.mail_from,
            attendee=recipient,
            stamp=stamp or clock.now(),
        )
    return {
        **_base_context(settings),
        "recipient_name": recipient.name,
        "recipient_roles": role_list(recipient.roles),
        "recipient_school": recipient.school,
        "pupil": pupil,
        "step": facts,
        "link": run_link(form_run_id(view, step, question), settings),
        "invitation": invitation,
    }


def overdue_context(
    view: TrajectoryView,
    *,
    step: Step,
    question: Question | None,
    due: date,
    today: date,
    asked: Sequence[Recipient],
    basis: str | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Context of the escalation of an overdue step to the coordinator."""
    settings = settings or get_settings()
    roles = fillers(question) if question is not None else step.roles
    return {
        **_base_context(settings),
        "pupil": PupilFacts.of(view),
        "step": step_facts(step, question, due, roles),
        "days_late": (today - due).days,
        "basis": basis,
        "asked": [{"name": r.name, "roles": role_list(r.roles), "email": r.email} for r in asked],
        "link": run_link(form_run_id(view, step, question), settings),
    }


def truancy_context(
    view: TrajectoryView,
    *,
    step: Step,
    question: Question,
    recipient: Recipient,
    reported_by: str,
    reason: str,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Context of the report to the leerplichtambtenaar that parents do not cooperate."""
    settings = settings or get_settings()
    po_side = bool(set(question.roles) & PO_SIDE_ROLES)
    pupil = PupilFacts.of(view)
    school = pupil.po_school if po_side or pupil.vo_school is None else pupil.vo_school
    return {
        **_base_context(settings),
        "recipient_name": recipient.name,
        "pupil": pupil,
        "step": step_facts(step, question, clock.today(), ()),
        "reporter_school": school,
        "process": "tot aanmelding bij het VO" if po_side else "tot toelating en plaatsing",
        "reported_by": reported_by,
        "reason": reason,
        "forward": False,
    }


PO_SIDE_ROLES = frozenset({Role.LEERKRACHT_PO, Role.INTERN_BEGELEIDER_PO, Role.DIRECTIE_PO})


def missing_contact_context(
    view: TrajectoryView,
    *,
    step: Step,
    question: Question | None,
    due: date,
    missing: Sequence[MissingRole],
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Context of the report of roles without an address to the coordinator."""
    settings = settings or get_settings()
    return {
        **_base_context(settings),
        "pupil": PupilFacts.of(view),
        "step": step_facts(step, question, due, ()),
        "missing": [{"role": m.role.label, "explanation": m.explanation} for m in missing],
        "link": run_link(form_run_id(view, step, question), settings),
    }


def failing_address_context(
    failing: FailingAddress, settings: Settings | None = None
) -> dict[str, Any]:
    """Context of the report of an address that keeps failing, to the coordinator."""
    settings = settings or get_settings()
    return {
        **_base_context(settings),
        "address": failing.recipient,
        "failed": failing.failed,
        "last_error": failing.last_error,
        "since": dutch_date(failing.messages[0].created_at.date()),
        "messages": [
            {"subject": m.subject, "created": dutch_date(m.created_at.date())}
            for m in failing.messages
        ],
    }


# --- iCalendar -----------------------------------------------------------------------------------

AMSTERDAM = "Europe/Amsterdam"
_VTIMEZONE_AMSTERDAM = (
    "BEGIN:VTIMEZONE",
    f"TZID:{AMSTERDAM}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19810329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def ics_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_param(value: str) -> str:
    """A parameter value (RFC 5545 3.2): no quotes or controls inside, quoted when needed."""
    clean = "".join(c for c in value if c != '"' and (c == "\t" or ord(c) >= 0x20))
    return f'"{clean}"' if any(c in clean for c in ":;,") else clean


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with one space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


@dataclass(frozen=True)
class Invitation:
    """One VEVENT with METHOD:REQUEST; `uid` is the same for every attendee of one meeting."""

    uid: str
    start: datetime
    minutes: int
    summary: str
    description: str
    location: str
    organizer: str
    attendee: Recipient
    stamp: datetime

    def to_ics(self) -> str:
        if self.start.tzinfo is None:
            raise ValueError("a meeting starts at a timezone-aware moment")
        local_start = self.start.astimezone(ZoneInfo(AMSTERDAM))
        local_end = local_start + timedelta(minutes=self.minutes)
        organizer_name, organizer_address = parseaddr(self.organizer)
        lines = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Overstap//Overstap PO-VO//NL",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            *_VTIMEZONE_AMSTERDAM,
            "BEGIN:VEVENT",
            f"UID:{self.uid}",
            f"DTSTAMP:{self.stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"DTSTART;TZID={AMSTERDAM}:{local_start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={AMSTERDAM}:{local_end:%Y%m%dT%H%M%S}",
            "SEQUENCE:0",
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            f"SUMMARY;LANGUAGE=nl:{ics_text(self.summary)}",
            f"DESCRIPTION;LANGUAGE=nl:{ics_text(self.description)}",
        ]
        if self.location:
            lines.append(f"LOCATION:{ics_text(self.location)}")
        lines += [
            f"ORGANIZER;CN={ics_param(organizer_name or 'Overstap')}:mailto:{organizer_address}",
            f"ATTENDEE;CN={ics_param(self.attendee.name)};ROLE=REQ-PARTICIPANT;"
            f"PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{self.attendee.email}",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return "".join(ics_fold(line) + "\r\n" for line in lines)


def cancelled_run_context(
    view: TrajectoryView,
    *,
    track: str | None,
    step: int | None,
    flow_run_id: UUID,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Context of the report to the coordinator that a person cancelled a run in Prefect."""
    settings = settings or get_settings()
    return {
        **_base_context(settings),
        "pupil": PupilFacts.of(view),
        "track": track,
        "step": step,
        "link": run_link(flow_run_id, settings),
    }
