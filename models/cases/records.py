"""Writing a trajectory's records: steps opened, answers, waits, tracks, the end.

Every function takes the session explicitly and is idempotent where a replay may call it twice:
the flow (re-)executes from the top after every resume, and a crash may repeat the last task.
The runtime columns (what a run waits for, its pause key) live on `Trajectory` for the main walk
and on `TrackRun` for a parallel track; `runtime()` returns the right row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlmodel import Session, col, select

from models.cases import casework
from models.cases.view import TrajectoryView, form_context, load_view
from models.dutch import dutch_date
from models.enums import MAIN_TRACK, StepStatus, TrajectoryStatus, WaitingFor
from models.plan.conditions import holds
from models.plan.forms import ANSWERED_BY, FormError, is_interim, parse_answer, to_json
from models.plan.library import get_plan
from models.plan.purposes import TLV_DECISIONS, Purpose
from models.plan.steps import Plan
from models.store.audit import audit
from models.store.clock import local_date, now, today
from models.store.tables import (
    Answer,
    RunState,
    School,
    StepRecord,
    TlvRequest,
    TrackRun,
    Trajectory,
)

Runtime = RunState


def trajectory_row(session: Session, trajectory_id: UUID) -> Trajectory:
    trajectory = session.get(Trajectory, trajectory_id)
    if trajectory is None:
        raise LookupError(f"traject {trajectory_id} bestaat niet")
    return trajectory


def plan_of(session: Session, trajectory_id: UUID) -> Plan:
    """The plan version this trajectory started with."""
    return get_plan(trajectory_row(session, trajectory_id).plan_version)


def track_row(session: Session, trajectory_id: UUID, track: str) -> TrackRun | None:
    return session.exec(
        select(TrackRun).where(TrackRun.trajectory_id == trajectory_id, TrackRun.track == track)
    ).first()


def runtime(session: Session, trajectory_id: UUID, track: str) -> Runtime:
    """The row that holds the run state of `track` (the trajectory itself for the main walk)."""
    if track == MAIN_TRACK:
        return trajectory_row(session, trajectory_id)
    row = track_row(session, trajectory_id, track)
    if row is None:
        raise LookupError(f"traject {trajectory_id} heeft geen track '{track}'")
    return row


def step_record(session: Session, trajectory_id: UUID, step: int) -> StepRecord | None:
    return session.exec(
        select(StepRecord).where(StepRecord.trajectory_id == trajectory_id, StepRecord.step == step)
    ).first()


def _track_of(session: Session, trajectory_id: UUID, step: int, question: str | None = None) -> str:
    """The track that walks `step` (or asks `question` of it)."""
    plan = get_plan(trajectory_row(session, trajectory_id).plan_version)
    if question is not None:
        return plan.step(step).question(question).track
    return plan.step(step).track


def record_wait(
    session: Session, *, trajectory_id: UUID, step: int, until: date, due: date, track: str
) -> str:
    """Note that `track` waits until `until` for `step`; return a fresh pause key."""
    row = runtime(session, trajectory_id, track)
    row.wait_seq += 1
    row.waiting_for = WaitingFor.DATE
    row.wait_until = until
    row.current_step = step
    row.current_question = None
    row.due = due
    row.pause_key = f"wacht-{row.wait_seq}"
    session.add(row)
    audit(
        session,
        actor="systeem",
        action="wacht",
        trajectory_id=trajectory_id,
        detail={"stap": step, "tot": until.isoformat(), "track": track},
    )
    return row.pause_key


def record_track_wait(session: Session, *, trajectory_id: UUID, step: int, track: str) -> str:
    """Note that the main walk waits at `step` until `track` has ended; return a pause key."""
    row = trajectory_row(session, trajectory_id)
    row.wait_seq += 1
    row.waiting_for = WaitingFor.TRACK
    row.wait_until = None
    row.current_step = step
    row.current_question = None
    row.pause_key = f"wacht-{row.wait_seq}"
    session.add(row)
    audit(
        session,
        actor="systeem",
        action="wacht_op_track",
        trajectory_id=trajectory_id,
        detail={"stap": step, "track": track},
    )
    return row.pause_key


def open_step(session: Session, *, trajectory_id: UUID, step: int, opens: date, due: date) -> None:
    """Record that `step` opened today; a second call changes nothing."""
    if step_record(session, trajectory_id, step) is not None:
        return
    moment = now()
    session.add(
        StepRecord(
            trajectory_id=trajectory_id,
            step=step,
            status=StepStatus.OPEN,
            opened_on=moment.date(),
            due_by=due,
            opened_at=moment,
        )
    )
    row = runtime(session, trajectory_id, _track_of(session, trajectory_id, step))
    row.current_step = step
    row.current_question = None
    row.waiting_for = WaitingFor.RUNNING
    row.wait_until = None
    row.due = due
    session.add(row)
    audit(
        session,
        actor="systeem",
        action="stap_geopend",
        trajectory_id=trajectory_id,
        detail={"stap": step, "periode_vanaf": opens.isoformat(), "uiterlijk": due.isoformat()},
    )


def skip_step(session: Session, *, trajectory_id: UUID, step: int, reason: str) -> None:
    """Record that `step` does not apply; a second call changes nothing."""
    if step_record(session, trajectory_id, step) is not None:
        return
    session.add(
        StepRecord(
            trajectory_id=trajectory_id,
            step=step,
            status=StepStatus.SKIPPED,
            closed_at=now(),
            note=reason,
        )
    )
    audit(
        session,
        actor="systeem",
        action="stap_overgeslagen",
        trajectory_id=trajectory_id,
        detail={"stap": step, "reden": reason},
    )


def record_late_entry(session: Session, *, trajectory_id: UUID, step: int, due: date) -> None:
    """Record that `step`'s period (up to `due`) ended before the pupil was enrolled; nothing is
    asked and nothing is overdue. A second call changes nothing."""
    if step_record(session, trajectory_id, step) is not None:
        return
    enrolled = local_date(trajectory_row(session, trajectory_id).started_at)
    note = (
        f"ingestroomd op {dutch_date(enrolled)}, na de periode van deze stap "
        f"(tot en met {dutch_date(due)}): niet gevraagd, niet te laat"
    )
    session.add(
        StepRecord(
            trajectory_id=trajectory_id,
            step=step,
            status=StepStatus.LATE_ENTRY,
            due_by=due,
            closed_at=now(),
            note=note,
        )
    )
    audit(
        session,
        actor="systeem",
        action="stap_na_instroom",
        trajectory_id=trajectory_id,
        detail={"stap": step, "periode_tot": due.isoformat(), "ingeschreven": enrolled.isoformat()},
    )


def record_asking(
    session: Session, *, trajectory_id: UUID, step: int, question: str, pause_key: str, due: date
) -> None:
    """Note that the step's track now waits for an answer to `question`."""
    row = runtime(session, trajectory_id, _track_of(session, trajectory_id, step, question))
    if row.pause_key == pause_key and row.waiting_for == WaitingFor.ANSWER and row.due == due:
        return
    row.waiting_for = WaitingFor.ANSWER
    row.current_step = step
    row.current_question = question
    row.pause_key = pause_key
    row.wait_until = None
    row.due = due
    session.add(row)
    audit(
        session,
        actor="systeem",
        action="vraag_gesteld",
        trajectory_id=trajectory_id,
        detail={
            "stap": step,
            "vraag": question,
            "sleutel": pause_key,
            "uiterlijk": due.isoformat(),
        },
    )


