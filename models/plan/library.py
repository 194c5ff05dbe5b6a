"""Which plans and calendars exist: the shipped files, plus a folder the operator names.

The shipped data lives in `models/plan/data/` (`stappenplan/*.toml`, `kalender/*.toml`). The
setting `OVERSTAP_PLAN_DIR` names a folder with the same layout whose files are loaded beside the
shipped ones, so a samenwerkingsverband adds next year's plan or calendar without a code change.
A plan version or a school year that is in two files is an error naming both. New enrolments use
`OVERSTAP_PLAN_VERSION`, else the newest version; a trajectory keeps the version it started with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from models.datafiles import PlanFileError
from models.plan.calendar import SchoolYearCalendar, load_calendar_file
from models.plan.steps import Plan, load_plan_file
from models.settings import get_settings

SHIPPED_DIR = Path(__file__).resolve().parent / "data"
PLAN_SUBDIR = "stappenplan"
CALENDAR_SUBDIR = "kalender"


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts '2025-2026.10' after '2025-2026.9'."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", version)
    )


@dataclass(frozen=True)
class PlanLibrary:
    """Every plan and calendar that can be used, and what loading them noticed."""

    plans: Mapping[str, Plan]
    calendars: Mapping[int, SchoolYearCalendar]
    warnings: tuple[str, ...]

    def newest(self) -> Plan:
        return self.plans[max(self.plans, key=version_key)]

    def plan(self, version: str | None = None) -> Plan:
        """The plan of `version`, or the one for new trajectories (setting, else the newest)."""
        wanted = version or get_settings().plan_version
        if not wanted:
            return self.newest()
        if wanted not in self.plans:
            raise KeyError(
                f"stappenplan versie '{wanted}' bestaat niet (wel: {', '.join(self.plans)})"
            )
        return self.plans[wanted]


def load_library(*folders: Path) -> PlanLibrary:
    """Load the plans and calendars of `folders` (the first is the shipped data)."""
    calendars: dict[int, SchoolYearCalendar] = {}
    calendar_paths: dict[int, Path] = {}
    warnings: list[str] = []
    for folder in folders:
        for path in sorted((folder / CALENDAR_SUBDIR).glob("*.toml")):
            calendar = load_calendar_file(path)
            if calendar.start_year in calendars:
                raise PlanFileError(
                    path,
                    None,
                    f"schooljaar {calendar.school_year} staat ook in "
                    f"{calendar_paths[calendar.start_year]}",
                )
            calendars[calendar.start_year] = calendar
            calendar_paths[calendar.start_year] = path
            warnings.extend(calendar.warnings)
    plans: dict[str, Plan] = {}
    for folder in folders:
        for path in sorted((folder / PLAN_SUBDIR).glob("*.toml")):
            plan = load_plan_file(path, calendars)
            if plan.version in plans:
                raise PlanFileError(
                    path, None, f"versie '{plan.version}' staat ook in {plans[plan.version].path}"
                )
            plans[plan.version] = plan
    if not plans:
        raise PlanFileError(folders[0] / PLAN_SUBDIR, None, "geen stappenplan gevonden")
    return PlanLibrary(plans, calendars, tuple(warnings))


def check_folder(folder: Path) -> PlanLibrary:
    """Load `folder` beside the shipped files, as `OVERSTAP_PLAN_DIR` would."""
    if not folder.is_dir():
        raise PlanFileError(folder, None, "deze map bestaat niet")
    if not (folder / PLAN_SUBDIR).is_dir() and not (folder / CALENDAR_SUBDIR).is_dir():
        raise PlanFileError(
            folder, None, f"de map heeft geen '{PLAN_SUBDIR}/' en geen '{CALENDAR_SUBDIR}/'"
        )
    return load_library(SHIPPED_DIR, folder)


@lru_cache(maxsize=8)
def _library(extra: str) -> PlanLibrary:
    return check_folder(Path(extra)) if extra else load_library(SHIPPED_DIR)


def library() -> PlanLibrary:
    """The plans and calendars of this installation (shipped, plus `OVERSTAP_PLAN_DIR`)."""
    return _library(str(get_settings().plan_dir or ""))


def load_calendars() -> Mapping[int, SchoolYearCalendar]:
    return library().calendars


def get_plan(version: str | None = None) -> Plan:
    """The plan of `version`, or the one for new trajectories (setting, else the newest)."""
    return library().plan(version)
