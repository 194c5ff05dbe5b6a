"""Schools and contacts: the Bijlage III seed and the CSV import (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from models.store.db import session_scope
from models.store.schools import (
    CsvImportError,
    find_po_school,
    find_school,
    import_schools_csv,
    list_schools,
    seed_vo_schools,
)
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


def test_a_school_is_found_by_a_unique_part_of_its_name(tmp_path: Path) -> None:
    """BRIN, the whole name or a part only one school has, in any case; otherwise a Dutch
    message that lists the candidates or suggests a close name."""
    with session_scope() as session:
        seed_vo_schools(session)
        import_schools_csv(session, _write(tmp_path, GOOD), actor="test")
    with session_scope() as session:
        assert find_po_school(session, "klimop").brin == "12AB"
        assert find_po_school(session, "  HET ANKER ").brin == "56EF01"
        assert find_school(session, "pro assen").name == "PrO Assen"
        assert find_school(session, "34cd").name == "PrO Assen"
        with pytest.raises(LookupError) as ambiguous:
            find_po_school(session, "e")  # in both PO names
        assert str(ambiguous.value) == (
            "'e' past bij meer dan één PO-school: CBS Het Anker (56EF01); OBS De Klimop (12AB). "
            "Geef meer van de naam of het BRIN-nummer"
        )
        with pytest.raises(
            LookupError,
            match=r"^PO-school 'Klimmop' is onbekend; bedoelt u OBS De Klimop \(12AB\)\?$",
        ):
            find_po_school(session, "Klimmop")
        with pytest.raises(LookupError, match="'overstap schools list' toont de scholen"):
            find_po_school(session, "Zonnebloem")
        with pytest.raises(LookupError, match="school '34CD' is geen PO-school maar PRO"):
            find_po_school(session, "34CD")
        assert find_school(session, "liefland").name == "VSO W.A. van Liefland"
        with pytest.raises(LookupError, match="'assen' past bij meer dan één school: PrO Assen"):
            find_school(session, "assen")  # PrO Assen and Terra Assen


def test_schools_are_listed_with_their_contacts_per_role(tmp_path: Path) -> None:
    with session_scope() as session:
        seed_vo_schools(session)
        import_schools_csv(session, _write(tmp_path, GOOD), actor="test")
    with session_scope() as session:
        listed = list_schools(session)
    assert [(s.kind, s.name) for s in listed[:3]] == [
        ("PO", "CBS Het Anker"),
        ("PO", "OBS De Klimop"),
        ("VO", listed[2].name),
    ]
    klimop = listed[1]
    assert klimop.as_json() == {
        "brin": "12AB",
        "name": "OBS De Klimop",
        "kind": "PO",
        "contacts": [  # in the order of the roles, not of the file
            {"role": "leerkracht_po", "name": "Bert Smit", "email": "bert.smit@example.org"},
            {
                "role": "intern_begeleider_po",
                "name": "Anna Bakker",
                "email": "anna.bakker@example.org",
            },
        ],
    }
    assert listed[0].contacts == ()
    pro = next(s for s in listed if s.name == "PrO Assen")
    assert [role.value for role, _, _ in pro.contacts] == ["intaker_vo", "cvb_pro_vso"]
    assert len(listed) == 16  # 14 seeded (one of them got its BRIN from the file) + 2 PO


def test_roles_are_read_in_any_case_and_a_wrong_one_lists_the_roles(tmp_path: Path) -> None:
    upper = GOOD.replace("intern_begeleider_po", "Intern_Begeleider_PO")
    with session_scope() as session:
        result = import_schools_csv(session, _write(tmp_path, upper), actor="test")
    assert result.contacts_created == 4
    with session_scope() as session:
        roles = {c.role for c in session.exec(select(Contact)).all()}
    assert "intern_begeleider_po" in roles
    bad = GOOD + "78GH,OBS De Linde,PO,rector,Piet,piet@example.org\n"
    bad += "78GH,OBS De Linde,PO,mentor,Piet,piet@example.org\n"
    with pytest.raises(CsvImportError) as info, session_scope() as session:
        import_schools_csv(session, _write(tmp_path, bad, "bad.csv"), actor="test")
    assert info.value.errors == [
        "regel 7: rol 'rector' bestaat niet (rollen: PO: leerkracht_po, intern_begeleider_po, "
        "directie_po; VO: intaker_vo, mentor; PRO/VSO: intaker_vo, mentor, cvb_pro_vso)",
        "regel 8: rol 'mentor' hoort niet bij een PO-school (een PO-school kent leerkracht_po, "
        "intern_begeleider_po, directie_po)",
    ]
