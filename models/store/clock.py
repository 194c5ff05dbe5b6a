"""The one clock. Nothing else in Overstap asks the system for the date or time.

Unit tests freeze it with freezegun. A simulation (`OVERSTAP_SIMULATION=1`) moves it with
`overstap tick --today`: the simulated date is stored in our database, so the CLI, the clock flow
and every served flow run see the same "today" until the next `tick --today`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models.settings import get_settings
from models.store.db import get_engine, session_scope
from models.store.tables import ClockOverride


def _zone() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


_pinned: ContextVar[date | None] = ContextVar("overstap_pinned_date", default=None)


@contextmanager
def pinned(day: date) -> Iterator[None]:
    """Make `day` today inside this block, in this thread only (demo seeding, offline walks)."""
    token = _pinned.set(day)
    try:
        yield
    finally:
        _pinned.reset(token)


def simulated_date() -> date | None:
    """The pinned or stored simulated date, or None when the real date applies."""
    if (day := _pinned.get()) is not None:
        return day
    if not get_settings().simulation:
        return None
    with Session(get_engine()) as session:
        row = session.get(ClockOverride, 1)
        return row.today if row else None


def now() -> datetime:
    """The current moment, timezone-aware, in the region's timezone."""
    real = datetime.now(_zone())
    simulated = simulated_date()
    if simulated is None:
        return real
    return datetime.combine(simulated, real.timetz())


def local_date(moment: datetime) -> date:
    """The region's calendar day of a stored timestamp (they come back from the database in UTC;
    their `.date()` is the day before for a moment between midnight and 01:00/02:00 here)."""
    return moment.astimezone(_zone()).date()


def wall_clock_utc() -> datetime:
    """Real UTC time, never simulated: only for comparing with Prefect's own timestamps."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in the region (simulated when a simulation is active)."""
    return now().date()


def set_simulated_date(day: date) -> None:
    """Store `day` as today for every process; refused unless simulation is enabled."""
    if not get_settings().simulation:
        raise PermissionError(
            "De datum verzetten kan alleen in een simulatie (zet OVERSTAP_SIMULATION=1)."
        )
    with session_scope() as session:
        row = session.get(ClockOverride, 1)
        if row is None:
            session.add(ClockOverride(id=1, today=day))
        else:
            row.today = day
            session.add(row)
