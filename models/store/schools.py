"""Schools and their contact people: the seed of the region's VO schools and the CSV import."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from models.enums import SCHOOL_ROLES, Role, SchoolKind, school_roles_text
from models.plan.library import SHIPPED_DIR
from models.store.audit import audit
from models.store.clock import now
from models.store.tables import Contact, School

SEED_FILE = SHIPPED_DIR / "vo-scholen.csv"
CSV_COLUMNS = ("brin", "name", "kind", "role", "contact_name", "email")
BRIN = re.compile(r"^\d{2}[A-Z]{2}(\d{2})?$")
EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[A-Za-z]{2,}$")


class CsvImportError(ValueError):
    """A CSV file that was refused; `errors` are 'regel N: reden' lines. Nothing was imported."""

    def __init__(self, path: Path, errors: list[str]) -> None:
        super().__init__(f"{path}: " + "; ".join(errors))
        self.path = path
        self.errors = errors


@dataclass
class ImportResult:
    schools_created: int = 0
    schools_updated: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    unchanged: int = 0
    messages: list[str] = field(default_factory=list)


def allowed_roles(kind: SchoolKind) -> set[Role]:
    return set(SCHOOL_ROLES[kind])


def read_csv_rows(path: Path, columns: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a UTF-8 CSV file (comma or semicolon) as (line number, row), header checked."""
    wanted = list(columns)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CsvImportError(path, ["bestand bestaat niet"]) from None
    except UnicodeDecodeError:
        raise CsvImportError(
            path, ["het bestand is geen UTF-8; sla het op als CSV UTF-8"]
        ) from None
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in wanted if c not in header]
    if missing:
        raise CsvImportError(
            path,
            [f"regel 1: kolommen ontbreken: {', '.join(missing)} (verwacht: {', '.join(wanted)})"],
        )
    extra = [c for c in header if c not in wanted]
    if extra:
        raise CsvImportError(path, [f"regel 1: onbekende kolommen: {', '.join(extra)}"])
    rows = []
    for row in reader:
        if None in row:
            raise CsvImportError(path, [f"regel {reader.line_num}: te veel velden"])
        clean = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if any(clean.values()):
            rows.append((reader.line_num, clean))
    return rows


def _find_school(session: Session, brin: str, name: str, kind: str) -> School | None:
    school = session.exec(select(School).where(School.brin == brin)).first()
    if school is not None:
        return school
    # A seeded school has a name and kind but no BRIN yet: the import gives it one.
    candidates = session.exec(
        select(School).where(School.brin.is_(None), School.kind == kind)  # type: ignore[union-attr]
    ).all()
    for candidate in candidates:
        if candidate.name.casefold() == name.casefold():
            return candidate
    return None


def import_schools_csv(session: Session, path: Path, *, actor: str) -> ImportResult:
    """Import schools and contacts from `path`: all rows or none; a second run changes nothing."""
    rows = read_csv_rows(path, CSV_COLUMNS)
    errors: list[str] = []
    seen: dict[str, tuple[str, str, int]] = {}
    parsed = []
    for line, row in rows:
        brin = row["brin"].upper().replace(" ", "")
        name, kind_text = row["name"], row["kind"].upper()
        role_text, contact_name, email = row["role"], row["contact_name"], row["email"]
        problems = []
        if not BRIN.match(brin):
            problems.append(f"brin '{row['brin']}' is geen BRIN-nummer (zoals 12AB of 12AB01)")
        if not name:
            problems.append("name is leeg")
        try:
            kind = SchoolKind(kind_text)
        except ValueError:
            problems.append(f"kind '{row['kind']}' moet PO, VO, PRO of VSO zijn")
            kind = None
        role = None
        if role_text or contact_name or email:
            try:
                role = Role.parse(role_text)
            except ValueError:
                problems.append(f"rol '{role_text}' bestaat niet (rollen: {school_roles_text()})")
            if role is not None and kind is not None and role not in allowed_roles(kind):
                problems.append(
                    f"rol '{role_text}' hoort niet bij een {kind.value}-school (een "
                    f"{kind.value}-school kent {', '.join(SCHOOL_ROLES[kind])})"
                )
            if not contact_name:
                problems.append("contact_name is leeg")
            if not EMAIL.match(email):
                problems.append(f"e-mailadres '{email}' is ongeldig")
        if brin in seen and not problems:
            first_name, first_kind, first_line = seen[brin]
            if (first_name, first_kind) != (name, kind_text):
                problems.append(
                    f"BRIN {brin} staat op regel {first_line} met een andere naam of soort"
                )
        seen.setdefault(brin, (name, kind_text, line))
        if problems:
            errors.extend(f"regel {line}: {p}" for p in problems)
        else:
            parsed.append((brin, name, kind, role, contact_name, email))
    if errors:
        raise CsvImportError(path, errors)

    result = ImportResult()
    schools: dict[str, School] = {}
    for brin, name, kind, role, contact_name, email in parsed:
        assert kind is not None
        school = schools.get(brin)
        if school is None:
            school = _find_school(session, brin, name, kind.value)
            if school is None:
                school = School(brin=brin, name=name, kind=kind, created_at=now())
                session.add(school)
                result.schools_created += 1
            elif (school.brin, school.name, school.kind) != (brin, name, kind):
                school.brin, school.name, school.kind = brin, name, kind
                session.add(school)
                result.schools_updated += 1
            else:
                result.unchanged += 1
            session.flush()
            schools[brin] = school
        if role is None:
            continue
        contact = session.exec(
            select(Contact).where(
                Contact.school_id == school.id, Contact.role == role.value, Contact.email == email
            )
        ).first()
        if contact is None:
            session.add(Contact(school_id=school.id, role=role, name=contact_name, email=email))
            result.contacts_created += 1
        elif contact.name != contact_name:
            contact.name = contact_name
            session.add(contact)
            result.contacts_updated += 1
        else:
            result.unchanged += 1
    audit(
        session,
        actor=actor,
        action="scholen_import",
        detail={
            "bestand": path.name,
            "scholen_nieuw": result.schools_created,
            "scholen_gewijzigd": result.schools_updated,
            "contacten_nieuw": result.contacts_created,
            "contacten_gewijzigd": result.contacts_updated,
        },
    )
    return result