TRUANCY_REPORTED = "melding_leerplicht"


@dataclass(frozen=True)
class AnswerOutcome:
    accepted: bool
    errors: list[str]
    final: bool = True
    # The flow runs of tracks this answer stopped (the parents chose a regular school): a run
    # that still waits in Prefect is cancelled, so nobody is asked its question again.
    withdrawn: tuple[UUID, ...] = ()
    # Set when the answer reports parents who demonstrably do not cooperate: the report to the
    # leerplichtambtenaar (chapter 1), whose email the caller queues in the same transaction.
    truancy_report: str | None = None

    @property
    def label(self) -> str:
        return "vastgelegd" if self.final else ("tussenstap" if self.accepted else "afgewezen")


def record_answer(
    session: Session,
    *,
    trajectory_id: UUID,
    step: int,
    question: str,
    attempt: int,
    raw: Mapping[str, Any],
    flow_run_id: UUID | None,
) -> AnswerOutcome:
    """Check and store the answer to one attempt; the same attempt twice gives the same outcome.

    A rejected answer (domain rules) and an interim answer (an extension, a partial dossier) both
    leave the question open: the flow asks it again under the next attempt's key.
    """
    existing = session.exec(
        select(Answer).where(
            Answer.trajectory_id == trajectory_id,
            Answer.step == step,
            Answer.question == question,
            Answer.attempt == attempt,
        )
    ).first()
    if existing is not None:
        return AnswerOutcome(existing.accepted, list(existing.errors), existing.final)
    view = load_view(session, trajectory_id)
    if view is None:
        raise LookupError(f"traject {trajectory_id} bestaat niet")
    asked = view.plan.step(step).question(question)
    form = asked.form
    ctx = form_context(session, view, asked.purpose)
    errors: list[str] = []
    values: dict[str, Any] = dict(raw)
    try:
        values = parse_answer(form, raw, ctx)
        errors = casework.check_answer(view, step, question, values)
    except FormError as exc:
        errors = exc.errors
    final = not errors and not is_interim(form, values, ctx)
    withdrawn: tuple[UUID, ...] = ()
    truancy: str | None = None
    moment = now()
    answered_by = str(raw.get(ANSWERED_BY, "")).strip()[:200] or "onbekend"
    payload = to_json(values)
    session.add(
        Answer(
            trajectory_id=trajectory_id,
            step=step,
            question=question,
            attempt=attempt,
            accepted=not errors,
            final=final,
            answered_by=answered_by,
            answered_at=moment,
            payload=payload,
            errors=errors,
            flow_run_id=flow_run_id,
        )
    )
    if not errors:
        row = runtime(session, trajectory_id, view.plan.step(step).question(question).track)
        row.waiting_for = WaitingFor.RUNNING
        session.add(row)
        if values.get("melding_leerplicht") is True:
            truancy = str(values.get("reden_melding", "")).strip()
            audit(
                session,
                actor=answered_by,
                action=TRUANCY_REPORTED,
                trajectory_id=trajectory_id,
                detail={
                    "stap": step,
                    "vraag": question,
                    "poging": attempt,
                    "rollen": [r.value for r in asked.roles],
                    "reden": truancy,
                },
            )
    if final:
        record = step_record(session, trajectory_id, step)
        if record is not None:
            record.answer = {**(record.answer or {}), question: payload}
            # Who answered the step, and when, is the step's own walk: a question of another
            # track (the admission decision at step 21) has its own legal term and record.
            if view.plan.step(step).question(question).track == view.plan.step(step).track:
                record.answered_by = answered_by
                record.answered_at = moment
            session.add(record)
        session.flush()
        withdrawn = _apply_facts(session, trajectory_id, step, question, answered_by)
    audit(
        session,
        actor=answered_by,
        action="antwoord" if final else ("tussenantwoord" if not errors else "antwoord_afgewezen"),
        trajectory_id=trajectory_id,
        detail={"stap": step, "vraag": question, "poging": attempt, "fouten": errors},
    )
    if not errors:
        # An answer can open, move or close a legal term: keep the next one for the clock.
        session.flush()
        fresh = load_view(session, trajectory_id)
        assert fresh is not None
        fresh.trajectory.next_term_due = casework.next_term_due(fresh)
        session.add(fresh.trajectory)
    return AnswerOutcome(not errors, errors, final, withdrawn, truancy)


