"""Working days: weekends, Atw feestdagen, gelijkgestelde dagen and school holidays are skipped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.datafiles import PlanFileError
from models.settings import reset_settings
from models.terms.workdays import (
    GELIJKGESTELDE_DAGEN_FILE,
    add_working_days,
    is_working_day,
    load_gelijkgestelde_dagen,
    non_working_reason,
    non_working_weekdays,
    subtract_working_days,
    working_days_between,
)

TUESDAY_20_APRIL_2027 = date(2027, 4, 20)


def test_ten_working_days_across_may_2027_without_school_holidays() -> None:
    """From Tuesday 20 April 2027, counting only the Atw days as holidays, the 10th working day is
    Monday 10 May: 21, 22, 23, 26, 28, 29, 30 April and 3, 4 May are 1-9 (27 April Koningsdag);
    5 May Bevrijdingsdag, 6 May Hemelvaartsdag and 7 May (gelijkgesteld) are skipped; 10 May is 10.
    """
    assert add_working_days(TUESDAY_20_APRIL_2027, 10, skip_school_holidays=False) == date(
        2027, 5, 10
    )


def test_ten_working_days_across_may_2027_with_the_meivakantie_of_region_noord() -> None:
    """With the school holidays of Noord (meivakantie 24 April - 2 May 2027) the 10th working day
    after 20 April is Friday 14 May: 21, 22, 23 April and 3, 4 May are 1-5; 5, 6, 7 May are
    skipped; 10, 11, 12, 13, 14 May are 6-10."""
    due = add_working_days(TUESDAY_20_APRIL_2027, 10, skip_school_holidays=True, region="Noord")
    assert due == date(2027, 5, 14)


def test_the_gelijkgestelde_dag_after_hemelvaart_2027_is_not_a_working_day() -> None:
    """7 May 2027 comes from our data file, not from the holidays package: one working day after
    Tuesday 4 May is Monday 10 May, not Friday 7 May."""
    assert non_working_reason(date(2027, 5, 7), skip_school_holidays=False) == (
        "gelijkgestelde dag: vrijdag na Hemelvaartsdag"
    )
    assert add_working_days(date(2027, 5, 4), 1, skip_school_holidays=False) == date(2027, 5, 10)


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2025, 5, 5), "Bevrijdingsdag"),  # a lustrum year: in the package's PUBLIC
        (date(2026, 5, 5), "Bevrijdingsdag"),  # not a lustrum year: only in OPTIONAL
        (date(2027, 3, 26), "Goede vrijdag"),
        (date(2027, 3, 29), "Tweede paasdag"),
        (date(2027, 4, 27), "Koningsdag"),
        (date(2027, 5, 6), "Hemelvaartsdag"),
        (date(2027, 5, 17), "Tweede pinksterdag"),
        (date(2027, 4, 24), "weekend"),
    ],
)
def test_atw_days_are_not_working_days_every_year(day: date, reason: str) -> None:
    """The Atw has 5 May every year and Goede Vrijdag; each day is named in Dutch."""
    assert non_working_reason(day, skip_school_holidays=False) == reason
    assert not is_working_day(day, skip_school_holidays=False)


def test_a_feestdag_in_the_meivakantie_is_named_as_the_feestdag() -> None:
    """27 April 2027 falls in the meivakantie and is reported as Koningsdag; 28 April is
    meivakantie, and a working day when school holidays count."""
    assert non_working_reason(date(2027, 4, 27), skip_school_holidays=True) == "Koningsdag"
    assert non_working_reason(date(2027, 4, 28), skip_school_holidays=True) == "meivakantie"
    assert is_working_day(date(2027, 4, 28), skip_school_holidays=False)


def test_school_holidays_follow_the_region() -> None:
    """The voorjaarsvakantie 2027 is week 7 in Zuid and week 8 in Noord: Monday 15 February is
    a holiday in Zuid only."""
    monday = date(2027, 2, 15)
    assert non_working_reason(monday, skip_school_holidays=True, region="Zuid") == (
        "voorjaarsvakantie"
    )
    assert non_working_reason(monday, skip_school_holidays=True, region="Noord") is None


def test_settings_decide_when_no_override_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default school holidays of Noord are skipped; the settings can switch that off or
    choose another region."""
    assert add_working_days(TUESDAY_20_APRIL_2027, 10) == date(2027, 5, 14)
    monkeypatch.setenv("OVERSTAP_WORKDAYS_SKIP_SCHOOL_HOLIDAYS", "false")
    reset_settings()
    assert add_working_days(TUESDAY_20_APRIL_2027, 10) == date(2027, 5, 10)
    monkeypatch.setenv("OVERSTAP_WORKDAYS_SKIP_SCHOOL_HOLIDAYS", "true")
    monkeypatch.setenv("OVERSTAP_SCHOOL_HOLIDAY_REGION", "Zuid")
    reset_settings()
    assert non_working_reason(date(2027, 2, 15)) == "voorjaarsvakantie"


