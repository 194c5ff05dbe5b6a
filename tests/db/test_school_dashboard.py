"""A worklist per school, and the cohort dashboard's pupil table with who, when and late first.

A small cohort built by hand: a pupil of OBS De Regenboog waits (late) for the intern
begeleider's advice; a pupil of CBS De Wegwijzer, registered with a VO school, waits on the
toelating track's own run for the intaker's admission decision; a finished pupil waits for
nothing. Each school's worklist lists exactly its pupils' open questions, codes linked to the
run that holds the form, and no names.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID, uuid4

import pytest

from models.enums import TrajectoryStatus, WaitingFor
from models.plan.library import get_plan
from models.plan.purposes import Purpose
from models.reports.dashboard import load_cohort_dashboard, render_markdown
from models.reports.schools import (
    load_school_dashboards,
    render_school_markdown,
    school_artifact_key,
)
from models.settings import reset_settings
from models.store.db import session_scope
from models.store.tables import Pupil, School, TrackRun, Trajectory

UI_URL = "http://overstap.test:4200"
T0 = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)
TODAY = dt.date(2027, 4, 20)
COHORT = 2027


def _school(brin: str, name: str, kind: str) -> UUID:
    with session_scope() as session:
        school = School(brin=brin, name=name, kind=kind, created_at=T0)
        session.add(school)
        session.flush()
        return school.id


def _pupil(first: str, last: str, code: str, po: UUID, vo: UUID | None = None) -> UUID:
    with session_scope() as session:
        pupil = Pupil(first_name=first, last_name=last, po_school_id=po, groep=8, created_at=T0)
        session.add(pupil)
        session.flush()
        trajectory = Trajectory(
            pupil_id=pupil.id,
            code=code,
            cohort=COHORT,
            plan_version=get_plan().version,
            started_at=T0,
            vo_school_id=vo,
            flow_run_id=uuid4(),
        )
        session.add(trajectory)
        session.flush()
        return trajectory.id


def _waits(row: Trajectory | TrackRun, purpose: str, due: dt.date) -> None:
    step, question = get_plan().find(purpose)
    row.waiting_for = WaitingFor.ANSWER
    row.current_step, row.current_question, row.due = step.number, question.key, due


@pytest.fixture
def small_cohort(db: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, UUID]:
    monkeypatch.setenv("OVERSTAP_UI_URL", UI_URL)
    reset_settings()
    regenboog = _school("99PA", "OBS De Regenboog", "PO")
    wegwijzer = _school("99PB", "CBS De Wegwijzer", "PO")
    penta = _school("99VA", "Dr. Nassau College Penta", "VO")
    _school("99VB", "Esdal College", "VO")
    late = _pupil("Sanne", "de Vries", "K7Q2", regenboog)
    track = _pupil("Daan", "Bakker", "M4R8", wegwijzer, penta)
    done = _pupil("Finn", "Jansen", "P9T3", regenboog)
    track_run = uuid4()
    with session_scope() as session:
        row = session.get(Trajectory, late)
        assert row is not None
        _waits(row, Purpose.DEFINITIVE_ADVICE, dt.date(2027, 3, 24))
        session.add(row)
        main = session.get(Trajectory, track)
        assert main is not None
        main.waiting_for, main.wait_until = WaitingFor.DATE, dt.date(2027, 5, 1)
        session.add(main)
        toelating = TrackRun(
            trajectory_id=track, track="toelating", started_at=T0, flow_run_id=track_run
        )
        _waits(toelating, Purpose.ADMISSION_DECISION, dt.date(2027, 5, 11))
        session.add(toelating)
        finished = session.get(Trajectory, done)
        assert finished is not None
        finished.status, finished.waiting_for = TrajectoryStatus.AFGEROND, WaitingFor.DONE
        session.add(finished)
    return {"late": late, "track": track, "track_run": track_run, "done": done}


def _run(trajectory_id: UUID) -> UUID:
    with session_scope() as session:
        row = session.get(Trajectory, trajectory_id)
        assert row is not None
        assert row.flow_run_id is not None
        return row.flow_run_id


def test_each_school_lists_its_pupils_open_questions(small_cohort: dict[str, UUID]) -> None:
    with session_scope() as session:
        boards = {d.brin: d for d in load_school_dashboards(session, TODAY)}
    assert sorted(boards) == ["99PA", "99PB", "99VA", "99VB"]
    assert boards["99PA"].key == "overstap-school-99pa"

    regenboog = render_school_markdown(boards["99PA"])
    late_link = f"[K7Q2]({UI_URL}/runs/flow-run/{_run(small_cohort['late'])})"
    assert regenboog.splitlines()[0] == "# Overstap PO-VO — OBS De Regenboog (99PA)"
    assert "**OBS De Regenboog (99PA): 1 open vraag, 1 te laat**" in regenboog
    table = [line for line in regenboog.splitlines() if line.startswith("|")]
    assert table[0] == "| Wie | Uiterlijk | Te laat | Code | Stap | Vraag | Cohort |"
    step = get_plan().step_of(Purpose.DEFINITIVE_ADVICE).number
    assert table[2] == (
        f"| intern begeleider PO | 24-03-2027 | ja | {late_link} | {step} "
        "| doorstroomtoets en definitief schooladvies | 2027 |"
    )
    assert len(table) == 3  # the finished pupil P9T3 has nothing open
    assert "P9T3" not in regenboog

    # The admission decision is on the toelating track's run: the PO and the VO school see it.
    track_link = f"[M4R8]({UI_URL}/runs/flow-run/{small_cohort['track_run']})"
    for brin in ("99PB", "99VA"):
        markdown = render_school_markdown(boards[brin])
        rows = [line for line in markdown.splitlines() if line.startswith("| intaker VO")]
        assert rows == [
            f"| intaker VO | 11-05-2027 |  | {track_link} | 21 | toelatingsbesluit van de school "
            "| 2027 |"
        ]
    assert "Geen open vragen." in render_school_markdown(boards["99VB"])

    everything = "".join(render_school_markdown(b) for b in boards.values())
    for name in ("Sanne", "Vries", "Daan", "Bakker", "Finn", "Jansen"):
        assert name not in everything


def test_only_the_schools_asked_for_are_loaded(small_cohort: dict[str, UUID]) -> None:
    from models.reports.schools import schools_of_cohorts

    with session_scope() as session:
        ids = schools_of_cohorts(session, [COHORT])
        assert {d.brin for d in load_school_dashboards(session, TODAY, ids)} == {
            "99PA",
            "99PB",
            "99VA",
        }
        assert schools_of_cohorts(session, [COHORT + 1]) == set()
        assert load_school_dashboards(session, TODAY, set()) == []


def test_artifact_key_of_a_school_is_lowercase() -> None:
    assert school_artifact_key(" 12AB ") == "overstap-school-12ab"
    with pytest.raises(ValueError, match="BRIN"):
        school_artifact_key("12 AB")


def test_cohort_pupil_table_puts_who_when_and_late_first_with_linked_codes(
    small_cohort: dict[str, UUID],
) -> None:
    with session_scope() as session:
        markdown = render_markdown(load_cohort_dashboard(session, COHORT, TODAY))
    pupils = markdown.split("## Leerlingen (3)", 1)[1].split("\n## ", 1)[0]
    table = [line for line in pupils.splitlines() if line.startswith("|")]
    assert table[0] == (
        "| Wie | Uiterlijk | Te laat | Code | Stap | Wacht op | PO-school | Route |"
    )
    late_link = f"[K7Q2]({UI_URL}/runs/flow-run/{_run(small_cohort['late'])})"
    [late_row] = [line for line in table if late_link in line]
    # (Te laat is the cohort dashboard's judgement of the step records, which this hand-made
    # cohort has none of; the school worklist above judges the open question's due date.)
    assert late_row.startswith("| intern begeleider PO | 24-03-2027 |  | [K7Q2](")
    done_link = f"[P9T3]({UI_URL}/runs/flow-run/{_run(small_cohort['done'])})"
    assert any(done_link in line for line in table)
    for name in ("Sanne", "Daan", "Finn"):
        assert name not in markdown
