"""Cohort dashboards, status filters, evaluation figures, the CSV export and `overstap show`, on
a cohort of 30 pupils spread over the plan (and 3 pupils of the next cohort), on SQLite and
PostgreSQL.

The pupils are walked through the plan once per test module, without Prefect (the flow's own
executor, `models.walk.offline`, each action on the day it would have happened). Each test gets
a fresh copy of those records in its own database (`db` fixture), so 30 walks cost seconds once
instead of once per test.

Every expectation below is derived from the scenario definitions (`SCENARIOS`), not from the
functions under test.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from deployments.demo import (
    NIET_IN_PLAN,
    PRO_TOEGELATEN,
    REGULIER,
    VSO_AFGEWEZEN,
    Overrides,
    scripted_answer,
)
from models.cases.casework import admission_deadline
from models.cases.enrolment import CheckedEnrollment, enroll
from models.cases.view import TrajectoryView, load_view, load_views
from models.mail.notifications import queue_step_opened
from models.mail.outbox import mark_sent
from models.plan.library import get_plan
from models.plan.purposes import ADMISSION_REGULAR
from models.reports.dashboard import (
    CHART_WIDTH,
    DashboardRow,
    artifact_key,
    cohort_dashboard,
    md_cell,
    render_markdown,
)
from models.reports.evaluation import cohort_figures, load_tlv_requests
from models.reports.export import export_columns, export_rows, write_csv
from models.reports.history import UnknownTrajectoryError, render_history_text, trajectory_history
from models.reports.status import StatusFilter, filtered, status_row, status_rows
from models.settings import reset_settings
from models.store.clock import local_date, now, pinned
from models.store.db import dispose_engines, get_engine, session_scope
from models.store.migrate import upgrade
from models.store.schools import seed_vo_schools
from models.store.tables import (
    Contact,
    OutboxMessage,
    School,
    StepRecord,
    TlvRequest,
    TrackRun,
    Trajectory,
)
from models.walk.actions import Ask
from models.walk.offline import walk_without_prefect

TODAY = date(2027, 11, 20)  # November of the brugklas of cohort 2027: step 28 is open
COHORT = 2027
NEXT_COHORT = 2028
GENERATED_AT = datetime(2027, 11, 20, 5, 0, tzinfo=UTC)

PO_SCHOOLS = (
    ("12AB", "OBS De Klimop"),
    ("34CD", "CBS De Wegwijzer"),
    ("56EF", "IKC Het Palet | Assen"),  # a `|` in a name must not break a Markdown table
)
FIRST_NAMES = (
    "Aafke", "Bram", "Cato", "Dirk", "Elin", "Fenna", "Gijs", "Hidde", "Jelmer", "Kiki",
    "Lieke", "Maud", "Niels", "Olivia", "Pepijn", "Quinten", "Renske", "Stijn", "Tess", "Ugo",
    "Vera", "Wout", "Xenia", "Yara", "Zeger", "Anouk", "Boaz", "Chayenne", "Douwe", "Esmee",
    "Femmigje", "Guusje", "Harmke",
)  # fmt: skip
LAST_NAMES = (
    "Veenstra", "Hoekstra", "van der Zwaag", "Bosma", "Dijkstra", "Kuiper", "Brouwer",
    "Wieringa", "Postma", "Zijlstra", "Huisman", "Schuurman", "Boersma", "Nijboer",
    "Kloosterman", "Oosting", "Wolters", "Lubbers", "Tiemens", "Eilander", "Haverkort",
    "Meijering", "Roelofs", "Smeenge", "Jalving", "Mensink", "Bruins", "Hofstee", "Scholten",
    "Kamphuis", "Venema", "Oldenhuis", "Timmerman",
)  # fmt: skip

STEP_28_OPENS = date(2027, 11, 1)
# Step 21 (official registration) is the aanmeldweek of groep 8: 25 to 31 March 2027. The scripted
# answers register the pupil, receive the complete form and complete the OSO dossier on the day
# they are asked: the day step 21 opens. The admission decision, (21, "toelating"), is asked by
# the track "toelating" and due at the legal term: six weeks after the later of the complete form
# and the complete OSO dossier.
REGISTERED_ON = date(2027, 3, 25)
STEP_21_DUE = date(2027, 3, 31)
ADMISSION_DUE = REGISTERED_ON + timedelta(weeks=6)  # 6 May 2027
STEP_23_DUE = date(2027, 6, 30)  # warme overdracht: by the end of June of groep 8
STEP_24_OPENS = date(2027, 5, 1)
STEP_24_DUE = date(2027, 5, 31)
TLV_REQUESTED_ON = date(2026, 12, 1)  # step 17 opens on 1 December of groep 8
OSO_INTERIM_ON = date(2027, 3, 28)


@dataclass(frozen=True)
class LateAnswer:
    """A held question answered later, on `opens + days[i]` for the i-th pupil of a scenario."""

    step: int
    question: str
    base: date
    days: tuple[int, ...]
    changes: Mapping[str, Any] = field(default_factory=dict)
    rejected_first: Mapping[str, Any] | None = None  # a refused attempt on the same day
    then: tuple[str, ...] = ()  # questions of the same step answered right after, same day


@dataclass(frozen=True)
class Scenario:
    """`count` pupils walked with the same answers, and where they stand on TODAY: their status,
    current step, what they wait for and whom, whether a term has passed."""

    name: str
    count: int
    overrides: Overrides
    route: str
    status: str = "actief"
    step: int | None = None
    waiting_for: str = "answer"
    waiting_on: frozenset[str] = frozenset()
    overdue: bool = False
    stop_at_step: int = 99  # no question from this step on is answered
    hold: frozenset[tuple[int, str]] = frozenset()  # questions left unanswered
    late: LateAnswer | None = None
    tlv: str | None = None  # toegekend / afgewezen / open
    oso_missing: bool = False
    cohort: int = COHORT


IB, INTAKER, CVA, CVB = "intern_begeleider_po", "intaker_vo", "cva", "cvb_pro_vso"

SCENARIOS = (
    Scenario(
        name="regulier afgerond, stap 28 na enkele dagen",
        count=5,
        overrides=REGULIER,
        hold=frozenset({(28, "terugkoppeling")}),
        late=LateAnswer(28, "terugkoppeling", STEP_28_OPENS, (2, 5, 9, 12, 18)),
        route="regulier",
        status="afgerond",
        waiting_for="done",
    ),
    Scenario(
        name="regulier, wacht op terugkoppeling (stap 28)",
        count=2,
        overrides=REGULIER,
        stop_at_step=28,
        route="regulier",
        step=28,
        waiting_on=frozenset({INTAKER}),
    ),
    Scenario(
        name="gestopt bij stap 5",
        count=3,
        overrides=NIET_IN_PLAN,
        route="onbekend",
        status="gestopt",
        waiting_for="stopped",
    ),
    Scenario(
        name="regulier, toelatingsbesluit ontbreekt",
        count=1,
        overrides=REGULIER,
        hold=frozenset({(21, "toelating")}),
        route="regulier",
        step=21,
        waiting_on=frozenset({INTAKER}),
        overdue=True,
    ),
    Scenario(
        name="regulier, toelating te laat, afspraken ontbreken",
        count=2,
        overrides=REGULIER,
        hold=frozenset({(21, "toelating"), (24, "afspraken")}),
        late=LateAnswer(
            21,
            "toelating",
            ADMISSION_DUE,
            (10, 20),
            {"besluit": "toegelaten"},
            rejected_first={"besluit": "niet toegelaten", "reden": ""},
            then=("brief",),  # the written decision goes to the parents the same day
        ),
        route="regulier",
        step=24,
        waiting_on=frozenset({INTAKER}),
        overdue=True,
    ),
    Scenario(
        # A main-walk step answered after its due date: the main walk waits at step 23 until
        # the warme overdracht is recorded, then opens step 24 (already past its due date).
        name="regulier, warme overdracht te laat, afspraken ontbreken",
        count=2,
        overrides=REGULIER,
        hold=frozenset({(23, "overdracht")}),
        late=LateAnswer(23, "overdracht", STEP_23_DUE, (10, 20)),
        route="regulier",
        step=24,
        waiting_on=frozenset({INTAKER}),
        overdue=True,
    ),
    Scenario(
        name="regulier, OSO-dossier ontbreekt",
        count=2,
        overrides=REGULIER,
        hold=frozenset({(21, "oso")}),
        route="regulier",
        step=21,
        waiting_on=frozenset({IB}),
        overdue=True,
        oso_missing=True,
    ),
    Scenario(
        name="PRO, TLV toegekend, afgerond",
        count=2,
        overrides=PRO_TOEGELATEN,
        route="pro",
        status="afgerond",
        waiting_for="done",
        tlv="toegekend",
    ),
    Scenario(
        name="PRO, TLV wacht op de CvA",
        count=2,
        overrides=PRO_TOEGELATEN,
        hold=frozenset({(18, "tlv")}),
        route="pro",
        step=18,
        waiting_on=frozenset({CVA}),
        overdue=True,
        tlv="open",
    ),
    Scenario(
        name="PRO, advies CvB ontbreekt",
        count=1,
        overrides=PRO_TOEGELATEN,
        hold=frozenset({(17, "onderzoek")}),
        route="pro",
        step=17,
        waiting_on=frozenset({CVB}),
        overdue=True,
    ),
    Scenario(
        name="VSO, TLV afgewezen, afgerond",
        count=1,
        overrides=VSO_AFGEWEZEN,
        route="vso",
        status="afgerond",
        waiting_for="done",
        tlv="afgewezen",
    ),
    Scenario(
        name="VSO, TLV afgewezen, alternatief aanbod ontbreekt",
        count=1,
        overrides=VSO_AFGEWEZEN,
        hold=frozenset({(25, "aanbod")}),
        route="vso",
        step=25,
        waiting_on=frozenset({INTAKER}),
        overdue=True,
        tlv="afgewezen",
    ),
    Scenario(
        name="screening ontbreekt (stap 14)",
        count=2,
        overrides=REGULIER,
        stop_at_step=14,
        route="onbekend",
        step=14,
        waiting_on=frozenset({IB}),
        overdue=True,
    ),
    Scenario(
        name="oriënterend gesprek ontbreekt (stap 9)",
        count=2,
        overrides=REGULIER,
        stop_at_step=9,
        route="onbekend",
        step=9,
        waiting_on=frozenset({IB, INTAKER}),
        overdue=True,
    ),
    Scenario(
        name="definitief advies ontbreekt (stap 20)",
        count=2,
        overrides=REGULIER,
        stop_at_step=20,
        route="regulier",
        step=20,
        waiting_on=frozenset({IB}),
        overdue=True,
    ),
    Scenario(
        name="cohort 2028, wacht tot stap 15 opent",
        count=2,
        cohort=NEXT_COHORT,
        overrides=REGULIER,
        route="regulier",
        step=15,
        waiting_for="date",
    ),
    Scenario(
        name="cohort 2028, screening gevraagd",
        count=1,
        cohort=NEXT_COHORT,
        overrides=REGULIER,
        stop_at_step=14,
        route="onbekend",
        step=14,
        waiting_on=frozenset({IB}),
    ),
)


@dataclass(frozen=True)
class Pupil:
    code: str
    first_name: str
    last_name: str
    birth_date: date
    brin: str
    school: str
    scenario: Scenario
    index: int  # within its scenario

    @property
    def cohort(self) -> int:
        return self.scenario.cohort


@dataclass(frozen=True)
class Cohort:
    """The walked pupils and a copy of every table's rows."""

    pupils: tuple[Pupil, ...]
    tables: dict[str, list[dict[str, Any]]]

    def of(self, cohort: int = COHORT) -> list[Pupil]:
        return [p for p in self.pupils if p.cohort == cohort]

    def codes(self, cohort: int = COHORT, **where: Any) -> set[str]:
        """Codes of the pupils of `cohort` whose scenario has the given attribute values."""
        return {
            p.code
            for p in self.of(cohort)
            if all(getattr(p.scenario, k) == v for k, v in where.items())
        }

    def by_name(self, name: str) -> list[Pupil]:
        return [p for p in self.pupils if p.scenario.name == name]


