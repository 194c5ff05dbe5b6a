"""Cohort dashboards as Prefect artifacts: one per cohort, under a stable key.

The clock refreshes them every day and `overstap dashboard` on demand. An artifact is visible to
every user of the Prefect UI, so it carries pseudonymous codes and school names only.
"""

from __future__ import annotations

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from models.cases.view import load_views
from models.reports.dashboard import (
    artifact_key,
    cohorts,
    load_cohort_dashboard,
    render_markdown,
    summary_line,
)
from models.store.clock import today
from models.store.db import session_scope


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
    with session_scope() as session:
        return cohorts(load_views(session))


@task(task_run_name="dashboard-{cohort}", cache_policy=NO_CACHE, persist_result=False, retries=2)
def publish_dashboard(cohort: int) -> str:
    """Refresh the dashboard artifact of one cohort."""
    return publish(cohort)
