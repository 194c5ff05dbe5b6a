"""`make screenshots`: refresh docs/form.png and docs/dashboard.png with the browser test's code.

Starts its own `overstap up` (simulated clock, a temporary folder), seeds a cohort the way the
demo does, lets the clock start the runs, and photographs in Debian's chromium:
- docs/form.png: the screening form after an out-of-range DLE, asked again with the reason;
- docs/dashboard.png: the cohort's dashboard artifact.
Not run by the tests (pictures are no assertions): run it after a change to a form or dashboard.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
COHORT = 2028
IB = "ingrid.mulder@example.org"

# (first name, school, questions answered when due before): behind pupils make the dashboard's
# overdue list; the others wait for this month's question.
PUPILS = (
    ("Bram", "99PA", None),
    ("Sanne", "99PA", None),
    ("Daan", "99PB", None),
    ("Noor", "99PB", None),
    ("Finn", "99PA", None),
    ("Lotte", "99PB", None),
    ("Mees", "99PA", None),
    ("Julia", "99PB", None),
    ("Sem", "99PA", date(2027, 3, 1)),
    ("Tess", "99PB", date(2027, 3, 1)),
    ("Luuk", "99PA", date(2027, 7, 1)),
    ("Evi", "99PB", date(2027, 2, 1)),
)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="overstap-screenshots-"))
    from tests.e2e.local import (
        DEMO_SCHOOLS,
        cli,
        overstap_up,
        status,
        up_environment,
        wait_until,
    )

    env = up_environment(folder)
    # This process seeds the same database the `up` it starts uses.
    os.environ.update({k: v for k, v in env.items() if k.startswith("OVERSTAP_")})
    from models.plan.library import get_plan
    from models.plan.purposes import Purpose
    from tests.e2e.browser import (
        chromium,
        fill,
        open_form,
        pick_date,
        reopen_form_until,
        run_link_in_mail,
        seed_pupil,
        submit,
    )

    plan = get_plan()
    today = plan.window(plan.step_of(Purpose.SCREENING), COHORT).opens
    with overstap_up(env, folder / "up.log"):
        cli(env, "schools", "import", str(DEMO_SCHOOLS))
        for first_name, brin, due_before in PUPILS:
            seed_pupil(
                cohort=COHORT,
                first_name=first_name,
                last_name="Voorbeeld",
                school_brin=brin,
                enrolled_on=date(COHORT - 2, 9, 1),
                until=today - timedelta(days=1),  # the runs ask today's questions themselves
                due_before=due_before or today,
            )
        cli(env, "tick", "--today", today.isoformat())  # starts the runs
        wait_until(
            lambda: all(
                r["waiting_for"] == "answer" and r["prefect_state"] == "Suspended"
                for r in status(env)
            ),
            300,
            "every run to ask its question",
        )
        cli(env, "dashboard", "--cohort", str(COHORT))
        mail_dir = folder / "data" / "mail"
        wait_until(lambda: run_link_in_mail(mail_dir, IB), 180, "an email with a run link")
        link = run_link_in_mail(mail_dir, IB)
        assert link is not None
        dashboard = link.split("/runs/")[0] + f"/artifacts/key/overstap-cohort-{COHORT}"
        with chromium() as browser:
            # Tall enough for the whole form: a dialog is photographed as far as it is visible.
            page = browser.new_page(viewport={"width": 1200, "height": 2000})
            dialog = open_form(page, link, timeout_s=180)
            fill(dialog, {"Ingevuld door": "I. Mulder, intern begeleider"})
            pick_date(dialog, "Datum van de toets", date(COHORT - 2, 10, 1))  # in groep 7
            for label, value in (
                ("DLE begrijpend lezen", "200"),
                ("DLE technisch lezen", "40"),
                ("DLE spellen", "41"),
                ("DLE inzichtelijk rekenen", "42"),
                ("IQ", "0"),
            ):
                fill(dialog, {label: value})
            submit(page, dialog)
            dialog = reopen_form_until(page, link, "is niet verwerkt", timeout_s=180)
            dialog.screenshot(path=str(DOCS / "form.png"))
            page = browser.new_page(viewport={"width": 1500, "height": 2200})
            page.goto(dashboard)  # the artifact's versions; the newest shows the dashboard
            page.get_by_role("link", name=re.compile(r"^[0-9a-f]{8}$")).first.click()
            page.wait_for_url("**/artifacts/artifact/**", timeout=60_000)
            heading = page.get_by_role("heading", name=re.compile(f"cohort {COHORT}"))
            heading.first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(DOCS / "dashboard.png"))
    print(f"Bijgewerkt: {DOCS / 'form.png'} en {DOCS / 'dashboard.png'} (werkmap {folder}).")


if __name__ == "__main__":
    sys.exit(main())