def _late_answer_on(pupil: Pupil) -> date:
    """The day the scenario's held question was answered late for this pupil."""
    late = pupil.scenario.late
    assert late is not None
    return late.base + timedelta(days=late.days[pupil.index])


# --- building the cohort --------------------------------------------------------------------------


def _load_view(session: Session, trajectory_id: UUID) -> TrajectoryView:
    view = load_view(session, trajectory_id)
    assert view is not None
    return view


def _trajectory_id(session: Session, pupil: Pupil) -> UUID:
    return session.exec(select(Trajectory.id).where(Trajectory.code == pupil.code)).one()


def _answers(scenario: Scenario) -> Any:
    def source(view: TrajectoryView, action: Ask, day: date) -> dict[str, Any] | None:
        if action.step >= scenario.stop_at_step or (action.step, action.question) in scenario.hold:
            return None
        return scripted_answer(view, action, day, scenario.overrides)

    return source


def _answer_on(
    trajectory_id: UUID,
    day: date,
    step: int,
    question: str,
    changes: Mapping[str, Any],
    refused: Mapping[str, Any] | None = None,
    then: tuple[str, ...] = (),
) -> None:
    """Answer the question the trajectory asks on `day` (after a refused attempt, when given), as
    someone submitting the form does, and the questions `then` of the same step after it; then
    carry on as the flows would, on that day."""
    given = [refused, changes] if refused is not None else [changes]

    def source(view: TrajectoryView, action: Ask, today: date) -> dict[str, Any] | None:
        if action.step == step and action.question in then and not given:
            return scripted_answer(view, action, today, {})
        if (action.step, action.question) != (step, question) or not given:
            return None
        purpose = view.plan.purpose_of(step, question)
        return scripted_answer(view, action, today, {purpose: given.pop(0)})

    walk_without_prefect(trajectory_id, answers=source, until=day, start=day)
    assert not given, "the question was not asked on that day"


