"""Screening for LWOO and PRO (Bijlage II): DL table, leerachterstand, boundaries, target group."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.datafiles import PlanFileError
from models.terms.screening import (
    DIDACTIC_AGE_FILE,
    Domain,
    TargetGroup,
    classify,
    didactic_age,
    load_didactic_ages,
)

DL = 60  # end of groep 8: LA 0.25 is DLE 45, LA 0.50 is DLE 30
BL, TL, SP, IR = (
    Domain.BEGRIJPEND_LEZEN,
    Domain.TECHNISCH_LEZEN,
    Domain.SPELLEN,
    Domain.INZICHTELIJK_REKENEN,
)
NO_DELAY = 60.0


def _dle(**la_by_domain: float) -> dict[Domain, float]:
    """DLE per domain for DL 60 from the wanted LA (domains not named have no achterstand)."""
    wanted = {BL: NO_DELAY, TL: NO_DELAY, SP: NO_DELAY, IR: NO_DELAY}
    for name, value in la_by_domain.items():
        wanted[Domain(name)] = value
    return wanted


LWOO_PATTERN = _dle(begrijpend_lezen=45, spellen=45)  # LA 0.25 on BL and SP
PRO_PATTERN = _dle(begrijpend_lezen=30, inzichtelijk_rekenen=30)  # LA 0.50 on BL and IR


# --- didactische leeftijd -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("groep", "month", "dl"),
    [
        (3, 8, 0),  # August before groep 3: no education yet
        (3, 9, 1),
        (3, 6, 10),
        (4, 8, 10),
        (6, 2, 36),
        (7, 10, 42),
        (8, 1, 55),  # januari groep 8, the M-toets
        (8, 6, 60),
        (8, 7, 60),
    ],
)
def test_didactic_age_counts_ten_months_per_school_year_from_groep_3(
    groep: int, month: int, dl: int
) -> None:
    """September is month 1, June month 10, July counts as June, August as 0 of the new groep."""
    assert didactic_age(groep, month) == dl


def test_the_dl_table_follows_its_documented_rule_everywhere() -> None:
    """All 72 entries of the data file equal (groep - 3) * 10 + the month of the school year."""
    school_month = {8: 0, 9: 1, 10: 2, 11: 3, 12: 4, 1: 5, 2: 6, 3: 7, 4: 8, 5: 9, 6: 10, 7: 10}
    table = load_didactic_ages(DIDACTIC_AGE_FILE)
    assert len(table) == 72
    for (groep, month), dl in table.items():
        assert dl == (groep - 3) * 10 + school_month[month], (groep, month)


@pytest.mark.parametrize(("groep", "month"), [(2, 1), (9, 1), (8, 0), (8, 13)])
def test_didactic_age_outside_groep_3_to_8_or_months_1_to_12_is_refused(
    groep: int, month: int
) -> None:
    """There is no DL before groep 3 or after groep 8, and a month is 1 to 12."""
    with pytest.raises(ValueError, match=r"groep 3 tot en met 8|maand is een getal"):
        didactic_age(groep, month)


def _dl_file(tmp_path: Path, changes: dict[str, str] | None = None, extra: str = "") -> Path:
    text = DIDACTIC_AGE_FILE.read_text(encoding="utf-8")
    for old, new in (changes or {}).items():
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "dl.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line == needle]
    return lines[occurrence - 1]


def test_a_decreasing_dl_is_refused_with_its_line(tmp_path: Path) -> None:
    """A typo that makes the DL go down is caught where it is."""
    path = _dl_file(tmp_path, {"januari = 55": "januari = 45"})
    with pytest.raises(PlanFileError) as caught:
        load_didactic_ages(path)
    assert caught.value.line == _line_of(path, "januari = 45", occurrence=2)  # groep 7 has 45 too
    assert "DL 45 is kleiner dan 54 (groep 8, december)" in caught.value.reason


@pytest.mark.parametrize(
    ("changes", "extra", "needle", "reason"),
    [
        ({"juli = 60": "juli = 60.0"}, "", "juli = 60.0", "geheel getal"),
        ({"juli = 60": "juli = true"}, "", "juli = true", "geheel getal"),
        ({"juli = 60": "jul = 60"}, "", "jul = 60", "onbekende maand 'jul'"),
        ({}, "\n[groep.9]\naugustus = 60\n", "[groep.9]", "onbekende groep '9'"),
        ({"[groep.3]": "versie = 1\n\n[groep.3]"}, "", "versie = 1", "onbekende sleutel 'versie'"),
        ({"\nmei = 59\n": "\n"}, "", "[groep.8]", "groep 8: 'mei' ontbreekt"),
    ],
)
def test_a_malformed_dl_file_is_refused_with_line_and_reason(
    tmp_path: Path, changes: dict[str, str], extra: str, needle: str, reason: str
) -> None:
    """Like the plan files: the error names the file, the line and what is wrong."""
    path = _dl_file(tmp_path, changes, extra)
    with pytest.raises(PlanFileError) as caught:
        load_didactic_ages(path)
    assert caught.value.path == path
    assert caught.value.line == _line_of(path, needle)
    assert reason in caught.value.reason


def test_a_dl_file_without_a_groep_is_refused(tmp_path: Path) -> None:
    """Every groep 3 to 8 must be there."""
    text = DIDACTIC_AGE_FILE.read_text(encoding="utf-8")
    path = tmp_path / "dl.toml"
    path.write_text(text[: text.index("[groep.8]")], encoding="utf-8")
    with pytest.raises(PlanFileError, match=r"\[groep\.8\] ontbreekt"):
        load_didactic_ages(path)


# --- leerachterstand ------------------------------------------------------------------------------


def test_la_is_dl_minus_dle_over_dl_per_domain() -> None:
    """DL 55 (januari groep 8): DLE 41.25 is LA 0.25, DLE 27.5 is 0.50, DLE 55 is 0, DLE 60 is
    a negative LA (ahead, allowed)."""
    result = classify(55, {BL: 41.25, TL: 27.5, SP: 55, IR: 60})
    assert result.la_per_domain == {BL: 0.25, TL: 0.5, SP: 0.0, IR: pytest.approx(-5 / 55)}
    assert result.dl == 55


def test_la_texts_are_cut_off_not_rounded() -> None:
    """LA 0.2483 (DLE 45.1) is shown as 0,24, not as 0,25: a text never shows a boundary the value
    did not reach."""
    result = classify(DL, _dle(begrijpend_lezen=45.1))
    assert result.reasons[0] == (
        "Leerachterstand (DL 60): begrijpend lezen 0,24; technisch lezen 0,00; spellen 0,00; "
        "inzichtelijk rekenen 0,00."
    )


def test_domain_keys_may_be_strings() -> None:
    """'begrijpend_lezen' and Domain.BEGRIJPEND_LEZEN are the same domain."""
    as_strings = classify(DL, {"begrijpend_lezen": 45, "spellen": 45}, iq=85)
    assert as_strings.target_group == TargetGroup.LWOO
    assert as_strings.la_per_domain == {BL: 0.25, SP: 0.25}


# --- the LA boundaries ----------------------------------------------------------------------------


def test_la_exactly_025_is_in_the_lwoo_range_and_just_below_is_not() -> None:
    """'0,25 tot 0,50' includes 0.25: two domains at 0.25 with IQ 85 is LWOO; at 0.2483 geen."""
    assert classify(DL, LWOO_PATTERN, iq=85).target_group == TargetGroup.LWOO
    just_below = _dle(begrijpend_lezen=45.1, spellen=45.1)
    result = classify(DL, just_below, iq=85)
    assert result.target_group == TargetGroup.GEEN
    assert "minstens twee domeinen nodig" in result.reasons[1]


def test_la_exactly_050_is_in_the_pro_range_and_just_below_is_lwoo() -> None:
    """'0,50 of meer' includes 0.50. IQ 78 fits both groups: LA 0.50 on two domains is PRO,
    LA 0.4983 is LWOO, both noted as overgangsgebied."""
    at = classify(DL, PRO_PATTERN, iq=78)
    below = classify(DL, _dle(begrijpend_lezen=30.1, inzichtelijk_rekenen=30.1), iq=78)
    assert at.target_group == TargetGroup.PRO
    assert below.target_group == TargetGroup.LWOO
    assert any("overgangsgebied" in reason for reason in at.reasons)
    assert any("overgangsgebied" in reason for reason in below.reasons)


# --- the IQ boundaries ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iq", "group"),
    [
        (54, TargetGroup.GEEN),
        (55, TargetGroup.PRO),
        (75, TargetGroup.PRO),
        (80, TargetGroup.PRO),
        (81, TargetGroup.GRENSGEBIED),
        (120, TargetGroup.GRENSGEBIED),
    ],
)
def test_pro_needs_an_iq_from_55_to_80(iq: int, group: TargetGroup) -> None:
    """With LA 0.50 on begrijpend lezen and rekenen: IQ 55 and 80 are PRO, 54 is outside both
    groups, 81 and up is the grensgebied PRO-VMBO."""
    assert classify(DL, PRO_PATTERN, iq=iq).target_group == group


@pytest.mark.parametrize(
    ("iq", "social_emotional", "group"),
    [
        (54, False, TargetGroup.GEEN),
        (55, False, TargetGroup.GRENSGEBIED),
        (74, False, TargetGroup.GRENSGEBIED),
        (75, False, TargetGroup.LWOO),
        (80, False, TargetGroup.LWOO),
        (90, False, TargetGroup.LWOO),
        (91, False, TargetGroup.GEEN),
        (91, True, TargetGroup.LWOO),
        (120, True, TargetGroup.LWOO),
        (120, False, TargetGroup.GEEN),
        (121, True, TargetGroup.GEEN),
    ],
)
def test_lwoo_needs_an_iq_from_75_to_90_or_91_to_120_with_social_emotional_problems(
    iq: int, social_emotional: bool, group: TargetGroup
) -> None:
    """With LA 0.25 on begrijpend lezen and spellen: 75-90 is LWOO; 91-120 only with
    leerbelemmerende sociaal-emotionele problematiek; below 75 in the PRO range is grensgebied."""
    result = classify(DL, LWOO_PATTERN, iq=iq, social_emotional_problems=social_emotional)
    assert result.target_group == group


def test_iq_75_to_80_is_named_overgangsgebied() -> None:
    """IQ 75 in the LWOO area is LWOO with a note; IQ 81 gets no such note."""
    assert "IQ 75 ligt in het overgangsgebied (75 tot en met 80) tussen LWOO en PRO." in (
        classify(DL, LWOO_PATTERN, iq=75).reasons
    )
    assert not any("overgangsgebied" in r for r in classify(DL, LWOO_PATTERN, iq=81).reasons)


def test_pro_range_without_iq_is_grensgebied_and_an_iq_test_may_be_ordered() -> None:
    """LA in the PRO range but no IQ known: grensgebied, and the commissie may order a test."""
    result = classify(DL, PRO_PATTERN)
    assert result.target_group == TargetGroup.GRENSGEBIED
    assert result.iq_test_suggested
    assert "intelligentieonderzoek laten doen" in result.reasons[-1]


def test_lwoo_range_without_iq_is_lwoo() -> None:
    """The IQ criterion only applies when an intelligence test was done."""
    result = classify(DL, LWOO_PATTERN)
    assert result.target_group == TargetGroup.LWOO
    assert not result.iq_test_suggested


# --- two of four domains, one of them begrijpend lezen or rekenen ---------------------------------


def test_technisch_lezen_with_spellen_alone_is_not_enough() -> None:
    """LA 0.40 on technisch lezen and spellen, none on begrijpend lezen and rekenen: geen."""
    result = classify(DL, _dle(technisch_lezen=36, spellen=36), iq=85)
    assert result.target_group == TargetGroup.GEEN
    assert result.reasons[1] == (
        "Leerachterstand van 0,25 of meer op technisch lezen en spellen, maar niet op "
        "begrijpend lezen of inzichtelijk rekenen: dat is niet genoeg voor het LWOO-gebied."
    )


def test_technisch_lezen_with_spellen_alone_is_not_enough_for_pro_either() -> None:
    """LA 0.60 on technisch lezen and spellen with IQ 70: neither PRO nor LWOO."""
    result = classify(DL, _dle(technisch_lezen=24, spellen=24), iq=70)
    assert result.target_group == TargetGroup.GEEN


@pytest.mark.parametrize(
    "pair",
    [
        {"begrijpend_lezen": 40, "technisch_lezen": 40},
        {"inzichtelijk_rekenen": 40, "spellen": 40},
        {"begrijpend_lezen": 40, "inzichtelijk_rekenen": 40},
    ],
)
def test_either_begrijpend_lezen_or_rekenen_with_any_other_domain_is_enough(
    pair: dict[str, float],
) -> None:
    """Two domains at LA 0.33, one of them begrijpend lezen or inzichtelijk rekenen: LWOO."""
    assert classify(DL, _dle(**pair), iq=85).target_group == TargetGroup.LWOO


def test_one_domain_alone_is_not_enough() -> None:
    """LA 0.60 on begrijpend lezen only, with IQ 70: geen."""
    assert classify(DL, _dle(begrijpend_lezen=24), iq=70).target_group == TargetGroup.GEEN


def test_a_pro_range_domain_counts_for_the_lwoo_pattern() -> None:
    """LA 0.60 on begrijpend lezen and 0.30 on spellen, IQ 85: LWOO (0.60 is also 0.25 or more)."""
    result = classify(DL, _dle(begrijpend_lezen=24, spellen=42), iq=85)
    assert result.target_group == TargetGroup.LWOO


def test_the_pro_pattern_also_needs_begrijpend_lezen_or_rekenen() -> None:
    """LA 0.60 on technisch lezen and spellen, 0.30 on begrijpend lezen, IQ 85: not the PRO area
    (no key domain at 0.50), but the LWOO area."""
    result = classify(DL, _dle(technisch_lezen=24, spellen=24, begrijpend_lezen=42), iq=85)
    assert result.target_group == TargetGroup.LWOO
    assert "maar niet op begrijpend lezen of inzichtelijk rekenen" in result.reasons[1]


def test_missing_domains_are_named() -> None:
    """Domains without a test result are listed and do not count."""
    result = classify(DL, {BL: 45, IR: 45}, iq=85)
    assert result.target_group == TargetGroup.LWOO
    assert "Geen toetsgegevens voor technisch lezen en spellen." in result.reasons


# --- invalid input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dl", "dle", "iq", "message"),
    [
        (0, {"spellen": 10}, None, "didactische leeftijd \\(DL\\) moet een geheel getal boven 0"),
        (-5, {"spellen": 10}, None, "boven 0"),
        (55, {"spellen": -1}, None, "DLE voor spellen kan niet negatief zijn"),
        (55, {"rekenen": 30}, None, "Onbekend domein 'rekenen'"),
        (55, {}, None, "minstens één domein"),
        (55, {"spellen": float("nan")}, None, "moet een getal zijn"),
        (55, {"spellen": 30}, 29, "IQ is een geheel getal van 30 tot en met 200"),
        (55, {"spellen": 30}, 201, "IQ is een geheel getal van 30 tot en met 200"),
    ],
)
def test_invalid_input_is_refused_in_dutch(
    dl: int, dle: dict[str, float], iq: int | None, message: str
) -> None:
    """DL of 0 or less, a negative DLE, an unknown domain, no domain, an IQ outside 30-200."""
    with pytest.raises(ValueError, match=message):
        classify(dl, dle, iq=iq)


@pytest.mark.parametrize("iq", [30, 200])
def test_iq_30_and_200_are_accepted(iq: int) -> None:
    """The IQ range 30-200 is inclusive; both ends are outside every target group."""
    assert classify(DL, LWOO_PATTERN, iq=iq).target_group == TargetGroup.GEEN
