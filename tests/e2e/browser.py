"""The Prefect UI in a real browser, driven the way an intaker uses it: for `test_browser.py` and
`make screenshots` (`tests/e2e/screenshots.py`).

Debian's chromium (`apt-get install chromium`), driven by Playwright; Playwright's own browser
download is not used. Every wait is on something visible (a button, a text), with generous
time-outs: the run behind the page suspends, resumes and suspends again in other processes.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from sqlmodel import select

from deployments.demo import REGULIER, Overrides, answer_source
from deployments.smtp_sink import list_messages, read_message
from models.cases.enrolment import CheckedEnrollment, enroll
from models.plan.library import get_plan
from models.store.clock import pinned
from models.store.db import session_scope
from models.store.tables import School
from models.walk.offline import walk_without_prefect

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root, offline: no sandbox, and nothing that reaches out to Google's hosts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RUN_LINK = re.compile(r"https?://\S+/runs/flow-run/[0-9a-f-]{36}")
SUBMIT = re.compile(r"^(Submit|Resume)$")  # the button under the form differs between the UIs


@contextmanager
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise AssertionError("Debian's chromium is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def seed_pupil(
    *,
    cohort: int,
    first_name: str,
    last_name: str,
    school_brin: str,
    enrolled_on: date,
    until: date,
    overrides: Overrides = REGULIER,
    due_before: date | None = None,
) -> tuple[UUID, str]:
    """Enrol a pupil and walk their plan without Prefect up to `until` (the demo's way: the
    flow's own executor, scripted answers; with `due_before` only the questions due before that
    day are answered). No flow run yet: the clock starts one. Returns the id and the code."""
    plan = get_plan()
    with session_scope() as session:
        school = session.exec(select(School).where(School.brin == school_brin)).one()
        checked = CheckedEnrollment(
            first_name=first_name,
            last_name=last_name,
            birth_date=date(cohort - 13, 3, 14),
            school=school,
            groep=7 if enrolled_on.year < cohort - 1 else 8,
            cohort=cohort,
            transfer_groep=8,
        )
        with pinned(enrolled_on):
            trajectory = enroll(session, checked, plan=plan, actor="test")
        trajectory_id, code = trajectory.id, trajectory.code
    walk_without_prefect(trajectory_id, answers=answer_source(overrides, due_before), until=until)
    return trajectory_id, code


def seed_pupil_before(purpose: str, *, cohort: int, **pupil: Any) -> tuple[UUID, str, date]:
    """`seed_pupil` up to the day before the step with `purpose` opens; returns that day too."""
    plan = get_plan()
    opens = plan.window(plan.step_of(purpose), cohort).opens
    trajectory_id, code = seed_pupil(cohort=cohort, until=opens - timedelta(days=1), **pupil)
    return trajectory_id, code, opens


def run_link_in_mail(mail_dir: Path, recipient: str) -> str | None:
    """The link to a run in the newest message to `recipient` that has one."""
    for message in reversed(list_messages(mail_dir)):
        if recipient in message.to:
            found = RUN_LINK.search(read_message(message.path))
            if found:
                return found.group(0)
    return None


def open_form(page: Page, url: str, *, timeout_s: float = 60) -> Locator:
    """Open the run's page and choose Resume (a button on the page in one UI, in the run's menu
    in the other); return the dialog that holds the form."""
    page.goto(url)
    resume = page.get_by_role("button", name="Resume")
    menu = page.get_by_role("button", name="Open menu")
    expect(resume.or_(menu).first).to_be_visible(timeout=timeout_s * 1000)
    if resume.is_visible():
        resume.click()
    else:
        menu.click()
        page.get_by_role("menuitem", name="Resume").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Ingevuld door").first).to_be_visible(timeout=30_000)
    return dialog


def reopen_form_until(page: Page, url: str, text: str, *, timeout_s: float = 120) -> Locator:
    """Open the form again until its description shows `text` (the run asks again once it has
    judged the previous answer, in a process of its own)."""
    deadline = time.monotonic() + timeout_s
    while True:
        dialog = open_form(page, url, timeout_s=max(5.0, deadline - time.monotonic()))
        if text in dialog.inner_text():
            return dialog
        if time.monotonic() > deadline:
            raise AssertionError(f"the form never showed {text!r}:\n{dialog.inner_text()}")
        page.keyboard.press("Escape")
        page.wait_for_timeout(2000)


def field(dialog: Locator, label: str) -> Locator:
    """The input of the form field labelled `label`."""
    # `has` is matched inside each candidate, so it is built from the page, not the dialog.
    labels = dialog.page.locator(".schema-form-property__label", has_text=re.compile(f"^{label}$"))
    prop = dialog.locator(".schema-form-property").filter(has=labels)
    return prop.locator("input, textarea").first


def fill(dialog: Locator, values: dict[str, str]) -> None:
    for label, value in values.items():
        field(dialog, label).fill(value)


def pick_date(dialog: Locator, label: str, day: date) -> None:
    """Choose `day` in the date field labelled `label` as a person does: open the calendar, type
    the day in its 'Selected Date' box (the UI's own mm/dd/yyyy), Apply."""
    labels = dialog.page.locator(".schema-form-property__label", has_text=re.compile(f"^{label}$"))
    prop = dialog.locator(".schema-form-property").filter(has=labels)
    prop.locator(".p-date-button__control").click()
    picker = dialog.page.locator(".p-date-picker").last
    typed = picker.locator("input")
    typed.click()
    typed.press_sequentially(f"{day:%m/%d/%Y}", delay=20)
    typed.press("Tab")
    picker.get_by_role("button", name="Apply").click()
    expect(prop.locator(".p-date-button__value")).not_to_have_text("Select date")


def submit(page: Page, dialog: Locator, *, attempts: int = 3) -> dict[str, Any]:
    """Press the button under the form; return what the server answered to the resume.

    A busy server (SQLite on a loaded machine) sometimes answers 503 and leaves the form open;
    a person presses the button again, and so does this.
    """
    result: dict[str, Any] = {}
    for _ in range(attempts):
        with page.expect_response(lambda r: r.url.endswith("/resume"), timeout=30_000) as answer:
            dialog.get_by_role("button", name=SUBMIT).click()
        response = answer.value
        result = response.json() if response.ok else {"body": response.text()}
        result["http_status"] = response.status
        if response.status < 500:
            return result
        page.wait_for_timeout(2000)
    return result
