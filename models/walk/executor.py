"""The one executor of the walk: every side effect of an action, and the loop that walks a track.

`apply` carries out one action of `next_action` in the caller's transaction: the step records,
the audit entries and the outbox rows it causes, each idempotent by a natural key. `walk` is the
loop over one track: it reads the records, asks `next_action`, applies the action, and waits where
the plan says so. How it waits, and how other runs are started or woken, is a `Runtime`'s
business: the Prefect flow suspends its run (`flows.trajectory`), the demo and the tests go on
without Prefect (`models.walk.offline`). Everything else is this one code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from sqlmodel import Session

from models.cases import records
from models.cases.records import AnswerOutcome
from models.cases.view import TrajectoryView, load_view, pause_key
from models.enums import MAIN_TRACK
from models.plan.forms import ANSWERED_BY
from models.store.db import session_scope
from models.store.tables import RunState
from models.walk.actions import (
    Action,
    Ask,
    Close,
    End,
    EndTrack,
    LateEntry,
    Open,
    Skip,
    StartTrack,
    Wait,
    WaitForTrack,
    next_action,
)

REPLACED = "vervangen"


@dataclass(frozen=True)
class Effect:
    """What carrying out an action produced, for the runtime to act on."""

    pause_key: str | None = None  # the key under which to wait (Wait, WaitForTrack, Ask)
    queued: int = 0  # emails queued in the outbox
    wake_main: bool = False  # EndTrack: the main walk waits for this track


def apply(session: Session, trajectory_id: UUID, action: Action) -> Effect:
    """Carry out one action in the caller's transaction; repeating it changes nothing more."""
    # Imported here: rendering mail (Jinja2) is only needed when a step opens or asks, and a
    # resume that replays to a wait should not pay for loading it.
    from models.mail import notifications

    match action:
        case Skip(step, reason):
            records.skip_step(session, trajectory_id=trajectory_id, step=step, reason=reason)
        case LateEntry(step, due):
            records.record_late_entry(session, trajectory_id=trajectory_id, step=step, due=due)
        case Wait(step, until, due, track):
            key = records.record_wait(
                session, trajectory_id=trajectory_id, step=step, until=until, due=due, track=track
            )
            return Effect(pause_key=key)
        case Open(step, opens, due):
            records.open_step(session, trajectory_id=trajectory_id, step=step, opens=opens, due=due)
            plan = records.plan_of(session, trajectory_id)
            if plan.step(step).questions:
                return Effect()  # each question tells whoever must answer it when it is asked
            result = notifications.queue_step_opened(
                session, trajectory_id=trajectory_id, step=step, question=None, due=due
            )
            return Effect(queued=len(result.queued))
        case Ask(step, question, attempt, due):
            key = pause_key(step, question, attempt)
            records.record_asking(
                session,
                trajectory_id=trajectory_id,
                step=step,
                question=question,
                pause_key=key,
                due=due,
            )
            result = notifications.queue_step_opened(
                session, trajectory_id=trajectory_id, step=step, question=question, due=due
            )
            return Effect(pause_key=key, queued=len(result.queued))
        case Close(step):
            records.close_step(session, trajectory_id=trajectory_id, step=step)
        case End(stopped, reason):
            records.end_trajectory(
                session, trajectory_id=trajectory_id, stopped=stopped, reason=reason
            )
        case StartTrack(track, step):
            records.start_track(session, trajectory_id=trajectory_id, track=track, step=step)
        case WaitForTrack(track, step):
            key = records.record_track_wait(
                session, trajectory_id=trajectory_id, step=step, track=track
            )
            return Effect(pause_key=key)
        case EndTrack(track):
            waiting = records.end_track(session, trajectory_id=trajectory_id, track=track)
            return Effect(wake_main=waiting)
    return Effect()


def apply_now(trajectory_id: UUID, action: Action) -> Effect:
    """`apply` in a transaction of its own."""
    with session_scope() as session:
        return apply(session, trajectory_id, action)


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
    """Check and record an answer in the caller's transaction, with the email it causes (a
    report to the leerplichtambtenaar)."""
    outcome = records.record_answer(
        session,
        trajectory_id=trajectory_id,
        step=step,
        question=question,
        attempt=attempt,
        raw=raw,
        flow_run_id=flow_run_id,
    )
    if outcome.truancy_report is not None:
        from models.mail import notifications  # see `apply`

        notifications.queue_truancy_report(
            session,
            trajectory_id=trajectory_id,
            step=step,
            question=question,
            attempt=attempt,
            reported_by=str(raw.get(ANSWERED_BY, "")).strip() or "onbekend",
            reason=outcome.truancy_report,
        )
    return outcome


def answer(
    trajectory_id: UUID,
    action: Ask,
    raw: Mapping[str, Any],
    flow_run_id: UUID | None,
) -> AnswerOutcome:
    """Check and record an answer to the asked question, in a transaction of its own."""
    with session_scope() as session:
        return record_answer(
            session,
            trajectory_id=trajectory_id,
            step=action.step,
            question=action.question,
            attempt=action.attempt,
            raw=raw,
            flow_run_id=flow_run_id,
        )


