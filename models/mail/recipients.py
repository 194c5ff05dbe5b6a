"""Who receives an email for a role in a pupil's trajectory.

PO roles are reached through the contacts of the pupil's PO school, VO roles (intaker, mentor,
CvB of PRO/VSO) through the contacts of the trajectory's VO school once it is known, the CvA
through its configured address, the coordinator as configured. Parents and the pupil have no
address in Overstap: the school informs them (`via_school`). A role that should have an address
but has none is `missing`, with the reason, so it can be reported instead of skipped silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from email.utils import parseaddr
from enum import StrEnum

from sqlmodel import Session, col, select

from models.cases.view import TrajectoryView
from models.enums import Role
from models.mail.outbox import normalize_address
from models.settings import Settings, get_settings
from models.store.tables import Contact, School

PO_ROLES = frozenset({Role.LEERKRACHT_PO, Role.INTERN_BEGELEIDER_PO, Role.DIRECTIE_PO})
VO_ROLES = frozenset({Role.INTAKER_VO, Role.MENTOR, Role.CVB_PRO_VSO})
VIA_SCHOOL_ROLES = frozenset({Role.OUDERS, Role.LEERLING})
# Roles reached through an address in the settings: (setting, name when the address has none).
CONFIGURED_ROLES: dict[Role, tuple[str, str]] = {
    Role.CVA: ("OVERSTAP_CVA_EMAIL", "Commissie van Advies"),
    Role.LEERPLICHTAMBTENAAR: ("OVERSTAP_LEERPLICHT_EMAIL", "leerplichtambtenaar"),
}


class MissingReason(StrEnum):
    NO_VO_SCHOOL = "geen_vo_school"
    NO_CONTACT = "geen_contact"
    NOT_CONFIGURED = "niet_ingesteld"


@dataclass(frozen=True)
class Recipient:
    """One address; `roles` are all the roles it holds in this trajectory (none: coordinator)."""

    name: str
    email: str
    roles: tuple[Role, ...]
    school: str | None = None

    @property
    def role(self) -> Role | None:
        return self.roles[0] if self.roles else None


@dataclass(frozen=True)
class MissingRole:
    role: Role
    reason: MissingReason
    school: str | None = None

    @property
    def explanation(self) -> str:
        """Dutch, for the coordinator and `overstap status`."""
        if self.reason == MissingReason.NO_VO_SCHOOL:
            return "nog geen VO-school bekend in dit traject"
        if self.reason == MissingReason.NOT_CONFIGURED:
            setting = CONFIGURED_ROLES.get(self.role, ("", ""))[0]
            return f"geen e-mailadres ingesteld ({setting})"
        return f"geen contactpersoon met deze rol bij {self.school}"


@dataclass
class Recipients:
    to: list[Recipient] = field(default_factory=list)
    missing: list[MissingRole] = field(default_factory=list)
    via_school: list[Role] = field(default_factory=list)

    @property
    def missing_roles(self) -> list[Role]:
        return [m.role for m in self.missing]


def _contacts(session: Session, school_id: object, roles: set[Role]) -> list[Contact]:
    return list(
        session.exec(
            select(Contact)
            .where(Contact.school_id == school_id)
            .where(col(Contact.role).in_([r.value for r in roles]))
            .order_by(col(Contact.role), col(Contact.name))
        ).all()
    )


def resolve_recipients(
    session: Session,
    view: TrajectoryView,
    roles: Iterable[Role],
    settings: Settings | None = None,
) -> Recipients:
    """The addresses for `roles` in this trajectory; one Recipient per address, roles merged."""
    settings = settings or get_settings()
    wanted = list(dict.fromkeys(roles))
    result = Recipients()
    by_address: dict[str, Recipient] = {}
    order: list[str] = []

    def add(name: str, email: str, role: Role, school: School | None) -> None:
        address = normalize_address(email)
        if not address:
            return
        known = by_address.get(address)
        if known is None:
            by_address[address] = Recipient(name, address, (role,), school.name if school else None)
            order.append(address)
        elif role not in known.roles:
            by_address[address] = Recipient(known.name, address, (*known.roles, role), known.school)

    schools: list[tuple[School | None, set[Role]]] = [
        (view.po_school, {r for r in wanted if r in PO_ROLES}),
        (view.vo_school, {r for r in wanted if r in VO_ROLES}),
    ]
    found: set[Role] = set()
    for school, school_roles in schools:
        if not school_roles or school is None:
            continue
        for contact in _contacts(session, school.id, school_roles):
            role = Role(contact.role)
            add(contact.name, contact.email, role, school)
            found.add(role)
    for role in wanted:
        if role in VIA_SCHOOL_ROLES:
            result.via_school.append(role)
        elif role in CONFIGURED_ROLES:
            setting, default_name = CONFIGURED_ROLES[role]
            name, address = parseaddr(getattr(settings, setting.removeprefix("OVERSTAP_").lower()))
            if address:
                add(name or default_name, address, role, None)
            else:
                result.missing.append(MissingRole(role, MissingReason.NOT_CONFIGURED))
        elif role in VO_ROLES and view.vo_school is None:
            result.missing.append(MissingRole(role, MissingReason.NO_VO_SCHOOL))
        elif role not in found:
            school = view.po_school if role in PO_ROLES else view.vo_school
            result.missing.append(
                MissingRole(role, MissingReason.NO_CONTACT, school.name if school else None)
            )
    # Keep the plan's order of roles, then the order of contacts within a role.
    rank = {role: index for index, role in enumerate(wanted)}
    ordered = [
        replace(r, roles=tuple(sorted(r.roles, key=lambda x: rank.get(x, 99))))
        for r in (by_address[a] for a in order)
    ]
    result.to = sorted(ordered, key=lambda r: rank.get(r.roles[0], 99))
    return result


def coordinator(settings: Settings | None = None) -> Recipient | None:
    """The coordinator of the samenwerkingsverband, when an address is configured."""
    settings = settings or get_settings()
    name, address = parseaddr(settings.coordinator_email)
    if not address:
        return None
    return Recipient(name or "coördinator", normalize_address(address), (), None)