def _build() -> tuple[Pupil, ...]:
    plan = get_plan()
    with session_scope() as session:
        seed_vo_schools(session)
        for brin, name in PO_SCHOOLS:
            session.add(School(brin=brin, name=name, kind="PO", created_at=now()))
    pupils: list[Pupil] = []
    number = 0
    for scenario in SCENARIOS:
        for index in range(scenario.count):
            brin, school_name = PO_SCHOOLS[number % len(PO_SCHOOLS)]
            first, last = FIRST_NAMES[number], LAST_NAMES[number]
            birth = date(scenario.cohort - 13, 1 + number % 12, 1 + number % 28)
            number += 1
            with session_scope() as session, pinned(date(scenario.cohort - 2, 9, 1)):
                school = session.exec(select(School).where(School.brin == brin)).one()
                checked = CheckedEnrollment(
                    first, last, birth, school, 7, scenario.cohort, transfer_groep=8
                )
                trajectory = enroll(session, checked, plan=plan, actor="test")
                trajectory_id, code = trajectory.id, trajectory.code
            walk_without_prefect(trajectory_id, answers=_answers(scenario), until=TODAY)
            if scenario.late is not None:
                late = scenario.late
                day = late.base + timedelta(days=late.days[index])
                _answer_on(
                    trajectory_id,
                    day,
                    late.step,
                    late.question,
                    late.changes,
                    late.rejected_first,
                    late.then,
                )
            if scenario.oso_missing and index == 0:
                # The PO school delivered part of the dossier: an interim answer, asked again.
                partial = {"onderzoeksverslagen": "nog niet klaargezet"}
                _answer_on(trajectory_id, OSO_INTERIM_ON, 21, "oso", partial)
            pupils.append(Pupil(code, first, last, birth, brin, school_name, scenario, index))
    return tuple(pupils)


def _copy_tables() -> dict[str, list[dict[str, Any]]]:
    with get_engine().connect() as connection:
        return {
            table.name: [dict(row) for row in connection.execute(table.select()).mappings()]
            for table in SQLModel.metadata.sorted_tables
        }


def _restore_tables(tables: Mapping[str, list[dict[str, Any]]]) -> None:
    with get_engine().begin() as connection:
        for table in SQLModel.metadata.sorted_tables:
            rows = tables.get(table.name, [])
            if not rows:
                continue
            # Integer keys (the audit log) are left to the database, so PostgreSQL's sequence
            # stays ahead of the copied rows.
            generated = [
                c.name for c in table.primary_key.columns if isinstance(c.type, sa.Integer)
            ]
            connection.execute(
                table.insert(),
                [{k: v for k, v in row.items() if k not in generated} for row in rows],
            )


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    """The scenarios walked once, on a SQLite file of this module."""
    data_dir = tmp_path_factory.mktemp("cohort")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OVERSTAP_DATA_DIR", str(data_dir))
        patch.setenv("OVERSTAP_DATABASE_URL", f"sqlite:///{data_dir / 'overstap.db'}")
        patch.setenv("OVERSTAP_SIMULATION", "0")
        patch.setenv("OVERSTAP_PLAN_VERSION", "")
        dispose_engines()
        reset_settings()
        try:
            upgrade()
            pupils = _build()
            tables = _copy_tables()
        finally:
            dispose_engines()
            reset_settings()
    return Cohort(pupils, tables)


@pytest.fixture
def cohort(db: str, walked: Cohort) -> Cohort:
    """A fresh copy of the walked cohort in this test's database (SQLite or PostgreSQL)."""
    _restore_tables(walked.tables)
    return walked


def _views() -> list[TrajectoryView]:
    with session_scope() as session:
        return load_views(session)


def _tlv_requests() -> list[TlvRequest]:
    with session_scope() as session:
        return load_tlv_requests(session)


def _dashboard(cohort: int = COHORT) -> Any:
    return cohort_dashboard(
        _views(), cohort, TODAY, tlv_requests=_tlv_requests(), generated_at=GENERATED_AT
    )


# --- the dashboard ------------------------------------------------------------------------------


