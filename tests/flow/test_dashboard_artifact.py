"""The clock publishes one dashboard artifact per cohort under a stable key, without names."""

from __future__ import annotations

from datetime import date

import pytest
from prefect.artifacts import Artifact

from deployments.demo import REGULIER, VSO_AFGEWEZEN, answer_source
from models.reports.dashboard import artifact_key
from models.reports.schools import school_artifact_key
from tests.flow.driver import drive, make_pupil, run_clock_at, view_of

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_server", "simulation")]


def _markdown(cohort: int) -> str:
    artifact = Artifact.get(artifact_key(cohort))
    assert artifact is not None
    assert isinstance(artifact.data, str)
    return artifact.data


def _step_of(markdown: str, code: str) -> str:
    """The 'Stap' cell of a pupil's row in the dashboard's table of pupils (Wie, Uiterlijk,
    Te laat, Code linked to the run, Stap, ...)."""
    rows = [line for line in markdown.splitlines() if f"| [{code}](" in line]
    assert len(rows) == 1, rows
    return rows[0].split("|")[5].strip()


def test_clock_refreshes_the_cohort_artifact() -> None:
    """The artifact under 'overstap-cohort-2027' follows the records: codes in, names out."""
    first = make_pupil("Ysolde", "Vermeulen-Stokvis", cohort=2027, brin="99DA")
    second = make_pupil("Quirijn", "Abbenbroek", cohort=2027, brin="99DB")
    drive(first, answer_source(REGULIER), stop_before_step=2)
    drive(second, answer_source(VSO_AFGEWEZEN), stop_before_step=3)
    run_clock_at(date(2025, 10, 1))
    markdown = _markdown(2027)
    codes = [view_of(t).trajectory.code for t in (first, second)]
    for code in codes:
        assert code in markdown
    for name in ("Ysolde", "Vermeulen", "Quirijn", "Abbenbroek"):
        assert name not in markdown
    assert markdown.splitlines()[0] == "# Overstap PO-VO — cohort 2027"
    assert "**Cohort 2027: 2 leerlingen — 2 actief, 0 afgerond, 0 gestopt" in markdown
    assert _step_of(markdown, codes[0]) == str(view_of(first).trajectory.current_step)
    school = Artifact.get(school_artifact_key("99DA"))  # the worklist of the first one's school
    assert school is not None
    assert isinstance(school.data, str)
    assert school.data.startswith("# Overstap PO-VO — Basisschool 99DA (99DA)")

    drive(first, answer_source(REGULIER), stop_before_step=5)
    run_clock_at(date(2026, 1, 1))
    refreshed = _markdown(2027)
    assert refreshed != markdown, "the same key now holds the refreshed dashboard"
    assert _step_of(refreshed, codes[0]) == str(view_of(first).trajectory.current_step)
    assert _step_of(refreshed, codes[0]) != _step_of(markdown, codes[0])