def _school_named(session: Session, name: str | None) -> School | None:
    if not name:
        return None
    return session.exec(select(School).where(School.name == name, School.kind != "PO")).first()


def _apply_facts(
    session: Session, trajectory_id: UUID, step: int, question: str, answered_by: str
) -> tuple[UUID, ...]:
    """Copy what the answers decided onto the trajectory (route, VO school) and TLV requests;
    stop the tracks a changed route no longer has. Returns the flow runs of stopped tracks."""
    view = load_view(session, trajectory_id)
    assert view is not None
    trajectory = view.trajectory
    facts = view.facts
    previous_route = trajectory.route
    trajectory.route = facts.route
    school = _school_named(session, facts.vo_school_name)
    trajectory.vo_school_id = school.id if school else None
    session.add(trajectory)
    purpose = view.plan.purpose_of(step, question)
    if purpose == Purpose.CVB_ADVICE and facts.value(Purpose.CVB_ADVICE, "advies"):
        requester = view.vo_school.name if view.vo_school else "onbekende school"
        _open_tlv_request(
            session,
            trajectory_id=trajectory_id,
            kind=facts.route.value.upper(),
            submitted_by=requester,
            advice=str(facts.value(Purpose.CVB_ADVICE, "advies")),
            tussengroep=facts.value(Purpose.REGISTRATION_PRO_VSO, "tussengroep") is True,
            grensgebied=False,
        )
    if purpose == Purpose.FURTHER_CONSULTATION and facts.grensgebied_tlv:
        _open_tlv_request(
            session,
            trajectory_id=trajectory_id,
            kind=facts.grensgebied_tlv,
            submitted_by=view.vo_school.name if view.vo_school else "onbekende school",
            advice="positief",
            tussengroep=False,
            grensgebied=True,
        )
    if purpose in TLV_DECISIONS:
        request = session.exec(
            select(TlvRequest).where(
                TlvRequest.trajectory_id == trajectory_id, col(TlvRequest.decision).is_(None)
            )
        ).first()
        if request is not None:
            request.decision = str(facts.value(purpose, "besluit"))
            category = facts.value(purpose, "categorie")
            request.category = None if category in (None, "n.v.t.") else str(category)
            request.decided_on = facts.value(purpose, "besluit_op")
            valid = facts.value(purpose, "geldig_tot")
            request.valid_until = valid if request.decision == "toegekend" else None
            request.reason = str(facts.value(purpose, "reden") or "") or None
            session.add(request)
            audit(
                session,
                actor="systeem",
                action="tlv_besluit",
                trajectory_id=trajectory_id,
                detail={"besluit": request.decision, "categorie": request.category},
            )
    change = facts.route_change
    if change is None or previous_route == facts.route:
        return ()
    changed_at, reason = change
    audit(
        session,
        actor=answered_by,
        action="route_gewijzigd",
        trajectory_id=trajectory_id,
        detail={
            "van": str(previous_route),
            "naar": str(facts.route),
            "stap": step,
            "vraag": question,
            "doel": changed_at,
            "reden": reason,
        },
    )
    return withdraw_tracks(
        session,
        trajectory_id=trajectory_id,
        reason=f"de ouders kiezen een reguliere VO-school (reden: {reason or 'geen reden'})",
        actor=answered_by,
    )


