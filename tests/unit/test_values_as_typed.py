"""Values as people type them on the command line: dates, roles and routes, in any case."""

from __future__ import annotations

import re
from datetime import date

import pytest

from deployments.cli import clock_summary
from models.dutch import parse_date
from models.enums import Role, Route, school_roles_text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2027-03-25", date(2027, 3, 25)),
        (" 2027-3-5 ", date(2027, 3, 5)),
        ("25-03-2027", date(2027, 3, 25)),
        ("5-3-2027", date(2027, 3, 5)),
    ],
)
def test_a_date_is_iso_or_day_month_year(typed: str, expected: date) -> None:
    assert parse_date(typed) == expected


@pytest.mark.parametrize(
    "typed", ["2027/03/25", "25.03.2027", "03-25-2027", "31-02-2027", "", "mei"]
)
def test_anything_else_is_not_a_date(typed: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(typed.strip())}$"):
        parse_date(typed)


def test_roles_and_routes_in_any_case() -> None:
    assert Role.parse("Intaker_VO") == Role.INTAKER_VO
    assert Role.parse("intaker VO") == Role.INTAKER_VO  # its label
    assert Role.parse("CvB PRO/VSO") == Role.CVB_PRO_VSO
    assert Role.parse(" CVA ") == Role.CVA
    assert Route.parse("PRO") == Route.PRO
    assert Route.parse("Regulier") == Route.REGULIER
    with pytest.raises(ValueError, match=r"rol 'rector' bestaat niet \(kies uit leerkracht_po, "):
        Role.parse("rector")
    with pytest.raises(
        ValueError, match=r"route 'havo' bestaat niet \(kies uit onbekend, regulier"
    ):
        Route.parse("havo")


def test_the_roles_of_each_kind_of_school() -> None:
    assert school_roles_text() == (
        "PO: leerkracht_po, intern_begeleider_po, directie_po; VO: intaker_vo, mentor; "
        "PRO/VSO: intaker_vo, mentor, cvb_pro_vso"
    )


def test_the_clock_summarises_in_one_dutch_line() -> None:
    day = date(2027, 11, 1)
    counts = {"actief": 2, "hersteld": 1, "verstuurd": 19, "dashboards": 2, "gewekt": 0}
    assert clock_summary(day, counts) == (
        "Klok 1 november 2027: 2 actieve trajecten, 1 hersteld, 19 e-mails verstuurd, "
        "2 dashboards ververst."
    )
    assert clock_summary(day, {"actief": 1, "herinnerd": 1, "fouten": 1}) == (
        "Klok 1 november 2027: 1 actief traject, 1 herinnering, 1 traject overgeslagen door een "
        "fout."
    )
    assert clock_summary(day, {}) == "Klok 1 november 2027: 0 actieve trajecten."
    # A count the summary has no words for yet is still shown, not dropped.
    assert clock_summary(day, {"actief": 3, "nieuwe_teller": 4}).endswith(", nieuwe teller: 4.")
