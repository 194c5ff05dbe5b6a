"""A plan folder beside the shipped files (`OVERSTAP_PLAN_DIR`), and `overstap plan --check`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deployments.cli import app
from models.datafiles import PlanFileError
from models.plan.library import SHIPPED_DIR, check_folder, get_plan, library
from models.settings import reset_settings

RENUMBERED = Path(__file__).resolve().parents[1] / "data" / "plan-hernummerd"
RENUMBERED_FILE = RENUMBERED / "stappenplan" / "2025-2026-hernummerd.toml"


def _use_folder(monkeypatch: pytest.MonkeyPatch, folder: Path, version: str = "") -> None:
    monkeypatch.setenv("OVERSTAP_PLAN_DIR", str(folder))
    monkeypatch.setenv("OVERSTAP_PLAN_VERSION", version)
    reset_settings()


def test_a_folder_adds_its_plans_beside_the_shipped_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both plans are there; a trajectory's version finds its own; new enrolments take the
    setting, else the newest version."""
    _use_folder(monkeypatch, RENUMBERED)
    assert sorted(library().plans) == ["2025-2026.1", "2025-2026.hernummerd"]
    assert len(get_plan("2025-2026.1").steps) == 28
    assert len(get_plan("2025-2026.hernummerd").steps) == 29
    assert get_plan().version == "2025-2026.hernummerd"  # '.hernummerd' sorts after '.1'
    _use_folder(monkeypatch, RENUMBERED, version="2025-2026.1")
    assert get_plan().version == "2025-2026.1"


def test_a_version_in_two_files_names_both(tmp_path: Path) -> None:
    """The same version in the folder and in the shipped data is an error naming both files."""
    (tmp_path / "stappenplan").mkdir()
    copy = tmp_path / "stappenplan" / "kopie.toml"
    shutil.copy(SHIPPED_DIR / "stappenplan" / "2025-2026.toml", copy)
    with pytest.raises(PlanFileError) as info:
        check_folder(tmp_path)
    assert info.value.path == copy
    assert info.value.reason == (
        f"versie '2025-2026.1' staat ook in {SHIPPED_DIR / 'stappenplan' / '2025-2026.toml'}"
    )


def test_a_school_year_in_two_files_names_both(tmp_path: Path) -> None:
    (tmp_path / "kalender").mkdir()
    copy = tmp_path / "kalender" / "2025-2026.toml"
    shutil.copy(SHIPPED_DIR / "kalender" / "2025-2026.toml", copy)
    with pytest.raises(PlanFileError, match="schooljaar 2025-2026 staat ook in") as info:
        check_folder(tmp_path)
    assert str(SHIPPED_DIR / "kalender" / "2025-2026.toml") in info.value.reason


def test_a_folder_without_the_layout_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="geen 'stappenplan/' en geen 'kalender/'"):
        check_folder(tmp_path)
    with pytest.raises(PlanFileError, match="bestaat niet"):
        check_folder(tmp_path / "nergens")


def test_a_new_calendar_in_the_folder_extends_the_cohorts(tmp_path: Path) -> None:
    """A calendar for 2028-2029 makes cohort 2029 possible; its weekend date is a warning."""
    (tmp_path / "kalender").mkdir()
    text = (SHIPPED_DIR / "kalender" / "2027-2028.toml").read_text(encoding="utf-8")
    text = re.sub(r"\b(2027|2028)\b", lambda m: str(int(m.group(1)) + 1), text)
    (tmp_path / "kalender" / "2028-2029.toml").write_text(text, encoding="utf-8")
    found = check_folder(tmp_path)
    assert sorted(found.calendars) == [2025, 2026, 2027, 2028]
    plan = found.plan("2025-2026.1")
    step = plan.step_of("registration")
    assert plan.window(step, 2029).opens.isoformat() == "2029-03-25"
    assert any("2028-2029.toml" in w and "zondag (25 maart 2029)" in w for w in found.warnings)


def test_plan_check_reports_a_broken_reference_with_file_line_and_reason(
    tmp_path: Path,
) -> None:
    """`overstap plan --check DIR` exits 1 and names the file, the line and the reason."""
    (tmp_path / "stappenplan").mkdir()
    broken = tmp_path / "stappenplan" / "proef.toml"
    text = RENUMBERED_FILE.read_text(encoding="utf-8")
    broken.write_text(
        text.replace('"toelating_pro_vso", "toelating"]', '"toelating_pro_vso", "toelatingen"]', 1),
        encoding="utf-8",
    )
    line = next(
        n for n, t in enumerate(broken.read_text().splitlines(), start=1) if "toelatingen" in t
    )
    result = CliRunner().invoke(app, ["plan", "--check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Fout: {broken}:{line}: stap 25: wacht op track 'toelatingen', maar geen stap of vraag "
        "hoort bij die track (bekend: tlv, toelating, toelating_pro_vso)"
    )


def test_plan_check_accepts_the_renumbered_plan_and_prints_what_it_found() -> None:
    result = CliRunner().invoke(app, ["plan", "--check", str(RENUMBERED)])
    assert result.exit_code == 0, result.output
    assert "Stappenplan 2025-2026.hernummerd: 29 stappen (map)" in result.stdout
    assert "Stappenplan 2025-2026.1: 28 stappen (meegeleverd)" in result.stdout
    assert "Kalender 2026-2027, afgeleid" in result.stdout
    assert "In orde: 1 stappenplan(nen) en 0 kalender(s)" in result.stdout