WITHDRAWN = "ingetrokken"


def _track_applies(view: TrajectoryView, track: str, row: TrackRun) -> bool:
    """Whether a track's steps (for a track of questions: its step) still apply."""
    plan, facts = view.plan, view.facts
    if row.step is not None:
        return holds(plan.step(row.step).condition, facts)
    return any(holds(step.condition, facts) for step in plan.steps_of_track(track))


def withdraw_tracks(
    session: Session, *, trajectory_id: UUID, reason: str, actor: str
) -> tuple[UUID, ...]:
    """Stop every active track whose steps no longer apply (the route changed): its run state
    ends, the question it was asking is withdrawn, its steps without an outcome are recorded as
    withdrawn, and an open TLV request is withdrawn. Returns the flow runs of stopped tracks.

    A stopped track is not active, so the clock never repairs or wakes it, and its flow run,
    when replayed, finds nothing to do."""
    view = load_view(session, trajectory_id)
    assert view is not None
    stopped: list[UUID] = []
    for name, row in view.tracks.items():
        if row.status != TrajectoryStatus.ACTIEF or _track_applies(view, name, row):
            continue
        asked = (
            {"stap": row.current_step, "vraag": row.current_question}
            if row.waiting_for == WaitingFor.ANSWER
            else None
        )
        _finish(row, stopped=True)
        session.add(row)
        note = f"{WITHDRAWN}: {reason}"
        if row.step is None:
            for plan_step in view.plan.steps_of_track(name):
                record = view.records.get(plan_step.number)
                if record is None:
                    session.add(
                        StepRecord(
                            trajectory_id=trajectory_id,
                            step=plan_step.number,
                            status=StepStatus.SKIPPED,
                            closed_at=now(),
                            note=note,
                        )
                    )
                elif record.status == StepStatus.OPEN:
                    record.status = StepStatus.SKIPPED
                    record.closed_at = now()
                    record.note = note
                    session.add(record)
        audit(
            session,
            actor=actor,
            action="track_gestopt",
            trajectory_id=trajectory_id,
            detail={"track": name, "reden": reason, "vraag_ingetrokken": asked},
        )
        if row.flow_run_id is not None:
            stopped.append(row.flow_run_id)
    for request in session.exec(
        select(TlvRequest).where(
            TlvRequest.trajectory_id == trajectory_id,
            col(TlvRequest.decision).is_(None),
            col(TlvRequest.grensgebied).is_(False),
        )
    ):
        request.decision = WITHDRAWN
        request.decided_on = today()
        request.reason = reason
        session.add(request)
        audit(
            session,
            actor=actor,
            action="tlv_ingetrokken",
            trajectory_id=trajectory_id,
            detail={"soort": request.kind, "reden": reason},
        )
    return tuple(stopped)


