"""Which flows run where and when: the trajectory and track deployments and the daily clock."""

from __future__ import annotations

from typing import Any, cast

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from flows.clock import clock_flow
from flows.trajectory import track_flow, trajectory_flow
from models.settings import get_settings
from tasks.prefect_api import CLOCK_DEPLOYMENT, TRACK_DEPLOYMENT, TRAJECTORY_DEPLOYMENT


def _deployment(flow: Any, name: str, description: str, **options: Any) -> RunnerDeployment:
    # Module entrypoints: the runner imports the installed package, whatever the working folder.
    return cast(
        RunnerDeployment,
        flow.to_deployment(
            name=name,
            description=description,
            tags=["overstap"],
            entrypoint_type=EntrypointType.MODULE_PATH,
            **options,
        ),
    )


def trajectory_deployment() -> RunnerDeployment:
    return _deployment(
        trajectory_flow,
        TRAJECTORY_DEPLOYMENT,
        "Eén flow run per leerling; wordt gestart door 'overstap enroll'.",
    )


def track_deployment() -> RunnerDeployment:
    return _deployment(
        track_flow,
        TRACK_DEPLOYMENT,
        "Eén flow run per parallelle procedure (de TLV-aanvraag bij de CvA).",
    )


def clock_deployment() -> RunnerDeployment:
    return _deployment(
        clock_flow,
        CLOCK_DEPLOYMENT,
        "Elke dag om 06:00: wekt wachtende trajecten, herstelt runs, mailt en ververst dashboards.",
        schedules=[Cron("0 6 * * *", timezone=get_settings().timezone)],
    )


def deployments() -> list[RunnerDeployment]:
    return [trajectory_deployment(), track_deployment(), clock_deployment()]


def apply_deployments() -> None:
    """Register the deployments with the Prefect API (idempotent)."""
    for deployment in deployments():
        deployment.apply()


def serve_forever() -> None:
    """Run the deployments' flow runs until interrupted (Ctrl-C)."""
    serve(
        *deployments(),
        limit=get_settings().runner_limit,
        pause_on_shutdown=False,
        print_starting_message=False,
    )