def test_dashboard_has_one_row_per_pupil_matching_status_and_scenario(cohort: Cohort) -> None:
    """The table has exactly the cohort's 30 pupils; each row shows what `overstap status` shows
    for that trajectory, and where its scenario left the pupil."""
    dashboard = _dashboard()
    views = {v.trajectory.code: v for v in _views()}
    pupils = {p.code: p for p in cohort.of(COHORT)}
    assert len(dashboard.rows) == 30
    assert {r.code for r in dashboard.rows} == set(pupils)
    for row in dashboard.rows:
        status = status_row(views[row.code], TODAY)
        assert (
            row.current_step,
            row.waiting_for,
            row.due,
            row.overdue,
            row.route,
            row.status,
            set(row.waiting_on),
            row.po_school,
            row.vo_school,
        ) == (
            status.current_step,
            status.waiting_for,
            status.due,
            status.overdue,
            status.route,
            status.status,
            set(status.waiting_on),
            status.po_school,
            status.vo_school,
        ), row.code
        expected = pupils[row.code].scenario
        assert (
            row.status,
            row.current_step,
            row.waiting_for,
            set(row.waiting_on),
            row.overdue,
            row.route,
            row.po_school,
        ) == (
            expected.status,
            expected.step,
            expected.waiting_for,
            set(expected.waiting_on),
            expected.overdue,
            expected.route,
            pupils[row.code].school,
        ), f"{row.code}: {expected.name}"


def test_status_shows_what_the_toelating_track_waits_for(cohort: Cohort) -> None:
    """While the main walk waits before step 24 for the toelating track, the status shows the
    track's question: the admission decision (21, "toelating"), asked of the intaker and due at
    the legal term, six weeks after the complete registration (6 May 2027, not step 24's 31 May);
    overdue from the day after. Once a late decision ends the track, the main walk opens step 24
    and asks "afspraken". The OSO dossier is the track's first question; PRO and VSO pupils had
    theirs asked by a toelating track started at step 16."""
    views = {v.trajectory.code: v for v in _views()}

    (missing,) = cohort.by_name("regulier, toelatingsbesluit ontbreekt")
    view = views[missing.code]
    assert (view.trajectory.waiting_for, view.trajectory.current_step) == ("track", 24)
    assert view.records.get(24) is None
    status = status_row(view, TODAY)
    assert (
        status.current_step,
        status.current_question,
        status.waiting_for,
        status.due,
        status.overdue,
        status.waiting_on,
    ) == (21, "toelating", "answer", ADMISSION_DUE, True, [INTAKER])
    assert [(t.track, t.status, t.current_step, t.waiting_for, t.due) for t in status.tracks] == [
        ("toelating", "actief", 21, "answer", ADMISSION_DUE)
    ]
    assert [(d.kind, d.due) for d in status.deadlines] == [("besluit_toelating", ADMISSION_DUE)]
    assert not status_row(view, ADMISSION_DUE).overdue
    assert status_row(view, ADMISSION_DUE + timedelta(days=1)).overdue

    for pupil in cohort.by_name("regulier, OSO-dossier ontbreekt"):
        view = views[pupil.code]
        assert (view.trajectory.waiting_for, view.trajectory.current_step) == ("track", 24)
        status = status_row(view, TODAY)
        assert (status.current_step, status.current_question, status.waiting_on) == (
            21,
            "oso",
            [IB],
        )
        assert not view.facts.answered("admission_decision")

    for pupil in cohort.by_name("regulier, toelating te laat, afspraken ontbreken"):
        view = views[pupil.code]
        status = status_row(view, TODAY)
        assert view.trajectory.waiting_for == "answer"
        assert (status.current_step, status.current_question, status.due) == (
            24,
            "afspraken",
            STEP_24_DUE,
        )
        assert [(t.track, t.status) for t in status.tracks] == [("toelating", "afgerond")]
        assert view.facts.admission == "toegelaten"

    for pupil in cohort.of():
        view = views[pupil.code]
        scenario = pupil.scenario
        track = view.tracks.get("toelating")
        if scenario.route in ("pro", "vso"):
            # PRO and VSO: the admission track of the early registration (its own name).
            track = view.tracks.get("toelating_pro_vso")
            expected: tuple[int, str] | None = (16, "afgerond")
            assert view.facts.answered("oso_dossier_pro_vso")
            assert "toelating" not in view.tracks
        elif scenario.route == "regulier" and scenario.stop_at_step > 21:
            held = any(step == 21 for step, _ in scenario.hold)
            done = not held or (scenario.late is not None and scenario.late.step == 21)
            expected = (21, "afgerond" if done else "actief")
        else:
            expected = None
        assert (None if track is None else (track.step, track.status)) == expected, scenario.name


def test_counts_per_step_match_the_records(cohort: Cohort) -> None:
    """Pupils per current step, counted from the trajectory and track rows with SQL, equal the
    dashboard's counts; they add up to the active pupils; finished and stopped are apart."""
    with session_scope() as session:
        found = session.exec(
            select(
                Trajectory.status,
                Trajectory.waiting_for,
                Trajectory.current_step,
                TrackRun.current_step,
            )
            .outerjoin(
                TrackRun,
                sa.and_(
                    col(TrackRun.trajectory_id) == col(Trajectory.id),
                    col(TrackRun.status) == "actief",
                ),
            )
            .where(Trajectory.cohort == COHORT)
        ).all()
    by_status = Counter(status for status, *_ in found)
    from_sql = Counter(
        track_step if waiting == "track" else main_step
        for status, waiting, main_step, track_step in found
        if status == "actief"
    )
    from_scenarios = Counter(p.scenario.step for p in cohort.of() if p.scenario.status == "actief")
    dashboard = _dashboard()
    counted = Counter({s.step: s.pupils for s in dashboard.steps if s.pupils})
    assert counted == from_sql == from_scenarios
    assert from_scenarios == {9: 2, 14: 2, 17: 1, 18: 2, 20: 2, 21: 3, 24: 4, 25: 1, 28: 2}
    assert [s.step for s in dashboard.steps] == list(range(1, 29))
    assert sum(s.pupils for s in dashboard.steps) + dashboard.not_started == dashboard.active
    assert (dashboard.active, dashboard.finished, dashboard.stopped) == (19, 8, 3)
    assert (by_status["actief"], by_status["afgerond"], by_status["gestopt"]) == (19, 8, 3)
    assert dashboard.overdue_pupils == len(cohort.codes(overdue=True)) == 17
    step_28 = next(s for s in dashboard.steps if s.step == 28)
    assert (step_28.waiting_for_answer, step_28.waiting_for_date, step_28.overdue) == (2, 0, 0)


