"""Enrolment: checking a pupil's data and creating the pupil and their trajectory.

Every check gives a Dutch message; `check_enrollment` lists all problems of one pupil at once and
changes nothing. The caller starts the flow run once the enrolment is committed.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from models.cases.casework import NO_TERM
from models.cases.view import find_by_code, school_year_end
from models.dutch import DATE_HINT, parse_date
from models.plan.calendar import MissingCalendarError
from models.plan.steps import Plan
from models.store.audit import audit
from models.store.clock import now, today
from models.store.schools import find_po_school
from models.store.tables import Pupil, School, Trajectory

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud
_NAME = re.compile(r"^[^\x00-\x1f<>{}\[\]\\|@#$%^*=+~`\d]+$")


class EnrollmentError(ValueError):
    """Enrolment input that was refused; `errors` are Dutch messages."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class EnrollmentInput:
    first_name: str
    last_name: str
    birth_date: str | date
    school: str
    groep: str | int
    cohort: str | int


@dataclass(frozen=True)
class CheckedEnrollment:
    first_name: str
    last_name: str
    birth_date: date
    school: School
    groep: int
    cohort: int
    transfer_groep: int


def name_error(label: str, value: str) -> str | None:
    """The Dutch problem with a first or last name (already stripped), or None."""
    if not value:
        return f"{label} is leeg"
    if len(value) > 100 or not _NAME.match(value):
        return f"{label} '{value}' bevat tekens die niet in een naam horen"
    return None


def transfer_groep_for(groep: int, cohort: int, on: date) -> int | str:
    """The groep a pupil in `groep` on day `on` leaves for VO in `cohort` (8, or 7 for the
    groep-7 exception); a Dutch message when the cohort does not fit the groep."""
    regular = school_year_end(on) + (8 - groep)
    if cohort == regular:
        return 8
    if groep == 7 and cohort == school_year_end(on):
        return 7  # the groep-7 exception: to VO one year early
    return (
        f"een leerling in groep {groep} start in augustus {regular} in het VO; "
        f"cohort {cohort} past daar niet bij"
    )


def check_enrollment(session: Session, raw: EnrollmentInput, plan: Plan) -> CheckedEnrollment:
    """Validate one pupil's enrolment; `EnrollmentError` lists every problem in Dutch."""
    errors: list[str] = []
    first, last = raw.first_name.strip(), raw.last_name.strip()
    for label, value in (("voornaam", first), ("achternaam", last)):
        problem = name_error(label, value)
        if problem:
            errors.append(problem)
    birth: date | None = None
    try:
        birth = parse_date(raw.birth_date)
    except ValueError:
        errors.append(f"geboortedatum '{raw.birth_date}' is geen datum ({DATE_HINT})")
    school: School | None = None
    try:
        school = find_po_school(session, raw.school)
    except LookupError as exc:
        errors.append(str(exc))
    groep = cohort = 0
    try:
        groep = int(str(raw.groep).strip())
        if groep not in (7, 8):
            errors.append(f"groep moet 7 of 8 zijn, niet {groep}")
    except ValueError:
        errors.append(f"groep '{raw.groep}' is geen getal")
    try:
        cohort = int(str(raw.cohort).strip())
    except ValueError:
        errors.append(f"cohort '{raw.cohort}' is geen jaartal")
    transfer_groep = 8
    current = today()
    if groep in (7, 8) and cohort:
        found = transfer_groep_for(groep, cohort, current)
        if isinstance(found, str):
            errors.append(found)
        else:
            transfer_groep = found
    if birth is not None:
        age = current.year - birth.year - ((current.month, current.day) < (birth.month, birth.day))
        if not 8 <= age <= 16:
            errors.append(
                f"geboortedatum {birth:%d-%m-%Y}: een leerling van {age} jaar "
                "zit niet in groep 7 of 8"
            )
    if cohort and not errors:
        try:
            for step in plan.steps:
                plan.window(step, cohort)
        except MissingCalendarError as exc:
            errors.append(f"cohort {cohort}: {exc}")
    if school is not None and birth is not None and not errors:
        duplicate = session.exec(
            select(Trajectory)
            .join(Pupil)
            .where(
                Pupil.first_name == first,
                Pupil.last_name == last,
                Pupil.birth_date == birth,
                Pupil.po_school_id == school.id,
            )
        ).first()
        if duplicate is not None:
            errors.append(f"deze leerling staat al ingeschreven (code {duplicate.code})")
    if errors:
        raise EnrollmentError(errors)
    assert birth is not None
    assert school is not None
    return CheckedEnrollment(first, last, birth, school, groep, cohort, transfer_groep)


def _new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
        if find_by_code(session, code) is None:
            return code


def enroll(session: Session, checked: CheckedEnrollment, *, plan: Plan, actor: str) -> Trajectory:
    """Create the pupil and their trajectory (no flow run yet: the caller starts it)."""
    moment = now()
    pupil = Pupil(
        first_name=checked.first_name,
        last_name=checked.last_name,
        birth_date=checked.birth_date,
        po_school_id=checked.school.id,
        groep=checked.groep,
        created_at=moment,
    )
    session.add(pupil)
    session.flush()
    trajectory = Trajectory(
        pupil_id=pupil.id,
        code=_new_code(session),
        cohort=checked.cohort,
        transfer_groep=checked.transfer_groep,
        plan_version=plan.version,
        started_at=moment,
        next_term_due=NO_TERM,  # no legal term runs before the first answers
    )
    session.add(trajectory)
    session.flush()
    audit(
        session,
        actor=actor,
        action="ingeschreven",
        trajectory_id=trajectory.id,
        detail={
            "code": trajectory.code,
            "cohort": trajectory.cohort,
            "groep": checked.groep,
            "uitstroom_uit_groep": checked.transfer_groep,
            "plan": plan.version,
        },
    )
    return trajectory
