"""The Prefect UI in Debian's chromium, as an intern begeleider uses it: the link in the email
opens the pupil's run, Resume shows the form, an out-of-range DLE is answered with a Dutch reason
(not Prefect's English toast), the corrected answer is recorded and the pupil moves on.

A real `overstap up` (simulated clock). The pupil is enrolled and walked to the eve of the screening
step the way the demo seeds its pupils (`tests/e2e/browser.py`); the clock then starts the run,
which asks the screening question and sends the email.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psutil
import pytest

from models.plan.purposes import Purpose
from tests.e2e.browser import (
    chromium,
    fill,
    open_form,
    pick_date,
    reopen_form_until,
    run_link_in_mail,
    seed_pupil_before,
    submit,
)
from tests.e2e.local import DEMO_SCHOOLS, cli, overstap_up, up_environment, wait_until

pytestmark = pytest.mark.e2e

IB = "ingrid.mulder@example.org"  # the intern begeleider of OBS De Regenboog (99PA), demo data
# In groep 7 of this cohort-2028 pupil, and before both the real and the simulated today.
TEST_DAY = date(2026, 10, 1)
DLE = ("DLE begrijpend lezen", "DLE technisch lezen", "DLE spellen", "DLE inzichtelijk rekenen")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return up_environment(tmp_path)


@pytest.fixture
def running(env: dict[str, str], tmp_path: Path) -> Iterator[psutil.Process]:
    with overstap_up(env, tmp_path / "up.log") as process:
        yield process


def _pupil(env: dict[str, str], code: str) -> dict[str, object]:
    rows = json.loads(cli(env, "status", "--json").stdout)
    found: dict[str, object] = next(r for r in rows if r["code"] == code)
    return found


def test_an_intern_begeleider_answers_the_screening_in_the_browser(
    env: dict[str, str], running: psutil.Process, tmp_path: Path
) -> None:
    cli(env, "schools", "import", str(DEMO_SCHOOLS))
    _, code, opens = seed_pupil_before(
        Purpose.SCREENING,
        cohort=2028,
        first_name="Bram",
        last_name="Browser",
        school_brin="99PA",
        enrolled_on=date(2026, 9, 1),
    )
    cli(env, "tick", "--today", opens.isoformat())  # the clock starts the pupil's run
    mail_dir = tmp_path / "data" / "mail"
    wait_until(lambda: run_link_in_mail(mail_dir, IB), 120, "the email with the link to the run")
    link = run_link_in_mail(mail_dir, IB)
    assert link is not None

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        dialog = open_form(page, link, timeout_s=120)
        description = dialog.inner_text()
        assert f"{code}, Bram B." in description
        assert "Stap 14" in description
        # The two UIs label the button under the form differently: the text names neither.
        assert "verstuur het formulier met de knop eronder" in description
        assert "kies Resume" not in description

        fill(dialog, {"Ingevuld door": "I. Mulder, intern begeleider"})
        pick_date(dialog, "Datum van de toets", TEST_DAY)
        fill(dialog, dict(zip(DLE, ("200", "40", "41", "42"), strict=True)))
        fill(dialog, {"IQ": "0"})
        first = submit(page, dialog)
        # The server takes the answer (no "Validation failed for field ..." toast): our own
        # check judges it and asks again, in Dutch.
        assert first["status"] == "ACCEPT", first

        dialog = reopen_form_until(page, link, "is niet verwerkt")
        asked_again = dialog.inner_text()
        assert (
            "'DLE begrijpend lezen': 200 ligt buiten het toegestane bereik; vul een getal van "
            "0 tot en met 80 in." in asked_again
        )
        assert "Validation failed" not in page.content()

        fill(dialog, {"Ingevuld door": "I. Mulder, intern begeleider"})
        pick_date(dialog, "Datum van de toets", TEST_DAY)
        fill(dialog, dict(zip(DLE, ("45", "40", "41", "42"), strict=True)))
        fill(dialog, {"IQ": "0"})
        second = submit(page, dialog)
        assert second.get("status") == "ACCEPT", second

    def moved_on() -> bool:
        row = _pupil(env, code)
        return row["current_question"] == "evaluatie" and row["prefect_state"] == "Suspended"

    wait_until(moved_on, 120, "the pupil to move on to the route choice")
    row = _pupil(env, code)
    assert (row["current_step"], row["waiting_for"]) == (14, "answer")
    assert row["waiting_on"] == ["intaker_vo"]

    history = " ".join(cli(env, "show", code).stdout.split())  # unwrapped
    screening = history[history.index("Stap 14 ·") :]
    assert "didactische gegevens voor de screening (poging 1, afgewezen)" in screening
    assert "fout: 'DLE begrijpend lezen': 200 ligt buiten het toegestane bereik" in screening
    assert "didactische gegevens voor de screening (poging 2, vastgelegd)" in screening
    assert "door I. Mulder, intern begeleider" in screening
    assert "DLE begrijpend lezen: 45" in screening
    assert "wacht op antwoord van intaker VO (evaluatie en keuze van de route)" in history