def test_counts_per_school_match_the_scenarios(cohort: Cohort) -> None:
    """Per PO school: pupils, active, finished, stopped, late, and the registered pupils whose
    OSO dossier is not complete."""
    dashboard = _dashboard()
    expected = {}
    for brin, name in PO_SCHOOLS:
        pupils = [p for p in cohort.of() if p.brin == brin]
        expected[name] = (
            brin,
            len(pupils),
            sum(1 for p in pupils if p.scenario.status == "actief"),
            sum(1 for p in pupils if p.scenario.status == "afgerond"),
            sum(1 for p in pupils if p.scenario.status == "gestopt"),
            sum(1 for p in pupils if p.scenario.overdue),
            tuple(sorted(p.code for p in pupils if p.scenario.oso_missing)),
        )
    found = {
        s.name: (s.brin, s.pupils, s.active, s.finished, s.stopped, s.overdue, s.oso_missing)
        for s in dashboard.schools
    }
    assert found == expected
    assert sum(len(s.oso_missing) for s in dashboard.schools) == 2


def test_deadlines_overdue_items_and_open_tlv_requests(cohort: Cohort) -> None:
    """Due in the next 14 days: step 28 of the pupils who have not answered it; overdue: a term
    of every late pupil; open TLV requests: the two the CvA has not decided on.

    A pupil whose admission decision is missing is overdue on the legal term only, due six weeks
    after the complete registration and met by (21, "toelating"): step 21 itself was closed when
    the registration was recorded, and step 24 has not opened, since the main walk waits before
    it for the toelating track."""
    dashboard = _dashboard()
    waiting_28 = cohort.codes(step=28)
    assert {(d.code, d.kind, d.step, d.due) for d in dashboard.upcoming} == {
        (code, "stap", 28, date(2027, 11, 30)) for code in waiting_28
    }
    assert all(TODAY <= d.due <= TODAY + timedelta(days=14) for d in dashboard.upcoming)
    assert {d.code for d in dashboard.overdue_items} == cohort.codes(overdue=True)
    assert all(d.due < TODAY and not d.soft for d in dashboard.overdue_items)
    for code in cohort.codes(name="regulier, toelatingsbesluit ontbreekt"):
        items = {(d.kind, d.step, d.due) for d in dashboard.overdue_items if d.code == code}
        assert items == {("besluit_toelating", 21, ADMISSION_DUE)}
    assert {(t.code, t.kind, t.submitted_on, t.days_open) for t in dashboard.open_tlv} == {
        (code, "PRO", TLV_REQUESTED_ON, (TODAY - TLV_REQUESTED_ON).days)
        for code in cohort.codes(tlv="open")
    }


def test_markdown_shows_codes_never_names_and_escapes_tables(cohort: Cohort) -> None:
    """The rendered dashboard starts with the summary line, holds every code of the cohort and
    no name or birth date of any pupil, escapes `|` in school names, and draws a fixed-width
    chart with the legend of waiting-for values."""
    dashboard = _dashboard()
    markdown = render_markdown(dashboard)
    assert (
        "**Cohort 2027: 30 leerlingen — 19 actief, 8 afgerond, 3 gestopt; 17 te laat**"
        in markdown.splitlines()[:4]
    )
    for pupil in cohort.of(COHORT):
        assert pupil.code in markdown
    for pupil in cohort.of(NEXT_COHORT):
        assert pupil.code not in markdown
    for pupil in cohort.pupils:
        personal = (pupil.first_name, pupil.last_name, pupil.birth_date.isoformat())
        for text in (*personal, f"{pupil.birth_date:%d-%m-%Y}"):
            assert text not in markdown, text
    assert "IKC Het Palet \\| Assen" in markdown
    assert "Het Palet | Assen" not in markdown
    chart = markdown.split("```text\n", 1)[1].split("\n```", 1)[0].splitlines()
    bars = [line for line in chart if "│" in line]
    assert len(bars) == 28 + 2
    assert len({len(line) for line in bars}) == 1  # fixed width
    assert re.fullmatch(r"stap 28  │█+[▏▎▍▌▋▊▉]? *│   2", bars[27])  # 2 of 8: 7.5 cells
    assert re.fullmatch(r"afgerond │█+ *│   8", bars[28])
    assert bars[0] == f"stap  1  │{' ' * CHART_WIDTH}│   0"
    for label in ("datum", "antwoord", "bezig", "procedure", "klaar", "gestopt"):
        assert f"- **{label}**:" in markdown
    assert "Stand op 20 november 2027; bijgewerkt 20-11-2027 06:00." in markdown
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Voortgang: leerlingen per stap",
        f"## Te laat (17 leerlingen, {len(dashboard.overdue_items)} termijnen)",
        "## Termijnen in de komende 14 dagen",
        "## Openstaande TLV-aanvragen (2)",
        "## Per school",
        "## Per stap",
        "## Leerlingen (30)",
        "## Evaluatie cohort 2027 (monitoring, hoofdstuk 4)",
        "## Legenda: wacht op",
    ]


def test_artifact_key_is_stable_and_allowed_by_prefect() -> None:
    """One key per cohort, lowercase letters, digits and dashes only."""
    assert artifact_key(2027) == "overstap-cohort-2027"
    assert re.fullmatch(r"[a-z0-9-]+", artifact_key(2031))
    with pytest.raises(ValueError, match="geen jaartal"):
        artifact_key(27)


def test_a_cohort_without_pupils_renders_an_empty_dashboard() -> None:
    """A cohort nobody is enrolled in yet shows zeros for all 28 steps, not an error."""
    dashboard = cohort_dashboard([], 2031, TODAY, tlv_requests=[], generated_at=GENERATED_AT)
    markdown = render_markdown(dashboard)
    assert "**Cohort 2031: 0 leerlingen — 0 actief, 0 afgerond, 0 gestopt; 0 te laat**" in markdown
    assert [s.pupils for s in dashboard.steps] == [0] * 28
    assert "Niets te laat." in markdown


def test_markdown_cells_escape_pipes_and_line_breaks() -> None:
    """Text from schools cannot break a table row."""
    assert md_cell("A | B\nC") == "A \\| B C"
    assert md_cell("*vet* [link]") == "\\*vet\\* \\[link\\]"


# --- the status filters ---------------------------------------------------------------------------


