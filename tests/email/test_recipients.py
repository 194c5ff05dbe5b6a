"""Who receives an email for a role: PO and VO contacts, the CvA, the coordinator, the gaps."""

from __future__ import annotations

import pytest

from models.cases.view import load_view
from models.enums import Role
from models.mail.recipients import MissingReason, coordinator, resolve_recipients
from models.settings import get_settings, reset_settings
from models.store.db import session_scope
from models.store.tables import Contact
from tests.email.conftest import CVA, Region, set_vo_school


def _resolve(region: Region, *roles: Role):  # type: ignore[no-untyped-def]
    with session_scope() as session:
        view = load_view(session, region.trajectory_id)
        assert view is not None
        return resolve_recipients(session, view, roles)


def test_po_roles_reach_the_contacts_of_the_pupils_po_school(region: Region) -> None:
    """Leerkracht, ib and directie come from the PO school; addresses are lowercased."""
    result = _resolve(region, Role.LEERKRACHT_PO, Role.INTERN_BEGELEIDER_PO, Role.DIRECTIE_PO)
    assert [(r.email, r.roles, r.school) for r in result.to] == [
        ("anouk.visser@example.org", (Role.LEERKRACHT_PO,), "OBS De Regenboog"),
        ("ingrid.mulder@example.org", (Role.INTERN_BEGELEIDER_PO,), "OBS De Regenboog"),
        ("peter.deboer@example.org", (Role.DIRECTIE_PO,), "OBS De Regenboog"),
    ]
    assert result.missing == []


def test_vo_roles_are_missing_until_the_vo_school_is_known(region: Region) -> None:
    """Before a VO school is chosen the intaker has no address; afterwards the school's does."""
    before = _resolve(region, Role.INTAKER_VO, Role.MENTOR)
    assert before.to == []
    assert [(m.role, m.reason) for m in before.missing] == [
        (Role.INTAKER_VO, MissingReason.NO_VO_SCHOOL),
        (Role.MENTOR, MissingReason.NO_VO_SCHOOL),
    ]
    set_vo_school(region.trajectory_id, region.vo)
    after = _resolve(region, Role.INTAKER_VO, Role.MENTOR)
    assert [(r.name, r.email) for r in after.to] == [
        ("Femke Smit", "femke.smit@example.org"),
        ("Ruben Bos", "ruben.bos@example.org"),
    ]
    assert after.missing == []


def test_cvb_of_a_pro_school_is_reached_through_that_school(region: Region) -> None:
    """On the PRO route the CvB and the intaker are the PRO school's contacts."""
    set_vo_school(region.trajectory_id, region.pro)
    result = _resolve(region, Role.CVB_PRO_VSO, Role.INTAKER_VO)
    assert [r.email for r in result.to] == [
        "karin.dijkstra@example.org",
        "lisa.postma@example.org",
    ]


def test_a_role_without_contact_at_a_known_school_is_missing_with_the_school(
    region: Region,
) -> None:
    """A VO school without an intaker: reported, naming the school, not skipped."""
    set_vo_school(region.trajectory_id, region.bare_vo)
    result = _resolve(region, Role.INTAKER_VO)
    assert result.to == []
    assert result.missing_roles == [Role.INTAKER_VO]
    assert result.missing[0].reason == MissingReason.NO_CONTACT
    assert result.missing[0].explanation == "geen contactpersoon met deze rol bij Esdal College"


def test_cva_uses_its_configured_address_and_is_missing_without_one(
    region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CvA has its own address in the settings, not a school contact."""
    configured = _resolve(region, Role.CVA)
    assert [(r.name, r.email, r.roles) for r in configured.to] == [
        ("Commissie van Advies", CVA, (Role.CVA,))
    ]
    monkeypatch.setenv("OVERSTAP_CVA_EMAIL", "")
    reset_settings()
    unconfigured = _resolve(region, Role.CVA)
    assert unconfigured.to == []
    assert [(m.role, m.reason) for m in unconfigured.missing] == [
        (Role.CVA, MissingReason.NOT_CONFIGURED)
    ]


def test_parents_and_pupil_are_informed_by_the_school_not_missing(region: Region) -> None:
    """Ouders and leerling have no address in Overstap; that is no gap to report."""
    result = _resolve(region, Role.OUDERS, Role.LEERLING, Role.LEERKRACHT_PO)
    assert result.via_school == [Role.OUDERS, Role.LEERLING]
    assert result.missing == []
    assert [r.email for r in result.to] == ["anouk.visser@example.org"]


def test_one_person_with_two_roles_gets_one_recipient(region: Region) -> None:
    """A small school's ib who is also directie is one address holding both roles."""
    with session_scope() as session:
        session.add(
            Contact(
                school_id=region.po.id,
                role="directie_po",
                name="Ingrid Mulder",
                email="ingrid.mulder@example.org",
            )
        )
    result = _resolve(region, Role.INTERN_BEGELEIDER_PO, Role.DIRECTIE_PO)
    assert [(r.email, r.roles) for r in result.to] == [
        ("ingrid.mulder@example.org", (Role.INTERN_BEGELEIDER_PO, Role.DIRECTIE_PO)),
        ("peter.deboer@example.org", (Role.DIRECTIE_PO,)),
    ]


def test_coordinator_is_the_configured_address(
    region: Region, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Naam <adres>' and a bare address both work; nothing configured means None."""
    monkeypatch.setenv("OVERSTAP_COORDINATOR_EMAIL", "Mieke Jansen <Mieke@SWV.example.org>")
    reset_settings()
    boss = coordinator(get_settings())
    assert boss is not None
    assert (boss.name, boss.email, boss.role) == ("Mieke Jansen", "mieke@swv.example.org", None)
    monkeypatch.setenv("OVERSTAP_COORDINATOR_EMAIL", "")
    reset_settings()
    assert coordinator(get_settings()) is None