def _open_tlv_request(
    session: Session,
    *,
    trajectory_id: UUID,
    kind: str,
    submitted_by: str,
    advice: str,
    tussengroep: bool,
    grensgebied: bool,
) -> None:
    """Record the school's TLV request to the CvA (only after a positive advice); idempotent."""
    if advice != "positief":
        return
    existing = session.exec(
        select(TlvRequest).where(
            TlvRequest.trajectory_id == trajectory_id, TlvRequest.grensgebied == grensgebied
        )
    ).first()
    if existing is not None:
        return
    session.add(
        TlvRequest(
            trajectory_id=trajectory_id,
            kind=kind if kind in ("PRO", "VSO") else "VSO",
            tussengroep=tussengroep,
            grensgebied=grensgebied,
            submitted_by=submitted_by,
            submitted_on=today(),
            advice=advice,
            created_at=now(),
        )
    )
    audit(
        session,
        actor="systeem",
        action="tlv_aangevraagd",
        trajectory_id=trajectory_id,
        detail={"soort": kind, "door": submitted_by, "grensgebied": grensgebied},
    )


def close_step(session: Session, *, trajectory_id: UUID, step: int) -> None:
    """Close an open step: done when something was answered or nothing was asked, else skipped."""
    record = step_record(session, trajectory_id, step)
    if record is None or record.status != StepStatus.OPEN:
        return
    plan = get_plan(trajectory_row(session, trajectory_id).plan_version)
    asked = bool(plan.step(step).questions)
    if asked and not record.answer:
        record.status = StepStatus.SKIPPED
        record.note = "geen van de vragen van deze stap is van toepassing"
    else:
        record.status = StepStatus.DONE
    record.closed_at = now()
    session.add(record)
    audit(
        session,
        actor="systeem",
        action="stap_afgerond",
        trajectory_id=trajectory_id,
        detail={"stap": step, "status": record.status},
    )