def test_the_start_day_never_counts() -> None:
    """One working day after Friday 23 April 2027 is Monday 26 April; zero working days after a
    day is that day itself, even a Sunday."""
    assert add_working_days(date(2027, 4, 23), 1, skip_school_holidays=False) == date(2027, 4, 26)
    assert add_working_days(date(2027, 4, 25), 0) == date(2027, 4, 25)


def test_a_negative_number_of_working_days_is_refused() -> None:
    """n < 0 is a mistake, not a count backwards."""
    with pytest.raises(ValueError, match="niet negatief"):
        add_working_days(TUESDAY_20_APRIL_2027, -1)
    with pytest.raises(ValueError, match="niet negatief"):
        subtract_working_days(TUESDAY_20_APRIL_2027, -3)


def test_subtract_working_days_counts_back_over_holidays() -> None:
    """Three working days before Monday 10 May 2027 is Friday 30 April (7, 6, 5 May skipped)."""
    assert subtract_working_days(date(2027, 5, 10), 3, skip_school_holidays=False) == date(
        2027, 4, 30
    )


def test_working_days_between_is_the_inverse_of_adding() -> None:
    """Between 20 April and 14 May 2027 lie 10 working days with Noord's school holidays, 14
    without them; backwards the count is negative."""
    end = date(2027, 5, 14)
    assert working_days_between(TUESDAY_20_APRIL_2027, end, skip_school_holidays=True) == 10
    assert working_days_between(TUESDAY_20_APRIL_2027, end, skip_school_holidays=False) == 14
    assert working_days_between(end, TUESDAY_20_APRIL_2027, skip_school_holidays=True) == -10
    for n in (0, 1, 7, 25, 60):
        later = add_working_days(date(2027, 6, 30), n, skip_school_holidays=True)
        assert working_days_between(date(2027, 6, 30), later, skip_school_holidays=True) == n


def test_non_working_weekdays_lists_what_a_term_skipped() -> None:
    """Weekends are left out; every skipped Monday-Friday comes with its reason."""
    skipped = non_working_weekdays(
        TUESDAY_20_APRIL_2027, date(2027, 5, 10), skip_school_holidays=False
    )
    assert skipped == [
        (date(2027, 4, 27), "Koningsdag"),
        (date(2027, 5, 5), "Bevrijdingsdag"),
        (date(2027, 5, 6), "Hemelvaartsdag"),
        (date(2027, 5, 7), "gelijkgestelde dag: vrijdag na Hemelvaartsdag"),
    ]


# --- the gelijkgestelde dagen file ----------------------------------------------------------------


def test_the_shipped_file_has_7_may_2027_with_reason_and_source() -> None:
    """The data file loads; each day says why and where it was published."""
    days = load_gelijkgestelde_dagen(GELIJKGESTELDE_DAGEN_FILE)
    entry = days[date(2027, 5, 7)]
    assert entry.reason == "vrijdag na Hemelvaartsdag"
    assert "2026-2028" in entry.source


GOOD_ENTRY = 'date = 2027-05-07\nreason = "vrijdag na Hemelvaartsdag"\nsource = "KB"\n'


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("titel = 'x'\n", 1, "onbekende sleutel 'titel'"),
        ("dag = 3\n", 1, "'dag' moet een lijst tabellen [[dag]] zijn"),
        ("[[dag]]\n" + GOOD_ENTRY.replace("2027-05-07", '"2027-05-07"'), 2, "moet een datum"),
        ("[[dag]]\n" + GOOD_ENTRY.replace("2027-05-07", "2027-05-07T00:00:00"), 2, "een datum"),
        ("[[dag]]\n" + GOOD_ENTRY.replace("2027-05-07", "2027-05-08"), 2, "valt op een zaterdag"),
        ("[[dag]]\n" + GOOD_ENTRY.replace('"KB"', '"  "'), 4, "'source' moet tekst zijn"),
        ("[[dag]]\n" + GOOD_ENTRY.replace("source", "bron"), 4, "onbekende sleutel 'bron'"),
        ("\n[[dag]]\ndate = 2027-05-07\nreason = 'x'\n", 2, "'source' ontbreekt"),
        ("[[dag]]\n" + GOOD_ENTRY + "\n[[dag]]\n" + GOOD_ENTRY, 7, "komt twee keer voor"),
        ("[[dag]]\ndate = 2027-05-07\nreason = = 'x'\n", 3, "geen geldige TOML"),
    ],
)
def test_a_malformed_gelijkgestelde_dagen_file_is_refused_with_line_and_reason(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    """Like the plan files: the error names the file, the line and what is wrong."""
    path = tmp_path / "gelijkgestelde-dagen.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanFileError) as caught:
        load_gelijkgestelde_dagen(path)
    assert caught.value.path == path
    assert caught.value.line == line
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_an_empty_gelijkgestelde_dagen_file_means_no_extra_days(tmp_path: Path) -> None:
    """A file with only comments is valid and adds nothing."""
    path = tmp_path / "leeg.toml"
    path.write_text("# nog geen besluit\n", encoding="utf-8")
    assert load_gelijkgestelde_dagen(path) == {}