class Runtime(Protocol):
    """What differs between walking in a Prefect flow run and walking without Prefect."""

    @property
    def flow_run_id(self) -> UUID | None:
        """The run that walks (None without Prefect)."""

    def today(self) -> date: ...

    def effect(self, trajectory_id: UUID, action: Action) -> Effect:
        """Carry out `apply_now` (the flow does it as a Prefect task)."""

    def record(self, trajectory_id: UUID, action: Ask, raw: Mapping[str, Any]) -> AnswerOutcome:
        """Carry out `answer` (the flow does it as a Prefect task)."""

    def wait(self, view: TrajectoryView, track: str, key: str) -> None:
        """Wait for a date or for a track under `key` (the flow suspends its run)."""

    def ask(self, view: TrajectoryView, action: Ask, key: str) -> Mapping[str, Any]:
        """Wait for the answer to `action` under `key` and return it."""

    def start_track(self, trajectory_id: UUID, track: str, step: int) -> None:
        """Have `track` walked by a run of its own."""

    def wake_main(self, trajectory_id: UUID) -> None:
        """The main walk waits for a track that has just ended: let it go on."""

    def withdraw(self, flow_run_ids: tuple[UUID, ...]) -> None:
        """Tracks were stopped (the route changed): their runs must not ask anything again."""

    def note(self, message: str, *args: object) -> None:
        """Log a line (codes and step numbers only: logs are visible to every Prefect user)."""


def read(trajectory_id: UUID) -> TrajectoryView:
    with session_scope() as session:
        view = load_view(session, trajectory_id)
    if view is None:
        raise LookupError(f"traject {trajectory_id} bestaat niet")
    return view


def run_state(view: TrajectoryView, track: str) -> RunState:
    return view.trajectory if track == MAIN_TRACK else view.tracks[track]


def walk(trajectory_id: UUID, track: str, runtime: Runtime) -> str:
    """Carry out `next_action` for one track until it has ended; return its status.

    Each wait goes through `runtime`; a runtime that cannot wait in place (a suspended flow run,
    an offline walk that has no answer yet) leaves by an exception and walks again from the top
    later, which costs nothing for the steps already recorded.
    """
    view = read(trajectory_id)
    code = view.trajectory.code
    if run_state(view, track).flow_run_id not in (None, runtime.flow_run_id):
        runtime.note("Traject %s (%s) wordt door een andere flow run gevolgd.", code, track)
        return REPLACED
    while (action := next_action(view, runtime.today(), track)) is not None:
        match action:
            case Ask(step, question, _, due):
                key = pause_key(step, question, action.attempt)
                waits = run_state(view, view.plan.step(step).question(question).track)
                if waits.pause_key != key or waits.due != due:
                    runtime.effect(trajectory_id, action)
                    view = read(trajectory_id)
                runtime.note("Stap %s (%s): wacht op antwoord [%s]", step, question, key)
                given = runtime.ask(view, action, key)
                outcome = runtime.record(trajectory_id, action, given)
                runtime.note("Stap %s (%s): antwoord %s", step, question, outcome.label)
                if outcome.withdrawn:
                    runtime.withdraw(outcome.withdrawn)
                    runtime.note("Traject %s: procedure gestopt (route gewijzigd)", code)
            case Wait(step, until):
                effect = runtime.effect(trajectory_id, action)
                assert effect.pause_key is not None
                runtime.note("Traject %s: stap %s opent op %s", code, step, until.isoformat())
                runtime.wait(read(trajectory_id), track, effect.pause_key)
            case WaitForTrack(other, step):
                effect = runtime.effect(trajectory_id, action)
                assert effect.pause_key is not None
                runtime.note("Traject %s: stap %s wacht op procedure '%s'", code, step, other)
                runtime.wait(read(trajectory_id), track, effect.pause_key)
            case StartTrack(other, step):
                runtime.effect(trajectory_id, action)
                runtime.start_track(trajectory_id, other, step)
                runtime.note("Traject %s: procedure '%s' gestart bij stap %s", code, other, step)
            case EndTrack(other):
                if runtime.effect(trajectory_id, action).wake_main:
                    runtime.wake_main(trajectory_id)
                runtime.note("Traject %s: procedure '%s' afgerond", code, other)
            case End(stopped):
                runtime.effect(trajectory_id, action)
                runtime.note("Traject %s %s", code, "gestopt" if stopped else "afgerond")
            case _:
                runtime.effect(trajectory_id, action)
        view = read(trajectory_id)
        if run_state(view, track).flow_run_id not in (None, runtime.flow_run_id):
            # The clock replaced this run (it looked dead): stop before doing anything more.
            runtime.note("Traject %s (%s): vervangen door een nieuwe flow run.", code, track)
            return REPLACED
    return str(run_state(view, track).status)