def seed_vo_schools(session: Session) -> int:
    """Add the region's VO, PRO and VSO schools (Bijlage III) that are missing; return how many."""
    added = 0
    with SEED_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            exists = session.exec(
                select(School).where(School.name == row["name"], School.kind == row["kind"])
            ).first()
            if exists is None:
                kind = SchoolKind(row["kind"])
                session.add(School(name=row["name"], kind=kind, created_at=now()))
                added += 1
    if added:
        audit(session, actor="systeem", action="scholen_seed", detail={"toegevoegd": added})
    return added


def _brief(school: School) -> str:
    return f"{school.name} ({school.brin})" if school.brin else school.name


def find_school(
    session: Session, text: str, kinds: Iterable[SchoolKind] = tuple(SchoolKind)
) -> School:
    """The school of one of `kinds` that `text` names: its BRIN, its name, or a part of its name
    that only it has (case-insensitive). `LookupError` with a Dutch message and a suggestion
    when there is none or more than one."""
    wanted = text.strip()
    allowed = {SchoolKind(k) for k in kinds}
    what = "PO-school" if allowed == {SchoolKind.PO} else "school"
    if not wanted:
        raise LookupError(f"geef de naam of het BRIN-nummer van de {what}")
    by_brin = session.exec(select(School).where(School.brin == wanted.upper())).first()
    if by_brin is not None:
        if by_brin.kind not in allowed:
            raise LookupError(f"school '{wanted}' is geen {what} maar {by_brin.kind}")
        return by_brin
    schools = [s for s in session.exec(select(School)).all() if s.kind in allowed]
    key = wanted.casefold()
    for matches in (
        [s for s in schools if s.name.casefold() == key],
        [s for s in schools if key in s.name.casefold()],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = "; ".join(_brief(s) for s in sorted(matches, key=lambda s: s.name))
            raise LookupError(
                f"'{wanted}' past bij meer dan één {what}: {names}. Geef meer van de naam of "
                "het BRIN-nummer"
            )
    close = difflib.get_close_matches(key, [s.name.casefold() for s in schools], n=3, cutoff=0.6)
    suggestion = [_brief(s) for s in schools if s.name.casefold() in close]
    hint = (
        f"; bedoelt u {' of '.join(suggestion)}?"
        if suggestion
        else "; 'overstap schools list' toont de scholen, 'overstap schools import' leest ze in"
    )
    raise LookupError(f"{what} '{wanted}' is onbekend{hint}")


def find_po_school(session: Session, text: str) -> School:
    """The PO school with this BRIN, name or unique part of its name (see `find_school`)."""
    return find_school(session, text, (SchoolKind.PO,))


@dataclass(frozen=True)
class SchoolListing:
    """A school and its contacts, as `overstap schools list` shows them."""

    brin: str | None
    name: str
    kind: str
    contacts: tuple[tuple[Role, str, str], ...]  # role, name, email

    def as_json(self) -> dict[str, object]:
        return {
            "brin": self.brin,
            "name": self.name,
            "kind": self.kind,
            "contacts": [
                {"role": role.value, "name": name, "email": email}
                for role, name, email in self.contacts
            ],
        }


def list_schools(session: Session) -> list[SchoolListing]:
    """Every school with its contacts: by kind (PO first), then name; contacts by role."""
    contacts: dict[object, list[Contact]] = {}
    for contact in session.exec(select(Contact)).all():
        contacts.setdefault(contact.school_id, []).append(contact)
    kinds = list(SchoolKind)
    order = {role: i for i, role in enumerate(Role)}
    listings = []
    for school in session.exec(select(School)).all():
        mine = sorted(
            contacts.get(school.id, []), key=lambda c: (order[Role(c.role)], c.name.casefold())
        )
        listings.append(
            SchoolListing(
                school.brin,
                school.name,
                str(school.kind),
                tuple((Role(c.role), c.name, c.email) for c in mine),
            )
        )
    return sorted(listings, key=lambda s: (kinds.index(SchoolKind(s.kind)), s.name.casefold()))


def school_names_by_kind(session: Session) -> dict[SchoolKind, list[str]]:
    """Names of the schools of each kind, for the choices in forms."""
    names: dict[SchoolKind, list[str]] = {kind: [] for kind in SchoolKind}
    for school in session.exec(select(School)).all():
        names[SchoolKind(school.kind)].append(school.name)
    return names
