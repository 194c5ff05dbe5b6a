"""Cohort dashboards and school worklists as Prefect artifacts, each under a stable key.

The clock refreshes them every day and `overstap dashboard` on demand. An artifact is visible to
every user of the Prefect UI, so it carries pseudonymous codes and school names only.
"""

from __future__ import annotations

from datetime import date

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from sqlmodel import select

from models.cases import due
from models.reports.dashboard import (
    artifact_key,
    load_cohort_dashboard,
    render_markdown,
    summary_line,
)
from models.reports.schools import (
    load_school_dashboards,
    render_school_markdown,
    school_summary,
    schools_of_cohorts,
)
from models.store.clock import now, today
from models.store.db import session_scope
from models.store.tables import DashboardRefresh, Trajectory


def publish(cohort: int) -> str:
    """Render and publish the dashboard of one cohort; return its artifact key."""
    with session_scope() as session:
        dashboard = load_cohort_dashboard(session, cohort, today())
    key = artifact_key(cohort)
    create_markdown_artifact(
        markdown=render_markdown(dashboard), key=key, description=summary_line(dashboard)
    )
    return key


def active_cohorts() -> list[int]:
    """Every cohort that has a trajectory (what `overstap dashboard` refreshes)."""
    with session_scope() as session:
        return sorted(session.exec(select(Trajectory.cohort).distinct()).all())


@task(task_run_name="dashboard-{cohort}", cache_policy=NO_CACHE, persist_result=False, retries=2)
def publish_dashboard(cohort: int) -> str:
    """Refresh the dashboard artifact of one cohort."""
    key = publish(cohort)
    moment = now()
    with session_scope() as session:
        row = session.get(DashboardRefresh, cohort) or DashboardRefresh(
            cohort=cohort, refreshed_at=moment, refreshed_on=moment.date()
        )
        row.refreshed_at, row.refreshed_on = moment, today()
        session.add(row)
    return key


def stale_cohorts(day: date) -> list[int]:
    """Cohorts to refresh: a cohort with active pupils once a day (its overdue items move with
    the date), and any cohort whose records changed since its dashboard was made."""
    with session_scope() as session:
        refreshed = {r.cohort: r for r in session.exec(select(DashboardRefresh)).all()}
        stale = {
            c
            for c in due.active_cohorts(session)
            if c not in refreshed or refreshed[c].refreshed_on != day
        }
        since = min((r.refreshed_at for r in refreshed.values()), default=None)
        for cohort in due.changed_cohorts(session, since) - stale:
            last = refreshed.get(cohort)
            if last is None or cohort in due.changed_cohorts(session, last.refreshed_at):
                stale.add(cohort)
    return sorted(stale)


@task(task_run_name="school-dashboards", cache_policy=NO_CACHE, persist_result=False, retries=2)
def publish_school_dashboards(cohorts: list[int] | None = None) -> list[str]:
    """Refresh the worklist artifact of every school with a pupil in `cohorts` (all schools
    with a BRIN when None); return their keys."""
    with session_scope() as session:
        ids = schools_of_cohorts(session, cohorts) if cohorts is not None else None
        dashboards = load_school_dashboards(session, today(), ids)
    for dashboard in dashboards:
        create_markdown_artifact(
            markdown=render_school_markdown(dashboard),
            key=dashboard.key,
            description=school_summary(dashboard),
        )
    return [d.key for d in dashboards]


def publish_changed(day: date) -> list[str]:
    """Refresh the dashboards that are out of date (the clock): once a day each, and again only
    for a cohort whose records changed since; then the worklists of those cohorts' schools.
    Returns the cohort dashboards' keys."""
    stale = stale_cohorts(day)
    keys = [publish_dashboard(cohort) for cohort in stale]
    if stale:
        publish_school_dashboards(stale)
    return keys
