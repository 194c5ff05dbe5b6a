"""On-demand refresh of the cohort dashboards and school worklists (`overstap dashboard`); the
clock does it daily."""

from __future__ import annotations

from prefect import flow

from tasks.dashboards import active_cohorts, publish_dashboard, publish_school_dashboards


@flow(name="overstap-dashboards", persist_result=False, log_prints=False)
def dashboards_flow(cohort: int | None = None) -> list[str]:
    """Refresh the dashboard artifact of one cohort, or of every cohort with trajectories, and
    the worklists of their schools; return the cohort dashboards' keys."""
    wanted = [cohort] if cohort is not None else active_cohorts()
    keys = [publish_dashboard(year) for year in wanted]
    if wanted:
        publish_school_dashboards(wanted)
    return keys
