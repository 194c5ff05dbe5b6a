"""Working days, for the terms of chapter 3 of the agreements ("binnen tien werkdagen").

A working day is a Monday to Friday that is none of these:

- an algemeen erkende feestdag of the Algemene termijnenwet (Atw), from the `holidays` package.
  The package files 5 May (Bevrijdingsdag) under its OPTIONAL category and under PUBLIC only every
  fifth year, as many collective agreements do; the Atw has it every year, so both categories are
  read. Goede Vrijdag is in PUBLIC;
- a day the government equates with such a feestdag (gelijkgestelde dag, article 3(3) Atw), read
  from `models/terms/data/gelijkgestelde-dagen.toml`, which the samenwerkingsverband keeps up to
  date; the package does not know these days;
- by default, a school holiday of the region (settings `workdays_skip_school_holidays` and
  `school_holiday_region`): the schools are closed, so nobody can act on a step. The package knows
  the school holidays of 2014 to 2030 only; in other years none are skipped.

Every function takes `skip_school_holidays` and `region` as keyword overrides; None means the
setting. A term "n working days after a date" never counts that date itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NoReturn

from models.datafiles import PlanFileError, TomlLines, read_toml
from models.settings import get_settings

Region = Literal["Noord", "Midden", "Zuid"]

GELIJKGESTELDE_DAGEN_FILE = Path(__file__).resolve().parent / "data" / "gelijkgestelde-dagen.toml"
_ENTRY_KEYS = frozenset({"date", "reason", "source"})
_Fail = Callable[[int | None, str], NoReturn]
_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


@dataclass(frozen=True)
class GelijkgesteldeDag:
    """A day the government equates with an algemeen erkende feestdag of the Atw."""

    day: date
    reason: str
    source: str


@lru_cache(maxsize=4)
def load_gelijkgestelde_dagen(
    path: Path = GELIJKGESTELDE_DAGEN_FILE,
) -> Mapping[date, GelijkgesteldeDag]:
    """The gelijkgestelde dagen of a data file, by date; a file that does not fit is refused."""
    data, lines = read_toml(path)

    def fail(line: int | None, reason: str) -> NoReturn:
        raise PlanFileError(path, line, reason)

    unknown = set(data) - {"dag"}
    if unknown:
        key = sorted(unknown)[0]
        fail(lines.of("", 0, key), f"onbekende sleutel '{key}' (verwacht: tabellen [[dag]])")
    raw_entries = data.get("dag", [])
    if not isinstance(raw_entries, list):
        fail(lines.of("", 0, "dag"), "'dag' moet een lijst tabellen [[dag]] zijn")
    days: dict[date, GelijkgesteldeDag] = {}
    for index, raw in enumerate(raw_entries):
        entry = _parse_entry(raw, index, lines, fail)
        if entry.day in days:
            fail(lines.of("dag", index, "date"), f"{entry.day} komt twee keer voor")
        days[entry.day] = entry
    return days


def _parse_entry(raw: Any, index: int, lines: TomlLines, fail: _Fail) -> GelijkgesteldeDag:
    if not isinstance(raw, dict):
        fail(lines.of("dag", index), "elke dag moet een tabel [[dag]] zijn")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        key = sorted(unknown)[0]
        fail(lines.of("dag", index, key), f"onbekende sleutel '{key}'")
    for key in sorted(_ENTRY_KEYS - set(raw)):
        fail(lines.of("dag", index), f"'{key}' ontbreekt")
    day = raw["date"]
    if not isinstance(day, date) or isinstance(day, datetime):
        fail(lines.of("dag", index, "date"), "'date' moet een datum zijn, zoals 2027-05-07")
    if day.weekday() >= 5:
        fail(
            lines.of("dag", index, "date"),
            f"{day} valt op een {_WEEKDAYS[day.weekday()]}: alleen een werkdag kan worden "
            "gelijkgesteld",
        )
    for key in ("reason", "source"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            fail(lines.of("dag", index, key), f"'{key}' moet tekst zijn en mag niet leeg zijn")
    return GelijkgesteldeDag(day, raw["reason"].strip(), raw["source"].strip())


# `holidays.NL` is only bound at runtime (mypy cannot see it); `country_holidays("NL")` builds the
# same class and is typed. The package is imported when a working day is first counted, not
# when a flow process starts: it costs a fifth of a second, and most resumes count none.
@lru_cache(maxsize=32)
def _feestdagen(year: int) -> dict[date, str]:
    import holidays

    names = holidays.country_holidays(
        "NL", years=year, categories=("public", "optional"), language="nl"
    )
    return {day: str(name) for day, name in names.items()}


@lru_cache(maxsize=96)
def _school_holidays(year: int, region: Region) -> dict[date, str]:
    import holidays

    names = holidays.country_holidays(
        "NL", years=year, subdiv=region, categories=("school",), language="nl"
    )
    return {day: str(name).lower() for day, name in names.items()}


def effective_rules(
    skip_school_holidays: bool | None = None, region: Region | None = None
) -> tuple[bool, Region]:
    """Whether school holidays are skipped, and whose: the overrides, else the settings."""
    if skip_school_holidays is None or region is None:
        settings = get_settings()
        if skip_school_holidays is None:
            skip_school_holidays = settings.workdays_skip_school_holidays
        if region is None:
            region = settings.school_holiday_region
    return skip_school_holidays, region


def _reason(day: date, skip_school_holidays: bool, region: Region) -> str | None:
    if day.weekday() >= 5:
        return "weekend"
    if feestdag := _feestdagen(day.year).get(day):
        return feestdag
    if gelijkgesteld := load_gelijkgestelde_dagen().get(day):
        return f"gelijkgestelde dag: {gelijkgesteld.reason}"
    if skip_school_holidays and (vakantie := _school_holidays(day.year, region).get(day)):
        return vakantie
    return None


def non_working_reason(
    day: date, *, skip_school_holidays: bool | None = None, region: Region | None = None
) -> str | None:
    """Why `day` is not a working day, in Dutch ('weekend', 'Koningsdag', 'meivakantie',
    'gelijkgestelde dag: ...'), or None when it is one. A feestdag in a school holiday is named
    as the feestdag."""
    return _reason(day, *effective_rules(skip_school_holidays, region))


def is_working_day(
    day: date, *, skip_school_holidays: bool | None = None, region: Region | None = None
) -> bool:
    """Whether `day` counts as a working day."""
    return non_working_reason(day, skip_school_holidays=skip_school_holidays, region=region) is None


def _check_count(n: int) -> None:
    if n < 0:
        raise ValueError(f"Het aantal werkdagen kan niet negatief zijn (gekregen: {n}).")


def _count_working_days(
    start: date, n: int, direction: int, skip_school_holidays: bool | None, region: Region | None
) -> date:
    """The n-th working day after (direction 1) or before (-1) `start`, which never counts."""
    _check_count(n)
    rules = effective_rules(skip_school_holidays, region)
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=direction)
        if _reason(day, *rules) is None:
            counted += 1
    return day


def add_working_days(
    start: date,
    n: int,
    *,
    skip_school_holidays: bool | None = None,
    region: Region | None = None,
) -> date:
    """The n-th working day after `start`; `start` itself never counts, and n = 0 gives `start`."""
    return _count_working_days(start, n, 1, skip_school_holidays, region)


def subtract_working_days(
    end: date,
    n: int,
    *,
    skip_school_holidays: bool | None = None,
    region: Region | None = None,
) -> date:
    """The n-th working day before `end` (a reminder n working days early); n = 0 gives `end`."""
    return _count_working_days(end, n, -1, skip_school_holidays, region)


def working_days_between(
    a: date, b: date, *, skip_school_holidays: bool | None = None, region: Region | None = None
) -> int:
    """How many working days lie after `a` up to and including `b`; negative when `b` is before
    `a`. So `working_days_between(a, add_working_days(a, n)) == n`."""
    if b < a:
        return -working_days_between(b, a, skip_school_holidays=skip_school_holidays, region=region)
    rules = effective_rules(skip_school_holidays, region)
    return sum(
        1 for offset in range(1, (b - a).days + 1) if _reason(a + timedelta(offset), *rules) is None
    )


def non_working_weekdays(
    after: date,
    through: date,
    *,
    skip_school_holidays: bool | None = None,
    region: Region | None = None,
) -> list[tuple[date, str]]:
    """The Mondays to Fridays after `after` up to and including `through` that are not working
    days, each with its reason: what a term of working days skipped, for its explanation."""
    rules = effective_rules(skip_school_holidays, region)
    skipped = []
    for offset in range(1, (through - after).days + 1):
        day = after + timedelta(offset)
        if day.weekday() < 5 and (reason := _reason(day, *rules)) is not None:
            skipped.append((day, reason))
    return skipped
