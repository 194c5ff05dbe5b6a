"""The regional calendar ("Belangrijke data") per school year, and dates relative to a cohort.

A calendar file (`kalender/YYYY-YYYY.toml`) holds the dates of one school year. Its `status` says
whether the samenwerkingsverband adopted it (`vastgesteld`) or whether it was derived from an
earlier year by the same day and month (`afgeleid`), to be replaced once the dates are adopted.
A date on a Saturday or Sunday is allowed (the 2025-2026 document itself has one) but reported as
a warning by `overstap plan --check`.
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from models.datafiles import PlanFileError, read_toml
from models.dutch import dutch_date

CALENDAR_EVENTS = (
    "aanmelden_doorstroomtoets",
    "voorlopig_advies",
    "doorstroomtoets",
    "uitslag_doorstroomtoets",
    "definitief_advies",
    "aanmeldweek",
    "oso",
    "besluit",
    "kennismaking",
)
CALENDAR_STATUSES = ("vastgesteld", "afgeleid")
PHASES = {"g7": -2, "g8": -1, "bk": 0}  # school year of each phase, relative to the cohort
_PHASE_REF = re.compile(r"^(g7|g8|bk):(\d{2})-(\d{2}|end)$")
_CALENDAR_REF = re.compile(r"^kalender:([a-z_]+)\.(start|end)$")


@dataclass(frozen=True)
class SchoolYearCalendar:
    """The regional "Belangrijke data" of one school year (groep 8 of one cohort)."""

    school_year: str
    start_year: int
    dates: Mapping[str, tuple[date, date]]
    source: str
    status: str = "vastgesteld"
    warnings: tuple[str, ...] = ()

    @property
    def derived(self) -> bool:
        return self.status == "afgeleid"

    def start(self, event: str) -> date:
        return self.dates[event][0]

    def end(self, event: str) -> date:
        return self.dates[event][1]


def load_calendar_file(path: Path) -> SchoolYearCalendar:
    """Load and check one calendar file; weekend dates become warnings, not errors."""
    data, lines = read_toml(path)
    unknown = set(data) - {"school_year", "source", "status", "dates"}
    if unknown:
        key = sorted(unknown)[0]
        raise PlanFileError(path, lines.of("", 0, key), f"onbekende sleutel '{key}'")
    school_year = data.get("school_year")
    match = re.fullmatch(r"(\d{4})-(\d{4})", str(school_year or ""))
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise PlanFileError(
            path, lines.of("", 0, "school_year"), "'school_year' moet de vorm 2025-2026 hebben"
        )
    if path.stem != school_year:
        raise PlanFileError(
            path, lines.of("", 0, "school_year"), f"bestandsnaam past niet bij '{school_year}'"
        )
    status = data.get("status", "vastgesteld")
    if status not in CALENDAR_STATUSES:
        raise PlanFileError(
            path,
            lines.of("", 0, "status"),
            f"'status' is 'vastgesteld' of 'afgeleid', niet '{status}'",
        )
    start_year = int(match.group(1))
    first, last = date(start_year, 8, 1), date(start_year + 1, 7, 31)
    raw_dates = data.get("dates")
    if not isinstance(raw_dates, dict):
        raise PlanFileError(path, None, "de tabel [dates] ontbreekt")
    dates: dict[str, tuple[date, date]] = {}
    warnings: list[str] = []
    for name, value in raw_dates.items():
        line = lines.of("dates", 0, name)
        if name not in CALENDAR_EVENTS:
            raise PlanFileError(path, line, f"onbekende datum '{name}'")
        if not isinstance(value, dict) or set(value) != {"start", "end"}:
            raise PlanFileError(path, line, f"'{name}' moet {{ start = ..., end = ... }} zijn")
        start, end = value["start"], value["end"]
        if not all(isinstance(d, date) and not hasattr(d, "hour") for d in (start, end)):
            raise PlanFileError(path, line, f"'{name}': start en end moeten datums zijn")
        if start > end:
            raise PlanFileError(path, line, f"'{name}': start ligt na end")
        if start < first or end > last:
            raise PlanFileError(path, line, f"'{name}' ligt niet in schooljaar {school_year}")
        dates[name] = (start, end)
        for edge, day in (("start", start), ("end", end)):
            if day.weekday() >= 5 and (edge == "start" or end != start):
                weekday = "zaterdag" if day.weekday() == 5 else "zondag"
                warnings.append(
                    f"{path}:{line}: '{name}' ({edge}) valt op een {weekday} ({dutch_date(day)})"
                )
    missing = [name for name in CALENDAR_EVENTS if name not in dates]
    if missing:
        raise PlanFileError(path, lines.of("dates"), f"ontbrekende datums: {', '.join(missing)}")
    return SchoolYearCalendar(
        str(school_year),
        start_year,
        dates,
        str(data.get("source", "")),
        str(status),
        tuple(warnings),
    )


class MissingCalendarError(LookupError):
    """No calendar for the school year a date needs."""


@dataclass(frozen=True)
class DateRef:
    """A date relative to a cohort: `g8:03-end` or `kalender:aanmeldweek.start`."""

    text: str

    @staticmethod
    def parse(text: Any) -> DateRef:
        if not isinstance(text, str):
            raise ValueError("een datumverwijzing is tekst, zoals 'g8:03-end'")
        phase = _PHASE_REF.match(text)
        if phase:
            month, day = int(phase.group(2)), phase.group(3)
            if not 1 <= month <= 12:
                raise ValueError(f"'{text}': maand {month} bestaat niet")
            if day != "end" and not 1 <= int(day) <= 31:
                raise ValueError(f"'{text}': dag {day} bestaat niet")
            if day != "end" and int(day) > _calendar.monthrange(2024, month)[1]:
                raise ValueError(f"'{text}': dag {day} bestaat niet in maand {month}")
            return DateRef(text)
        cal = _CALENDAR_REF.match(text)
        if cal:
            if cal.group(1) not in CALENDAR_EVENTS:
                raise ValueError(f"'{text}': onbekende kalenderdatum '{cal.group(1)}'")
            return DateRef(text)
        raise ValueError(
            f"'{text}' is geen datumverwijzing (voorbeelden: 'g7:10-01', 'g8:02-end', "
            "'bk:11-30', 'kalender:aanmeldweek.start')"
        )

    def resolve(self, cohort: int, calendars: Mapping[int, SchoolYearCalendar]) -> date:
        """The date this reference means for pupils who start in VO in August of `cohort`."""
        phase = _PHASE_REF.match(self.text)
        if phase:
            first_year = cohort + PHASES[phase.group(1)]
            month = int(phase.group(2))
            year = first_year if month >= 8 else first_year + 1
            day_text = phase.group(3)
            last_day = _calendar.monthrange(year, month)[1]
            day = last_day if day_text == "end" else min(int(day_text), last_day)
            return date(year, month, day)
        cal_match = _CALENDAR_REF.match(self.text)
        assert cal_match is not None  # parse() accepted only the two shapes
        school_year = calendars.get(cohort - 1)
        if school_year is None:
            raise MissingCalendarError(
                f"geen kalender voor schooljaar {cohort - 1}-{cohort} "
                f"(voeg kalender/{cohort - 1}-{cohort}.toml toe)"
            )
        event, edge = cal_match.group(1), cal_match.group(2)
        return school_year.start(event) if edge == "start" else school_year.end(event)
