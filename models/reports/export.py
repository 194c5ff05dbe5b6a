"""CSV export of one cohort for the yearly evaluation (chapter 4 of the agreements).

One row per pupil of the cohort, in a fixed column order (`export_columns`):

    code; [voornaam; achternaam;] cohort; po_school; po_brin; vo_school; route; status;
    uitstroom_uit_groep; huidige_stap; wacht_op; tlv_soort; tlv_aangevraagd_op; tlv_besluit;
    tlv_categorie; tlv_besluit_op; toelating;
    stap_1_status; stap_1_geopend; stap_1_uiterlijk; stap_1_beantwoord; stap_1_dagen_te_laat;
    ... the same five columns for every step of the cohort's plan (28 in the 2025-2026 plan).

- Step numbers are those of the plan each pupil started with (the `plan` column); a cohort whose
  pupils follow plans of different lengths gets the columns of the longest.

- Names (`voornaam`, `achternaam`) only with `with_names=True`; a birth date is never exported,
  nor who answered a step (people's names typed into forms).
- Step status: `afgerond`, `open`, `overgeslagen`, or empty while the step is not reached.
  `dagen_te_laat` is 0 for an answer on time, the calendar days after the due date for a late
  one, and empty while the step has no answer. Dates are ISO (JJJJ-MM-DD), in the region's
  timezone; Excel reads them as dates.
- TLV columns: the pupil's latest TLV request (`open` while the CvA has not decided).
- The file is made for a Dutch coordinator who opens it in Excel: UTF-8 with a byte order mark
  (`utf-8-sig`, or Excel shows ë as Ã«), `;` between fields (the Dutch list separator: with `,`
  Excel puts the whole row in one column), CRLF line ends. A cell that starts with `=`, `+`, `-`
  or `@` gets a leading `'` so Excel never runs it as a formula (CSV injection via a school name).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

from models.cases.view import TrajectoryView
from models.enums import STEP_STATUS_LABELS, WAITING_LABELS
from models.plan.library import get_plan
from models.reports.evaluation import cohort_views, days_late, local_date
from models.reports.status import status_row
from models.store.tables import StepRecord, TlvRequest

STEP_FIELDS = ("status", "geopend", "uiterlijk", "beantwoord", "dagen_te_laat")
NAME_COLUMNS = ("voornaam", "achternaam")
DELIMITER = ";"
ENCODING = "utf-8-sig"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def step_numbers(views: Iterable[TrajectoryView], cohort: int) -> range:
    """The step numbers the export of `cohort` has columns for (those of the longest plan)."""
    members = cohort_views(views, cohort)
    longest = max((len(v.plan.steps) for v in members), default=len(get_plan().steps))
    return range(1, longest + 1)


def export_columns(*, with_names: bool, steps: Iterable[int]) -> list[str]:
    """The columns of the export, in order."""
    columns = ["code", *(NAME_COLUMNS if with_names else ())]
    columns += [
        "cohort",
        "plan",
        "po_school",
        "po_brin",
        "vo_school",
        "route",
        "status",
        "uitstroom_uit_groep",
        "huidige_stap",
        "wacht_op",
        "tlv_soort",
        "tlv_aangevraagd_op",
        "tlv_besluit",
        "tlv_categorie",
        "tlv_besluit_op",
        "toelating",
    ]
    columns += [f"stap_{n}_{name}" for n in steps for name in STEP_FIELDS]
    return columns


def _step_cells(number: int, record: StepRecord | None) -> dict[str, str]:
    prefix = f"stap_{number}_"
    if record is None:
        return {prefix + name: "" for name in STEP_FIELDS}
    late = days_late(record)
    return {
        prefix + "status": STEP_STATUS_LABELS.get(record.status, record.status),
        prefix + "geopend": record.opened_on.isoformat() if record.opened_on else "",
        prefix + "uiterlijk": record.due_by.isoformat() if record.due_by else "",
        prefix + "beantwoord": (
            local_date(record.answered_at).isoformat() if record.answered_at else ""
        ),
        prefix + "dagen_te_laat": "" if late is None else str(late),
    }


def _tlv_cells(requests: Sequence[TlvRequest]) -> dict[str, str]:
    latest = max(requests, key=lambda r: (r.submitted_on, r.created_at), default=None)
    if latest is None:
        return dict.fromkeys(
            ("tlv_soort", "tlv_aangevraagd_op", "tlv_besluit", "tlv_categorie", "tlv_besluit_op"),
            "",
        )
    return {
        "tlv_soort": latest.kind + (" (grensgebied)" if latest.grensgebied else ""),
        "tlv_aangevraagd_op": latest.submitted_on.isoformat(),
        "tlv_besluit": latest.decision or "open",
        "tlv_categorie": latest.category or "",
        "tlv_besluit_op": latest.decided_on.isoformat() if latest.decided_on else "",
    }


def export_rows(
    views: Iterable[TrajectoryView],
    cohort: int,
    *,
    with_names: bool,
    tlv_requests: Iterable[TlvRequest],
) -> list[dict[str, str]]:
    """One row per pupil of `cohort`, ordered by code, every value a string (see the module
    docstring for the columns). Names only `with_names`."""
    requests: dict[object, list[TlvRequest]] = {}
    for request in tlv_requests:
        requests.setdefault(request.trajectory_id, []).append(request)
    rows = []
    for view in cohort_views(views, cohort):
        t = view.trajectory
        status = status_row(view)
        row: dict[str, str] = {"code": t.code}
        if with_names:
            row |= {"voornaam": view.pupil.first_name, "achternaam": view.pupil.last_name}
        row |= {
            "cohort": str(t.cohort),
            "plan": t.plan_version,
            "po_school": view.po_school.name,
            "po_brin": view.po_school.brin or "",
            "vo_school": view.vo_school.name if view.vo_school else "",
            "route": t.route,
            "status": t.status,
            "uitstroom_uit_groep": str(t.transfer_groep),
            "huidige_stap": str(status.current_step or ""),
            "wacht_op": WAITING_LABELS.get(status.waiting_for, status.waiting_for),
        }
        row |= _tlv_cells(requests.get(t.id, []))
        row["toelating"] = view.facts.admission or ""
        for number in step_numbers([view], cohort):
            row |= _step_cells(number, view.records.get(number))
        rows.append(row)
    return rows


def _safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_csv(
    rows: Sequence[Mapping[str, str]],
    target: str | Path | IO[str],
    *,
    columns: Sequence[str] | None = None,
) -> int:
    """Write `rows` as CSV for Excel (`;`, CRLF); return how many rows were written.

    A path is written as UTF-8 with a byte order mark. An open text stream gets the same text
    with the mark in front (open it with `newline=""` and encoding "utf-8"). `columns` defaults to
    the keys of the first row, or the columns without names when there are no rows.
    """
    header = list(columns or (rows[0].keys() if rows else ["code"]))
    if isinstance(target, str | Path):
        with Path(target).open("w", encoding=ENCODING, newline="") as stream:
            return _write(stream, header, rows)
    target.write("\ufeff")
    return _write(target, header, rows)


def _write(stream: IO[str], header: list[str], rows: Sequence[Mapping[str, str]]) -> int:
    writer = csv.writer(stream, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(str(row.get(column, ""))) for column in header])
    return len(rows)


__all__ = [
    "DELIMITER",
    "ENCODING",
    "export_columns",
    "export_rows",
    "write_csv",
]
