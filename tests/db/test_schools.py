"""Schools and contacts: the Bijlage III seed and the CSV import (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from models.store.db import session_scope
from models.store.schools import CsvImportError, find_po_school, import_schools_csv, seed_vo_schools
from models.store.tables import AuditEntry, Contact, School

pytestmark = pytest.mark.usefixtures("db")

GOOD = """brin,name,kind,role,contact_name,email
12AB,OBS De Klimop,PO,intern_begeleider_po,Anna Bakker,anna.bakker@example.org
12AB,OBS De Klimop,PO,leerkracht_po,Bert Smit,bert.smit@example.org
34CD,PrO Assen,PRO,intaker_vo,Carla Dekker,carla.dekker@example.org
34CD,PrO Assen,PRO,cvb_pro_vso,Dirk Vos,dirk.vos@example.org
56EF01,CBS Het Anker,PO,,,
"""


def _write(tmp_path: Path, text: str, name: str = "scholen.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _counts() -> tuple[int, int, int]:
    with session_scope() as session:
        return (
            len(session.exec(select(School)).all()),
            len(session.exec(select(Contact)).all()),
            len(session.exec(select(AuditEntry)).all()),
        )


def test_seed_adds_the_fourteen_schools_of_bijlage_iii_once() -> None:
    """Eleven VO schools, PrO Assen and two VSO schools; a second seed adds nothing."""
    with session_scope() as session:
        assert seed_vo_schools(session) == 14
    with session_scope() as session:
        assert seed_vo_schools(session) == 0
        kinds = sorted(s.kind for s in session.exec(select(School)).all())
    assert kinds.count("VO") == 11
    assert kinds.count("PRO") == 1
    assert kinds.count("VSO") == 2


def test_import_creates_schools_and_contacts_and_is_idempotent(tmp_path: Path) -> None:
    """A school without contacts is one row with empty role; importing twice changes nothing."""
    path = _write(tmp_path, GOOD)
    with session_scope() as session:
        seed_vo_schools(session)
    with session_scope() as session:
        result = import_schools_csv(session, path, actor="test")
    # PrO Assen was seeded without a BRIN: the import gives it one instead of a duplicate.
    assert (result.schools_created, result.schools_updated, result.contacts_created) == (2, 1, 4)
    with session_scope() as session:
        pro = session.exec(select(School).where(School.name == "PrO Assen")).one()
        assert pro.brin == "34CD"
        assert find_po_school(session, "obs de klimop").brin == "12AB"
        assert find_po_school(session, "56ef01").name == "CBS Het Anker"
    before = _counts()
    with session_scope() as session:
        again = import_schools_csv(session, path, actor="test")
    assert (again.schools_created, again.contacts_created, again.contacts_updated) == (0, 0, 0)
    assert _counts()[:2] == before[:2]


def test_import_updates_a_contact_name(tmp_path: Path) -> None:
    with session_scope() as session:
        import_schools_csv(session, _write(tmp_path, GOOD), actor="test")
    renamed = GOOD.replace("Anna Bakker", "Anna de Bakker-Jansen")
    with session_scope() as session:
        result = import_schools_csv(session, _write(tmp_path, renamed, "b.csv"), actor="test")
    assert result.contacts_updated == 1
    with session_scope() as session:
        contact = session.exec(
            select(Contact).where(Contact.email == "anna.bakker@example.org")
        ).one()
    assert contact.name == "Anna de Bakker-Jansen"


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("1234,OBS X,PO,,,", "regel 3: brin '1234' is geen BRIN-nummer"),
        ("99ZZ,OBS X,BAO,,,", "regel 3: kind 'BAO' moet PO, VO, PRO of VSO zijn"),
        (
            "99ZZ,OBS X,PO,intaker_vo,Piet,piet@example.org",
            "rol 'intaker_vo' hoort niet bij een PO-school",
        ),
        (
            "99ZZ,OBS X,PO,leerkracht_po,Piet,piet-at-example.org",
            "e-mailadres 'piet-at-example.org' is ongeldig",
        ),
        ("99ZZ,OBS X,PO,cva,Piet,piet@example.org", "rol 'cva' hoort niet bij een PO-school"),
        ("12AB,OBS Andere Naam,PO,,,", "BRIN 12AB staat op regel 2 met een andere naam"),
        ("99ZZ,,PO,,,", "name is leeg"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    tmp_path: Path, bad_row: str, message: str
) -> None:
    lines = GOOD.splitlines()
    text = "\n".join([lines[0], lines[1], bad_row, *lines[2:]]) + "\n"
    with pytest.raises(CsvImportError) as info, session_scope() as session:
        import_schools_csv(session, _write(tmp_path, text), actor="test")
    assert any(message in error for error in info.value.errors), info.value.errors
    assert _counts() == (0, 0, 0)


def test_missing_column_and_semicolons(tmp_path: Path) -> None:
    """Excel's semicolon CSV is read; a missing column is named."""
    with (
        pytest.raises(CsvImportError, match="kolommen ontbreken: email"),
        session_scope() as session,
    ):
        import_schools_csv(
            session, _write(tmp_path, "brin,name,kind,role,contact_name\n"), actor="test"
        )
    semicolons = GOOD.replace(",", ";")
    with session_scope() as session:
        result = import_schools_csv(session, _write(tmp_path, semicolons, "s.csv"), actor="test")
    assert result.contacts_created == 4
