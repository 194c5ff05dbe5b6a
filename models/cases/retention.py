"""Retention: a pupil's personal data does not outlive its purpose.

A trajectory that ended (step 28 walked, or stopped) keeps its personal data until the end of the
school year in which it ended (31 July), plus `OVERSTAP_RETENTION_EXTRA_DAYS`; the clock purges it
on the next run after that (`overstap purge --dry-run` shows what is due). A purge removes:

- the pupil's first and last name and birth date;
- everything typed into the forms (free text, the names of who answered, the screening's DLE and
  IQ, refused answers' messages), in the answers and in the step records' copies;
- the reason of a TLV decision, the free text in the audit log, and the text of the emails;

and keeps what the evaluation of chapter 4 counts: the pseudonymous code, cohort, schools,
route, every step's dates and status, the choices and dates of the answers (an admission
decision, a TLV's outcome and category). An audit entry records the purge. Prefect holds codes
only, plus a first name and initial in the form descriptions of suspended runs; its database
vacuum removes a run's inputs with the run (`docs/production.md`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlmodel import Session, col, select

from models.cases.view import school_year_end
from models.enums import TrajectoryStatus
from models.plan.forms import ANSWERED_BY, FORMS, FormContext, expand_fields
from models.plan.library import get_plan
from models.settings import get_settings
from models.store.audit import audit
from models.store.clock import local_date, now
from models.store.tables import (
    Answer,
    AuditEntry,
    OutboxMessage,
    Pupil,
    StepRecord,
    TlvRequest,
    Trajectory,
)

PURGED = "verwijderd"
# Audit details that carry no free text (everything else, like a typed reason, goes).
_AUDIT_KEEP = frozenset(
    {
        "stap",
        "vraag",
        "poging",
        "status",
        "track",
        "tot",
        "uiterlijk",
        "periode_vanaf",
        "sleutel",
        "code",
        "cohort",
        "groep",
        "uitstroom_uit_groep",
        "plan",
        "besluit",
        "categorie",
        "soort",
        "grensgebied",
        "flow_run_id",
        "vorige",
        "door",
    }
)
# Forms whose every value is sensitive (Bijlage II's test results and IQ): nothing is kept.
_SENSITIVE_FORMS = frozenset({"screening"})
_SYSTEM_ACTORS = frozenset({"systeem", "klok", "demo", "flow", "test"})


def purge_date(ended_on: date) -> date:
    """The first day a trajectory that ended on `ended_on` may be purged."""
    end_of_school_year = date(school_year_end(ended_on), 7, 31)
    return end_of_school_year + timedelta(days=1 + get_settings().retention_extra_days)


@dataclass(frozen=True)
class PurgeCandidate:
    trajectory_id: UUID
    code: str
    cohort: int
    status: str
    ended_on: date
    purge_on: date


def purge_candidates(session: Session, today: date) -> list[PurgeCandidate]:
    """Ended trajectories whose personal data is due for removal on `today`, oldest first."""
    rows = session.exec(
        select(Trajectory, Pupil)
        .join(Pupil, col(Pupil.id) == Trajectory.pupil_id)
        .where(col(Trajectory.status) != TrajectoryStatus.ACTIEF)
        .where(col(Trajectory.finished_at).is_not(None))
        .where(col(Pupil.purged_at).is_(None))
        .order_by(col(Trajectory.finished_at))
    ).all()
    found = []
    for trajectory, _ in rows:
        assert trajectory.finished_at is not None
        ended = local_date(trajectory.finished_at)
        due = purge_date(ended)
        if due <= today:
            found.append(
                PurgeCandidate(
                    trajectory.id, trajectory.code, trajectory.cohort, trajectory.status, ended, due
                )
            )
    return found


def _scrub(form_name: str, payload: Mapping[str, Any], transfer_groep: int) -> dict[str, Any]:
    """An answer without what people typed: choices, dates, bools and school names stay."""
    if form_name in _SENSITIVE_FORMS or form_name not in FORMS:
        return {}
    ctx = FormContext(today=date.min, transfer_groep=transfer_groep)
    kinds = {f.name: f.kind for f in expand_fields(FORMS[form_name], ctx)}
    kept: dict[str, Any] = {}
    for name, value in payload.items():
        if name == ANSWERED_BY or kinds.get(name, "text") in ("text", "int"):
            continue
        kept[name] = value
    return kept


@dataclass(frozen=True)
class PurgeResult:
    answers: int
    records: int
    audit_entries: int
    emails: int


def purge(session: Session, trajectory_id: UUID, *, actor: str) -> PurgeResult:
    """Remove the personal data of one ended trajectory, in the caller's transaction."""
    trajectory = session.get(Trajectory, trajectory_id)
    if trajectory is None:
        raise LookupError(f"traject {trajectory_id} bestaat niet")
    if trajectory.status == TrajectoryStatus.ACTIEF:
        raise ValueError(f"traject {trajectory.code} loopt nog; alleen afgelopen trajecten")
    pupil = session.get(Pupil, trajectory.pupil_id)
    assert pupil is not None
    plan = get_plan(trajectory.plan_version)
    groep = trajectory.transfer_groep
    answers = session.exec(select(Answer).where(Answer.trajectory_id == trajectory_id)).all()
    for answer in answers:
        form = plan.step(answer.step).question(answer.question).form
        answer.payload = _scrub(form, answer.payload, groep)
        answer.answered_by = ""
        answer.errors = []
        session.add(answer)
    records = session.exec(
        select(StepRecord).where(StepRecord.trajectory_id == trajectory_id)
    ).all()
    for record in records:
        if record.answer:
            step = plan.step(record.step)
            record.answer = {
                key: _scrub(step.question(key).form, value, groep)
                for key, value in record.answer.items()
            }
        record.answered_by = None
        session.add(record)
    for request in session.exec(
        select(TlvRequest).where(TlvRequest.trajectory_id == trajectory_id)
    ):
        request.reason = None
        session.add(request)
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.trajectory_id == trajectory_id)
    ).all()
    for entry in entries:
        entry.detail = {k: v for k, v in entry.detail.items() if k in _AUDIT_KEEP}
        if entry.actor not in _SYSTEM_ACTORS and not entry.actor.startswith("cli:"):
            entry.actor = PURGED
        session.add(entry)
    emails = session.exec(
        select(OutboxMessage).where(OutboxMessage.trajectory_id == trajectory_id)
    ).all()
    for message in emails:
        message.subject = PURGED
        message.text_body = ""
        message.html_body = ""
        message.ics = None
        message.recipient_name = ""
        session.add(message)
    pupil.first_name = ""
    pupil.last_name = ""
    pupil.birth_date = None
    pupil.purged_at = now()
    session.add(pupil)
    result = PurgeResult(len(answers), len(records), len(entries), len(emails))
    audit(
        session,
        actor=actor,
        action="persoonsgegevens_verwijderd",
        trajectory_id=trajectory_id,
        detail={
            "code": trajectory.code,
            "antwoorden": result.answers,
            "stappen": result.records,
            "auditregels": result.audit_entries,
            "e_mails": result.emails,
        },
    )
    return result


def purge_due(session: Session, today: date, *, actor: str) -> list[PurgeCandidate]:
    """Purge every trajectory due on `today`; return them."""
    due = purge_candidates(session, today)
    for candidate in due:
        purge(session, candidate.trajectory_id, actor=actor)
    return due
