"""Retention and backups: personal data goes after its term, the evaluation keeps its figures;
a backup brings the database back as it was."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
import sqlalchemy as sa
from sqlmodel import select

from deployments.demo import NIET_IN_PLAN, PRO_TOEGELATEN, REGULIER, Overrides, answer_source
from models.cases.enrolment import CheckedEnrollment, enroll
from models.cases.retention import purge_candidates, purge_date, purge_due
from models.cases.view import load_views
from models.plan.library import get_plan
from models.reports.evaluation import cohort_figures, load_tlv_requests
from models.reports.export import export_columns, export_rows, step_numbers
from models.store.backup import backup, restore
from models.store.clock import now, pinned
from models.store.db import get_engine, session_scope
from models.store.schools import seed_vo_schools
from models.store.tables import Answer, AuditEntry, Pupil, School
from models.walk.offline import walk_without_prefect

PUPILS: tuple[tuple[str, str, Overrides], ...] = (
    ("Wietske", "Zandstra", REGULIER),
    ("Ymke", "Terpstra", PRO_TOEGELATEN),
    ("Sjoerd", "Kooistra", NIET_IN_PLAN),
    ("Hylke", "Bergsma", REGULIER),  # still active: walked only to February of groep 8
)
SCREENING = {"dle_begrijpend_lezen": 31, "iq": 83, "sociaal_emotioneel": True}


def _cohort() -> dict[str, UUID]:
    """Four pupils of cohort 2027, walked without Prefect; the last one is still active."""
    with session_scope() as session:
        seed_vo_schools(session)
        school = School(brin="12AB", name="OBS De Klimop", kind="PO", created_at=now())
        session.add(school)
    ids = {}
    for first, last, overrides in PUPILS:
        with session_scope() as session, pinned(date(2025, 9, 1)):
            school = session.exec(select(School).where(School.brin == "12AB")).one()
            checked = CheckedEnrollment(first, last, date(2014, 2, 3), school, 7, 2027, 8)
            ids[first] = enroll(session, checked, plan=get_plan(), actor="test").id
        until = date(2027, 2, 1) if first == "Hylke" else date(2028, 1, 1)
        answers = answer_source({**overrides, "screening": SCREENING})
        walk_without_prefect(ids[first], answers=answers, until=until)
    return ids


def _evaluation() -> tuple[object, list[dict[str, str]]]:
    with session_scope() as session:
        views = load_views(session)
        requests = load_tlv_requests(session)
    rows = export_rows(views, 2027, with_names=False, tlv_requests=requests)
    return cohort_figures(views, 2027, requests), rows


@pytest.mark.usefixtures("db")
def test_purge_waits_for_the_end_of_the_school_year_then_keeps_only_the_evaluation() -> None:
    """A trajectory stopped in groep 7 is purged from 1 August after that school year; those
    that ended in November of the brugklas from 1 August 2028; an active one never. The export
    and the evaluation figures are the same before and after; no name, birth date, typed text,
    IQ or answering person is left; the purge is in the audit log."""
    ids = _cohort()
    stopped_on = date(2026, 1, 1)  # definitive selection 'nee' in January of groep 7
    assert purge_date(stopped_on) == date(2026, 8, 1)
    with session_scope() as session:
        early = purge_candidates(session, date(2028, 7, 31))
        late = purge_candidates(session, date(2028, 8, 1))
    assert [c.code for c in early] == [_code(ids["Sjoerd"])]
    assert {c.code for c in late} == {_code(ids[n]) for n in ("Wietske", "Ymke", "Sjoerd")}
    assert all(c.purge_on == date(2028, 8, 1) for c in late if c.status == "afgerond")

    figures_before, export_before = _evaluation()
    with session_scope() as session:
        purged = purge_due(session, date(2028, 8, 1), actor="test")
    assert len(purged) == 3
    figures_after, export_after = _evaluation()
    assert figures_after == figures_before
    assert export_after == export_before
    assert list(export_after[0]) == export_columns(
        with_names=False, steps=step_numbers(_views(), 2027)
    )

    with session_scope() as session:
        pupils = {p.id: p for p in session.exec(select(Pupil))}
        views = {v.trajectory.id: v for v in load_views(session)}
        answers = session.exec(select(Answer)).all()
        purges = session.exec(
            select(AuditEntry).where(AuditEntry.action == "persoonsgegevens_verwijderd")
        ).all()
    for name in ("Wietske", "Ymke", "Sjoerd"):
        pupil = pupils[views[ids[name]].pupil.id]
        assert (pupil.first_name, pupil.last_name, pupil.birth_date) == ("", "", None)
        assert pupil.purged_at is not None
        assert views[ids[name]].pupil_label == "(gegevens verwijderd)"
    active = pupils[views[ids["Hylke"]].pupil.id]
    assert (active.first_name, active.birth_date, active.purged_at) == (
        "Hylke",
        date(2014, 2, 3),
        None,
    )
    for answer in answers:
        if answer.trajectory_id == ids["Hylke"]:
            continue
        assert answer.answered_by == ""
        assert "beantwoord_door" not in answer.payload
        assert "iq" not in answer.payload
        assert "dle_begrijpend_lezen" not in answer.payload
    assert sorted(e.detail["code"] for e in purges) == sorted(
        _code(ids[n]) for n in ("Wietske", "Ymke", "Sjoerd")
    )
    assert _text_containing(["Wietske", "Zandstra", "Terpstra", "Sjoerd", "Kooistra"]) == []
    assert _text_containing(["Hylke"]) != []  # the active pupil keeps everything
    with session_scope() as session:
        assert purge_due(session, date(2030, 1, 1), actor="test") == []  # nothing twice


def _views() -> list[object]:
    with session_scope() as session:
        return list(load_views(session))


def _code(trajectory_id: UUID) -> str:
    with session_scope() as session:
        view = next(v for v in load_views(session) if v.trajectory.id == trajectory_id)
    return view.trajectory.code


def _text_containing(needles: list[str]) -> list[str]:
    """Every (table, column) whose text anywhere contains one of `needles`."""
    found = []
    with get_engine().connect() as connection:
        for table in _tables():
            for row in connection.execute(sa.select(table)).mappings():
                for column, value in row.items():
                    text = str(value)
                    if any(n in text for n in needles):
                        found.append(f"{table.name}.{column}")
    return sorted(set(found))


def _tables() -> list[sa.Table]:
    from sqlmodel import SQLModel

    return list(SQLModel.metadata.sorted_tables)


@pytest.mark.usefixtures("db")
def test_a_backup_brings_the_database_back(tmp_path: Path) -> None:
    """After a backup, a new school and a purge; restoring the backup brings back the data of
    the moment of the backup, and the audit log records the restore."""
    ids = _cohort()
    target = tmp_path / "overstap.backup"
    message = backup(target)
    assert str(target) in message
    assert target.stat().st_size > 0
    with session_scope() as session:
        session.add(School(brin="99ZZ", name="Na de backup", kind="PO", created_at=now()))
        purge_due(session, date(2028, 8, 1), actor="test")
    restore(target)
    with session_scope() as session:
        names = {s.name for s in session.exec(select(School))}
        pupils = {p.first_name for p in session.exec(select(Pupil))}
        restores = session.exec(
            select(AuditEntry).where(AuditEntry.action == "backup_teruggezet")
        ).all()
    assert "Na de backup" not in names
    assert pupils == {first for first, _, _ in PUPILS}
    assert [e.detail for e in restores] == [{"bestand": "overstap.backup"}]
    assert len(ids) == 4