def _finish(row: Runtime, *, stopped: bool) -> None:
    row.status = TrajectoryStatus.GESTOPT if stopped else TrajectoryStatus.AFGEROND
    row.waiting_for = WaitingFor.STOPPED if stopped else WaitingFor.DONE
    row.current_step = None
    row.current_question = None
    row.wait_until = None
    row.due = None
    row.pause_key = None
    row.finished_at = now()


def end_trajectory(session: Session, *, trajectory_id: UUID, stopped: bool, reason: str) -> None:
    """Finish (all steps walked) or stop (step 5 said no) a trajectory; idempotent."""
    trajectory = trajectory_row(session, trajectory_id)
    if trajectory.status != TrajectoryStatus.ACTIEF:
        return
    _finish(trajectory, stopped=stopped)
    session.add(trajectory)
    for track in session.exec(select(TrackRun).where(TrackRun.trajectory_id == trajectory_id)):
        if track.status == TrajectoryStatus.ACTIEF:
            _finish(track, stopped=True)
            session.add(track)
    audit(
        session,
        actor="systeem",
        action="traject_gestopt" if stopped else "traject_afgerond",
        trajectory_id=trajectory_id,
        detail={"reden": reason},
    )


def start_track(
    session: Session, *, trajectory_id: UUID, track: str, step: int | None = None
) -> TrackRun:
    """The row of a parallel track, created the first time; later calls return it.

    For a track of questions (`Plan.question_tracks`), `step` is the step whose questions it asks.
    """
    row = track_row(session, trajectory_id, track)
    if row is not None:
        return row
    plan = get_plan(trajectory_row(session, trajectory_id).plan_version)
    row = TrackRun(
        trajectory_id=trajectory_id,
        track=track,
        step=step if track in plan.question_tracks else None,
        started_at=now(),
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor="systeem",
        action="track_gestart",
        trajectory_id=trajectory_id,
        detail={"track": track},
    )
    return row


def end_track(session: Session, *, trajectory_id: UUID, track: str) -> bool:
    """Mark a track finished; True when the main walk is waiting for it (wake it up)."""
    row = track_row(session, trajectory_id, track)
    if row is None:
        raise LookupError(f"traject {trajectory_id} heeft geen track '{track}'")
    if row.status == TrajectoryStatus.ACTIEF:
        _finish(row, stopped=False)
        session.add(row)
        audit(
            session,
            actor="systeem",
            action="track_afgerond",
            trajectory_id=trajectory_id,
            detail={"track": track},
        )
    return trajectory_row(session, trajectory_id).waiting_for == WaitingFor.TRACK


def set_flow_run(
    session: Session,
    *,
    trajectory_id: UUID,
    track: str,
    flow_run_id: UUID,
    expected: UUID | None,
    reason: str,
    actor: str,
) -> bool:
    """Point a track at a new flow run, only if it still points at `expected`."""
    row = runtime(session, trajectory_id, track)
    if row.flow_run_id == flow_run_id:
        return True
    if row.flow_run_id != expected:
        return False
    row.flow_run_id = flow_run_id
    session.add(row)
    audit(
        session,
        actor=actor,
        action="flow_run",
        trajectory_id=trajectory_id,
        detail={
            "track": track,
            "flow_run_id": str(flow_run_id),
            "vorige": str(expected) if expected else None,
            "reden": reason,
        },
    )
    return True
