"""Dutch date formatting, shared by texts, deadlines and emails (no imports of our own)."""

from __future__ import annotations

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
