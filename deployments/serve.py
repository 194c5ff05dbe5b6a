"""Which flows run where and when: the trajectory deployment and the daily clock."""

from __future__ import annotations

from typing import cast

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from flows.clock import clock_flow
from flows.trajectory import track_flow, trajectory_flow
from models.settings import get_settings
from tasks.prefect_api import CLOCK_DEPLOYMENT, TRACK_DEPLOYMENT, TRAJECTORY_DEPLOYMENT


def trajectory_deployment() -> RunnerDeployment:
    deployment = cast(
        RunnerDeployment,
        trajectory_flow.to_deployment(
            name=TRAJECTORY_DEPLOYMENT,
            description="Eén flow run per leerling; wordt gestart door 'overstap enroll'.",
            tags=["overstap"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
    )
    return deployment


def track_deployment() -> RunnerDeployment:
    deployment = cast(
        RunnerDeployment,
        track_flow.to_deployment(
            name=TRACK_DEPLOYMENT,
            description="Eén flow run per parallelle procedure (de TLV-aanvraag bij de CvA).",
            tags=["overstap"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
    )
    return deployment


def clock_deployment() -> RunnerDeployment:
    deployment = cast(
        RunnerDeployment,
        clock_flow.to_deployment(
            name=CLOCK_DEPLOYMENT,
            description="Elke dag om 06:00: wekt wachtende trajecten en herstelt vastgelopen runs.",
            schedules=[Cron("0 6 * * *", timezone=get_settings().timezone)],
            tags=["overstap"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
    )
    return deployment


def apply_deployments() -> None:
    """Register both deployments with the Prefect API (idempotent)."""
    trajectory_deployment().apply()
    track_deployment().apply()
    clock_deployment().apply()


def serve_forever() -> None:
    """Run the deployments' flow runs until interrupted (Ctrl-C)."""
    serve(
        trajectory_deployment(),
        track_deployment(),
        clock_deployment(),
        limit=get_settings().runner_limit,
        pause_on_shutdown=False,
        print_starting_message=False,
    )