def test_status_filters_return_exactly_the_expected_pupils(cohort: Cohort) -> None:
    """Cohort, school (BRIN or name, PO or VO), route, overdue and waiting-on filters, alone and
    combined, return exactly the pupils the scenarios put there."""
    with session_scope() as session, pinned(TODAY):
        rows = status_rows(session)

    def codes(**wanted: Any) -> set[str]:
        return {r.code for r in filtered(rows, StatusFilter(**wanted))}

    every = {p.code for p in cohort.pupils}
    assert codes() == every
    assert codes(cohort=COHORT) == cohort.codes()
    assert codes(cohort=NEXT_COHORT) == cohort.codes(NEXT_COHORT)
    klimop = {p.code for p in cohort.pupils if p.brin == "12AB"}
    assert codes(school="12ab") == codes(school="obs de klimop") == klimop
    assert len(klimop & cohort.codes(NEXT_COHORT)) > 0  # the school filter spans cohorts
    assert codes(school="PrO Assen") == cohort.codes(route="pro")
    assert codes(cohort=COHORT, route="pro") == cohort.codes(route="pro")
    assert len(codes(route="pro")) == 5
    assert codes(cohort=COHORT, route="onbekend") == cohort.codes(route="onbekend")
    assert codes(cohort=COHORT, overdue=True) == cohort.codes(overdue=True)
    assert codes(overdue=True) == cohort.codes(overdue=True)  # cohort 2028 is on time
    intakers = {p.code for p in cohort.of() if INTAKER in p.scenario.waiting_on}
    assert codes(cohort=COHORT, waiting_on=INTAKER) == intakers
    assert len(intakers) == 10
    assert codes(waiting_on=CVA) == cohort.codes(tlv="open")
    assert codes(waiting_on=CVB) == cohort.codes(name="PRO, advies CvB ontbreekt")
    assert codes(waiting_on=IB) == {p.code for p in cohort.pupils if IB in p.scenario.waiting_on}
    assert codes(cohort=COHORT, school="34CD", overdue=True, waiting_on=IB) == {
        p.code
        for p in cohort.of()
        if p.brin == "34CD" and p.scenario.overdue and IB in p.scenario.waiting_on
    }
    assert codes(cohort=COHORT, route="vso", waiting_on=CVA) == set()


# --- the export -----------------------------------------------------------------------------------


def _every_name(cohort: Cohort) -> list[str]:
    return [n for p in cohort.pupils for n in (p.first_name, p.last_name)]


def test_export_has_one_row_per_pupil_and_no_names(cohort: Cohort, tmp_path: Path) -> None:
    """Without --with-names: one row per pupil of the cohort, the documented columns, no name or
    birth date in any cell; step dates and late days come from the records; the file opens in
    Excel (BOM, `;`) and reads back the same.

    Step 21's `beantwoord` is its own walk's answer, the registration (25 March), on time: a late
    admission decision, (21, "toelating"), is asked by the toelating track against its own legal
    term and does not make step 21 late. Step 24 opens the day the decision ends the toelating
    track (the main walk waited before it) and has no answer. A warme overdracht (step 23,
    main walk) answered after its due date (30 June) has that day as `beantwoord` and the days
    after the due date as `dagen_te_laat`; step 24 opens the same day."""
    rows = export_rows(_views(), COHORT, with_names=False, tlv_requests=_tlv_requests())
    assert len(rows) == 30
    assert {r["code"] for r in rows} == cohort.codes()
    assert all(list(r) == export_columns(with_names=False, steps=range(1, 29)) for r in rows)
    forbidden = _every_name(cohort) + [p.birth_date.isoformat() for p in cohort.pupils]
    for row in rows:
        for value in row.values():
            for text in forbidden:
                assert text not in value, (row["code"], text)
    by_code = {r["code"]: r for r in rows}
    late = cohort.by_name("regulier, toelating te laat, afspraken ontbreken")
    assert len(late) == 2
    for pupil in late:
        answered_on = _late_answer_on(pupil)
        assert ADMISSION_DUE < answered_on < STEP_24_DUE
        row = by_code[pupil.code]
        assert row["stap_21_status"] == "afgerond"
        assert row["stap_21_geopend"] == REGISTERED_ON.isoformat()
        assert row["stap_21_uiterlijk"] == STEP_21_DUE.isoformat()
        assert row["stap_21_beantwoord"] == REGISTERED_ON.isoformat()
        assert row["stap_21_dagen_te_laat"] == "0"
        assert row["stap_24_status"] == "open"
        assert row["stap_24_geopend"] == answered_on.isoformat()
        assert row["stap_24_uiterlijk"] == STEP_24_DUE.isoformat()
        assert row["stap_24_beantwoord"] == row["stap_24_dagen_te_laat"] == ""
        assert row["stap_23_dagen_te_laat"] == "0"
        assert row["stap_16_status"] == "overgeslagen"
        assert row["stap_25_status"] == row["stap_25_geopend"] == ""
        assert row["toelating"] == "toegelaten"
    handover = cohort.by_name("regulier, warme overdracht te laat, afspraken ontbreken")
    assert len(handover) == 2
    for pupil in handover:
        answered_on = _late_answer_on(pupil)
        days_late = (answered_on - STEP_23_DUE).days
        assert days_late > 0
        row = by_code[pupil.code]
        assert row["stap_21_beantwoord"] == REGISTERED_ON.isoformat()
        assert row["stap_21_dagen_te_laat"] == "0"
        assert row["stap_23_status"] == "afgerond"
        assert row["stap_23_geopend"] == REGISTERED_ON.isoformat()
        assert row["stap_23_uiterlijk"] == STEP_23_DUE.isoformat()
        assert row["stap_23_beantwoord"] == answered_on.isoformat()
        assert row["stap_23_dagen_te_laat"] == str(days_late)
        assert row["stap_24_status"] == "open"
        assert row["stap_24_geopend"] == answered_on.isoformat()
        assert row["stap_24_uiterlijk"] == STEP_24_DUE.isoformat()
        assert row["stap_24_beantwoord"] == row["stap_24_dagen_te_laat"] == ""
        assert row["toelating"] == "toegelaten"
    (missing,) = cohort.by_name("regulier, toelatingsbesluit ontbreekt")
    row = by_code[missing.code]
    assert row["stap_21_beantwoord"] == REGISTERED_ON.isoformat()
    assert row["stap_21_dagen_te_laat"] == "0"
    assert row["stap_23_status"] == "afgerond"
    assert row["stap_24_status"] == row["stap_24_geopend"] == ""  # waits for the decision
    assert row["toelating"] == ""
    for pupil in cohort.of():
        assert by_code[pupil.code]["tlv_besluit"] == (pupil.scenario.tlv or "")
        assert by_code[pupil.code]["route"] == pupil.scenario.route
        assert by_code[pupil.code]["po_brin"] == pupil.brin
    path = tmp_path / "cohort-2027.csv"
    assert write_csv(rows, path) == 30
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    with path.open(encoding="utf-8-sig", newline="") as stream:
        read = list(csv.DictReader(stream, delimiter=";"))
    assert read == rows


