"""The vocabulary every layer shares: roles, routes, statuses, and their Dutch labels.

The language rule: identifiers are English; a value stored in our tables, written in a plan file
or printed in `--json` output is a stable code and never changes once released (outbox keys,
audit entries and old rows hold it); wherever a person reads a value (the CLI's tables, emails,
forms, dashboards, the export), it is shown by its Dutch `label`. Domain words keep their Dutch
name in codes too (`intaker_vo`, `regulier`, `tlv`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

_T = TypeVar("_T")

MAIN_TRACK = "hoofd"


class SchoolKind(StrEnum):
    PO = "PO"
    VO = "VO"
    PRO = "PRO"
    VSO = "VSO"


class Role(StrEnum):
    """Who acts in a step. The values appear in the plan file and in the contacts CSV."""

    LEERKRACHT_PO = "leerkracht_po"
    INTERN_BEGELEIDER_PO = "intern_begeleider_po"
    DIRECTIE_PO = "directie_po"
    OUDERS = "ouders"
    LEERLING = "leerling"
    INTAKER_VO = "intaker_vo"
    MENTOR = "mentor"
    CVB_PRO_VSO = "cvb_pro_vso"
    CVA = "cva"
    LEERPLICHTAMBTENAAR = "leerplichtambtenaar"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Role:
        """A role as a person types it: its code or label, in any case ('Intaker_VO',
        'intaker vo'); `ValueError` with a Dutch message listing the roles otherwise."""
        found = _lookup(text, {**{r.value: r for r in cls}, **{r.label: r for r in cls}})
        if found is None:
            raise ValueError(f"rol '{text}' bestaat niet (kies uit {', '.join(cls)})")
        return found


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _lookup(text: str, known: dict[str, _T]) -> _T | None:
    """The value whose name matches `text` regardless of case, spaces, '_' and '-'."""
    wanted = _key(text)
    return next((value for name, value in known.items() if _key(name) == wanted), None)


ROLE_LABELS: dict[Role, str] = {
    Role.LEERKRACHT_PO: "leerkracht PO",
    Role.INTERN_BEGELEIDER_PO: "intern begeleider PO",
    Role.DIRECTIE_PO: "directie PO",
    Role.OUDERS: "ouders",
    Role.LEERLING: "leerling",
    Role.INTAKER_VO: "intaker VO",
    Role.MENTOR: "mentor",
    Role.CVB_PRO_VSO: "CvB PRO/VSO",
    Role.CVA: "CvA",
    Role.LEERPLICHTAMBTENAAR: "leerplichtambtenaar",
}


# The roles a school's contacts can have, by kind of school (the CVA's address is a setting).
SCHOOL_ROLES: dict[SchoolKind, tuple[Role, ...]] = {
    SchoolKind.PO: (Role.LEERKRACHT_PO, Role.INTERN_BEGELEIDER_PO, Role.DIRECTIE_PO),
    SchoolKind.VO: (Role.INTAKER_VO, Role.MENTOR),
    SchoolKind.PRO: (Role.INTAKER_VO, Role.MENTOR, Role.CVB_PRO_VSO),
    SchoolKind.VSO: (Role.INTAKER_VO, Role.MENTOR, Role.CVB_PRO_VSO),
}


def school_roles_text() -> str:
    """The roles per kind of school, as help texts and error messages list them."""
    return "; ".join(
        f"{'/'.join(k.value for k in kinds)}: {', '.join(roles)}"
        for roles, kinds in _grouped_roles().items()
    )


def _grouped_roles() -> dict[tuple[Role, ...], list[SchoolKind]]:
    grouped: dict[tuple[Role, ...], list[SchoolKind]] = {}
    for kind, roles in SCHOOL_ROLES.items():
        grouped.setdefault(roles, []).append(kind)
    return grouped


class Route(StrEnum):
    ONBEKEND = "onbekend"
    REGULIER = "regulier"
    PRO = "pro"
    VSO = "vso"

    @property
    def label(self) -> str:
        return {"onbekend": "nog niet gekozen", "regulier": "regulier VO"}.get(
            self.value, self.value.upper()
        )

    @classmethod
    def parse(cls, text: str) -> Route:
        """A route in any case ('PRO', 'Regulier'); `ValueError` (Dutch) otherwise."""
        found = _lookup(text, {r.value: r for r in cls})
        if found is None:
            raise ValueError(f"route '{text}' bestaat niet (kies uit {', '.join(cls)})")
        return found


class TrajectoryStatus(StrEnum):
    ACTIEF = "actief"
    AFGEROND = "afgerond"
    GESTOPT = "gestopt"

    @property
    def label(self) -> str:
        return self.value


class WaitingFor(StrEnum):
    """What a trajectory (or one of its tracks) waits for, as `overstap status` reports it."""

    DATE = "date"
    ANSWER = "answer"
    RUNNING = "running"
    DONE = "done"
    STOPPED = "stopped"
    TRACK = "track"  # the main walk waits until a parallel track (the TLV procedure) has ended
    # Its flow run was cancelled in Prefect (not by Overstap): the clock told the coordinator and
    # leaves the walk alone until `overstap stop` or `overstap restart`.
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return WAITING_LABELS[self]


WAITING_LABELS: dict[str, str] = {
    WaitingFor.DATE: "datum",
    WaitingFor.ANSWER: "antwoord",
    WaitingFor.RUNNING: "bezig",
    WaitingFor.TRACK: "procedure",
    WaitingFor.DONE: "klaar",
    WaitingFor.STOPPED: "gestopt",
    WaitingFor.CANCELLED: "geannuleerd in Prefect – wacht op stop of herstart",
}


class StepStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"
    # The step's period had ended before the pupil was enrolled (the groep-7 exception, a late
    # enrolment): recorded, never asked, never overdue. (At most 10 characters: the column.)
    LATE_ENTRY = "late_entry"

    @property
    def label(self) -> str:
        return STEP_STATUS_LABELS[self]


STEP_STATUS_LABELS: dict[str, str] = {
    StepStatus.DONE: "afgerond",
    StepStatus.OPEN: "open",
    StepStatus.SKIPPED: "overgeslagen",
    StepStatus.LATE_ENTRY: "ingestroomd na deze stap",
}


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class MessageKind(StrEnum):
    STAP_OPEN = "stap_open"
    HERINNERING = "herinnering"
    TE_LAAT = "te_laat"
    ONTBREKEND_CONTACT = "ontbrekend_contact"
    ADRES_FAALT = "adres_faalt"
    MELDING_LEERPLICHT = "melding_leerplicht"
    RUN_GEANNULEERD = "run_geannuleerd"
    OVERZICHT = "overzicht"  # the daily digest of a contact's open questions


class FailureKind(StrEnum):
    """How a failed attempt is judged."""

    SERVER = "server"
    """The SMTP server was unreachable or refused us (connect, TLS, login, sender): not the
    address's fault. Retried with backoff capped at `SERVER_BACKOFF_CAP`; never `failed`."""
    MESSAGE = "message"
    """A temporary refusal of this message or address (4xx): backoff capped at
    `MESSAGE_BACKOFF_CAP`, `failed` after `max_attempts`."""
    PERMANENT = "permanent"
    """A permanent refusal (5xx on the recipient or the data): `failed` at once."""
