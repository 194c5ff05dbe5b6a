"""A plain (not editable) install works without the checkout: data and templates are package data.

The wheel is built from the checkout and installed (without its dependencies, which this venv
already has) into a folder of its own; the commands then run from an empty working folder, with
that folder first on the path, so nothing can be read through the checkout.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, installed into a folder of its own."""
    work = tmp_path_factory.mktemp("package")
    wheels, site, source = work / "wheels", work / "site", work / "source"
    # A copy of the sources: setuptools writes its build folder next to them, not in the checkout.
    local = {".git", ".venv", "data", "build"}  # the checkout's own, at its top only

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {n for n in names if n == "__pycache__" or n.endswith((".egg-info", "_cache"))}
        return skipped | (local & set(names) if Path(folder) == ROOT else set())

    shutil.copytree(ROOT, source, ignore=ignore)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
        check=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("overstap-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-t", str(site), str(wheel)],
        check=True,
        timeout=300,
    )
    return site


def _run(site: Path, cwd: Path, code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERSTAP_", "PREFECT_"))}
    env.update(PYTHONPATH=str(site), OVERSTAP_DATA_DIR=str(cwd / "data"))
    return subprocess.run(
        [sys.executable, "-P", "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_installed_package_shows_its_plan(installed: Path, tmp_path: Path) -> None:
    """`overstap plan --json` from the installed package: 28 steps, three calendars, and the
    modules come from the install, not from the checkout."""
    result = _run(
        installed,
        tmp_path,
        "import sys, models; sys.stderr.write(models.__file__);"
        "sys.argv = ['overstap', 'plan', '--json'];"
        "from deployments.cli import main; main()",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(str(installed))
    plan = json.loads(result.stdout)
    assert plan["version"] == "2025-2026.1"
    assert [s["number"] for s in plan["steps"]] == list(range(1, 29))
    assert [(c["school_year"], c["status"]) for c in plan["calendars"]] == [
        ("2025-2026", "vastgesteld"),
        ("2026-2027", "afgeleid"),
        ("2027-2028", "afgeleid"),
    ]


def _expected_schools() -> int:
    """Bijlage III's schools plus the demo's PO schools (its VO rows add contacts to Bijlage III's
    schools), read from the checkout's CSV files."""
    with (ROOT / "models" / "plan" / "data" / "vo-scholen.csv").open(encoding="utf-8") as f:
        region = {(row["name"], row["kind"]) for row in csv.DictReader(f)}
    with (ROOT / "deployments" / "demo_data" / "scholen.csv").open(encoding="utf-8") as f:
        demo = {row["brin"] for row in csv.DictReader(f) if row["kind"] == "PO"}
    return len(region) + len(demo)


def test_the_installed_package_seeds_the_demo_and_renders_its_email(
    installed: Path, tmp_path: Path
) -> None:
    """The demo's schools (Bijlage III and the demo CSV), its pupils and their emails (templates)
    all come out of the installed package."""
    result = _run(
        installed,
        tmp_path,
        "from models.store.db import session_scope\n"
        "from models.store.migrate import upgrade\n"
        "from models.store.tables import OutboxMessage, School, Trajectory\n"
        "from sqlmodel import select\n"
        "from deployments.demo import seed_demo_records\n"
        "upgrade()\n"
        "print('\\n'.join(seed_demo_records()))\n"
        "with session_scope() as s:\n"
        "    print('pupils', len(s.exec(select(Trajectory)).all()))\n"
        "    print('schools', len(s.exec(select(School)).all()))\n"
        "    print('mails', len(s.exec(select(OutboxMessage)).all()))\n",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "6 fictieve leerlingen ingeschreven." in lines
    counts = dict(
        line.split() for line in lines if line.split()[0] in {"pupils", "schools", "mails"}
    )
    assert counts["pupils"] == "6"
    assert int(counts["schools"]) == _expected_schools()
    assert int(counts["mails"]) > 0
    assert not (tmp_path / "models").exists()