def test_export_with_names_adds_first_and_last_name_only(cohort: Cohort) -> None:
    """With --with-names each row carries its own pupil's first and last name, and still no
    birth date."""
    rows = export_rows(_views(), COHORT, with_names=True, tlv_requests=_tlv_requests())
    assert list(rows[0]) == export_columns(with_names=True, steps=range(1, 29))
    names = {r["code"]: (r["voornaam"], r["achternaam"]) for r in rows}
    assert names == {p.code: (p.first_name, p.last_name) for p in cohort.of()}
    births = {p.birth_date.isoformat() for p in cohort.pupils}
    assert not any(value in births for row in rows for value in row.values())


def test_csv_cells_that_look_like_formulas_are_neutralised() -> None:
    """Excel never evaluates a cell: '=', '+', '-' and '@' at the start get a quote."""
    stream = io.StringIO()
    write_csv([{"code": "AB23", "po_school": "=HYPERLINK(1)"}], stream)
    assert stream.getvalue() == "\ufeffcode;po_school\r\nAB23;'=HYPERLINK(1)\r\n"


# --- evaluation figures ---------------------------------------------------------------------------


def test_evaluation_figures_count_routes_tlvs_durations_and_late_steps(cohort: Cohort) -> None:
    """Pupils per route and TLV outcomes are what the scenarios set up; step 28's median days
    come from the days we let pass before answering; step 23 is the only step answered late.

    "Answered late" is defined against the step's due date (`StepRecord.due_by`): the warme
    overdracht (step 23, due 30 June) held and answered 10 and 20 days after it. The late
    admission decisions, (21, "toelating"), do not count: asked by the toelating track, they
    have their own legal term, and step 21's answer stays the registration, on time."""
    figures = cohort_figures(_views(), COHORT, _tlv_requests())
    assert figures.pupils == 30
    routes = Counter(p.scenario.route for p in cohort.of())
    assert figures.by_route == {r: routes[r] for r in ("onbekend", "regulier", "pro", "vso")}
    assert figures.by_route == {"onbekend": 7, "regulier": 16, "pro": 5, "vso": 2}
    assert figures.by_status == {"actief": 19, "afgerond": 8, "gestopt": 3}
    tlv = Counter(p.scenario.tlv for p in cohort.of() if p.scenario.tlv)
    assert (figures.tlv.granted, figures.tlv.refused, figures.tlv.open) == (
        tlv["toegekend"],
        tlv["afgewezen"],
        tlv["open"],
    )
    assert (figures.tlv.requested, figures.tlv.granted, figures.tlv.refused) == (6, 2, 2)
    pro, vso = figures.tlv_by_kind
    assert (pro.kind, pro.requested, pro.granted, pro.open) == ("PRO", 4, 2, 2)
    assert (vso.kind, vso.requested, vso.refused) == ("VSO", 2, 2)
    # Step 28: answered after the scripted delays, or on the day it opened by the full walks.
    days_28 = [
        p.scenario.late.days[p.index] if p.scenario.late else 0
        for p in cohort.of()
        if p.scenario.status == "afgerond"
    ]
    step_28 = figures.duration(28)
    assert step_28 is not None
    assert (step_28.count, step_28.median_days, step_28.max_days) == (
        len(days_28),
        statistics.median(days_28),
        max(days_28),
    )
    assert (step_28.count, step_28.median_days) == (8, 3.5)
    handover = cohort.by_name("regulier, warme overdracht te laat, afspraken ontbreken")
    late_days = [(_late_answer_on(p) - STEP_23_DUE).days for p in handover]
    assert sorted(late_days) == [10, 20]
    with session_scope() as session:
        answered_23 = session.exec(
            select(sa.func.count())
            .select_from(StepRecord)
            .join(Trajectory, col(Trajectory.id) == col(StepRecord.trajectory_id))
            .where(Trajectory.cohort == COHORT, StepRecord.step == 23)
            .where(col(StepRecord.answered_at).is_not(None))
        ).one()
    assert [s.step for s in figures.late_steps] == [23]
    step_23 = figures.late(23)
    assert step_23 is not None
    assert (step_23.answered, step_23.late, step_23.median_days_late, step_23.max_days_late) == (
        answered_23,
        len(late_days),
        statistics.median(late_days),
        max(late_days),
    )
    # Every pupil not stopped whose answers go on past step 23 had the warme overdracht
    # recorded, also those whose main walk waits before step 24 for the toelating or TLV track
    # (at step 17, 18 or 21); only the held ones answered it late.
    assert answered_23 == sum(
        s.count
        for s in SCENARIOS
        if s.cohort == COHORT and s.status != "gestopt" and s.stop_at_step > 23
    )
    # The late admission decisions do not make step 21 late: its answer is the registration.
    assert figures.late(21) is None
    assert figures.admissions == {"toegelaten": 13, "niet toegelaten": 0, "nog geen besluit": 17}


# --- history (overstap show) ----------------------------------------------------------------------


