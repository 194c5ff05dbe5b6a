"""Dutch dates, shared by texts, deadlines, emails and every command (no imports of our own)."""

from __future__ import annotations

import re
from datetime import date

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(day: date) -> str:
    """'12 mei 2027'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


DATE_HINT = "JJJJ-MM-DD of DD-MM-JJJJ"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DUTCH = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def parse_date(text: str | date) -> date:
    """A date as people type it, the one rule of every command and CSV file: ISO (2027-03-25)
    or Dutch day-month-year (25-03-2027). `ValueError` for anything else."""
    if isinstance(text, date):
        return text
    value = text.strip()
    if match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DUTCH.match(value):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError(value)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(value) from None  # 31-02-2027