def test_history_shows_every_step_attempts_and_emails(cohort: Cohort) -> None:
    """`overstap show` lists all 28 steps: dates, who answered, days late, every attempt
    (rejected, interim, accepted) with its errors, and the emails queued or sent for the step.

    The admission decision is a question of step 21 (asked by the toelating track): its attempts
    are under step 21, and a late one is late against its own legal term (`besluit_toelating`,
    6 May), not as step 21: who answered step 21 and when stays its own walk's answer, the
    registration, on time. Step 24 opened the day the decision was recorded and now asks
    "afspraken". A warme overdracht (step 23) answered after its due date shows as step 23
    answered late, and step 24 opened that day."""
    late = cohort.by_name("regulier, toelating te laat, afspraken ontbreken")[0]
    answered_on = _late_answer_on(late)
    with session_scope() as session:
        history = trajectory_history(session, late.code.lower(), TODAY)
        term = admission_deadline(
            _load_view(session, _trajectory_id(session, late)), ADMISSION_REGULAR
        )
    assert (history.code, history.first_name, history.last_name) == (
        late.code,
        late.first_name,
        late.last_name,
    )
    assert [s.step for s in history.steps] == list(range(1, 29))
    step_21 = history.step(21)
    assert (step_21.status, step_21.opened_on, step_21.due_by, step_21.days_late) == (
        "done",
        REGISTERED_ON,
        STEP_21_DUE,
        0,
    )
    (registration,) = (a for a in step_21.attempts if a.question == "aanmelding")
    assert (registration.attempt, registration.outcome) == (1, "vastgelegd")
    assert step_21.answered_at == registration.answered_at
    assert step_21.answered_by == registration.answered_by
    assert local_date(step_21.answered_at) == REGISTERED_ON
    admission = [a for a in step_21.attempts if a.question == "toelating"]
    assert [(a.question, a.attempt, a.outcome) for a in admission] == [
        ("toelating", 1, "afgewezen"),
        ("toelating", 2, "vastgelegd"),
    ]
    assert [local_date(a.answered_at) for a in admission] == [answered_on, answered_on]
    assert "reden" in admission[0].errors[0]
    assert admission[1].values["besluit"] == "toegelaten"
    # The decision came after its legal term; the term is met now, so no longer open.
    assert term is not None
    assert (term.kind, term.due) == ("besluit_toelating", ADMISSION_DUE)
    assert answered_on > term.due
    assert [(d.kind, d.due) for d in history.current.deadlines] == [("stap", STEP_24_DUE)]
    step_24 = history.step(24)
    assert (step_24.status, step_24.opened_on, step_24.due_by, step_24.days_late) == (
        "open",
        answered_on,
        STEP_24_DUE,
        None,
    )
    assert step_24.attempts == ()
    assert history.step(16).status == "skipped"
    assert history.step(25).status is None
    assert (history.current.current_step, history.current.current_question) == (24, "afspraken")
    text = render_history_text(history)
    assert f"Traject {late.code} — {late.first_name} {late.last_name}" in text
    # Questions and fields by their Dutch names, not by their codes.
    assert "toelatingsbesluit van de school (poging 1, afgewezen)" in text
    assert "toelatingsbesluit van de school (poging 2, vastgelegd)" in text
    assert "Besluit of tussenstap: toegelaten" in text
    assert "besluit: toegelaten" not in text
    assert "route regulier VO" in text
    assert "te laat beantwoord" not in text  # every step on time, step 21 too
    assert f"{answered_on:%d-%m-%Y}" in text
    assert "nog niet aan de beurt" in text

    handover = cohort.by_name("regulier, warme overdracht te laat, afspraken ontbreken")[0]
    handed_over_on = _late_answer_on(handover)
    days_late = (handed_over_on - STEP_23_DUE).days
    assert days_late > 0
    with session_scope() as session:
        history = trajectory_history(session, handover.code, TODAY)
    step_23 = history.step(23)
    assert (step_23.status, step_23.opened_on, step_23.due_by, step_23.days_late) == (
        "done",
        REGISTERED_ON,
        STEP_23_DUE,
        days_late,
    )
    assert step_23.answered_at is not None
    assert local_date(step_23.answered_at) == handed_over_on
    assert [(a.question, a.attempt, a.outcome) for a in step_23.attempts] == [
        ("overdracht", 1, "vastgelegd")
    ]
    assert history.step(21).days_late == 0
    assert (history.step(24).status, history.step(24).opened_on) == ("open", handed_over_on)
    text = render_history_text(history)
    assert f"{days_late} dagen te laat beantwoord" in text
    assert text.count("te laat beantwoord") == 1

    oso = cohort.by_name("regulier, OSO-dossier ontbreekt")[0]
    with session_scope() as session, pinned(OSO_INTERIM_ON):
        trajectory = session.exec(select(Trajectory).where(Trajectory.code == oso.code)).one()
        school = session.exec(select(School).where(School.brin == oso.brin)).one()
        session.add(
            Contact(school_id=school.id, role=IB, name="I. Mulder", email="ib@school.example.org")
        )
        session.flush()
        queue_step_opened(
            session, trajectory_id=trajectory.id, step=21, question="oso", due=date(2027, 3, 31)
        )
        session.flush()
        message = session.exec(
            select(OutboxMessage).where(OutboxMessage.trajectory_id == trajectory.id)
        ).one()
        mark_sent(session, message, now())
    with session_scope() as session:
        history = trajectory_history(session, oso.code, TODAY)
    step_21 = history.step(21)
    assert [(a.question, a.attempt, a.outcome) for a in step_21.attempts] == [
        ("aanmelding", 1, "vastgelegd"),
        ("oso", 1, "tussenstand"),
    ]
    assert step_21.attempts[1].values["onderzoeksverslagen"] == "nog niet klaargezet"
    assert [(e.kind, e.recipient, e.status) for e in step_21.emails] == [
        ("stap_open", "ib@school.example.org", "sent")
    ]
    assert step_21.emails[0].subject
    assert all(not s.emails for s in history.steps if s.step != 21)
    text = render_history_text(history)
    assert "OSO-dossier (poging 1, tussenstand)" in text
    assert "Onderzoeksverslagen en verklaringen, zoals intelligentie" in " ".join(text.split())
    assert "nog niet klaargezet" in text
    assert f"Klaargezet op: {OSO_INTERIM_ON:%d-%m-%Y}" in text
    assert "I. Mulder <ib@school.example.org>" in text
    assert "verzonden 28-03-2027" in text

    with session_scope() as session, pytest.raises(UnknownTrajectoryError, match="ZZZZ"):
        trajectory_history(session, "zzzz")


def test_dashboard_rows_carry_no_personal_fields() -> None:
    """A dashboard row (the part of a pupil that reaches Prefect) has no field for a name or a
    birth date."""
    fields = set(DashboardRow.__dataclass_fields__)
    assert not fields & {"pupil_label", "first_name", "last_name", "birth_date", "name"}
