"""Which flows run where and when: the trajectory and track deployments and the daily clock.

Two ways to run them, same deployments: `overstap up` serves them from one process (the demo, a
single machine); `overstap deploy` registers them in a process work pool, whose `overstap worker`s
(on this host or others that reach the Prefect server and the database) run the flow runs, the
clock's scheduled runs included.
"""

from __future__ import annotations

from typing import Any, cast

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from flows.clock import clock_flow
from flows.mail import mail_flow
from flows.trajectory import track_flow, trajectory_flow
from models.settings import get_settings
from tasks.prefect_api import (
    CLOCK_DEPLOYMENT,
    MAIL_DEPLOYMENT,
    TRACK_DEPLOYMENT,
    TRAJECTORY_DEPLOYMENT,
)


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


def mail_deployment() -> RunnerDeployment:
    # One sender at a time: a second run waits its turn (and then finds little left to send).
    return _deployment(
        mail_flow,
        MAIL_DEPLOYMENT,
        "Verstuurt de e-mail uit de outbox; gestart zodra er post klaarstaat.",
        concurrency_limit=1,
    )


def deployments() -> list[RunnerDeployment]:
    return [trajectory_deployment(), track_deployment(), clock_deployment(), mail_deployment()]


def apply_deployments() -> None:
    """Register the deployments with the Prefect API (idempotent)."""
    for deployment in deployments():
        deployment.apply()


def serve_forever() -> None:
    """Run the deployments' flow runs until interrupted (Ctrl-C), each started as a fork of the
    preloaded engine (`deployments.engine`) when it runs."""
    from deployments.engine import launcher, start_preloaded_engine, stop_preloaded_engine
    from tasks.prefect_internals import start_runner_runs_with

    engine = start_preloaded_engine()
    script = launcher()
    if engine is not None and script is not None:
        start_runner_runs_with(str(script))
    try:
        serve(
            *deployments(),
            limit=get_settings().runner_limit,
            pause_on_shutdown=False,
            print_starting_message=False,
        )
    finally:
        stop_preloaded_engine(engine)


def ensure_work_pool(name: str) -> bool:
    """Create the process work pool `name` unless it exists; True when it was created."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(name)
            return False
        except ObjectNotFound:
            client.create_work_pool(
                WorkPoolCreate(
                    name=name,
                    type="process",
                    description="Overstap: de flow runs van alle leerlingen en de klok.",
                    base_job_template=ProcessWorker.get_default_base_job_template(),
                )
            )
            return True


def server_retention() -> dict[str, str]:
    """The Prefect server's own vacuum and event retention settings, as it reports them."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        response = client.request("GET", "/admin/settings")
        settings = response.json()
    services = settings.get("server", {}).get("services", {}).get("db_vacuum", {})
    events = settings.get("server", {}).get("events", {})
    return {
        "vacuum": ",".join(sorted(services.get("enabled", []))),
        "flow_run_retention": str(services.get("retention_period", "")),
        "event_retention": str(events.get("retention_period", "")),
    }


ENGINE_COMMAND = "overstap-engine"  # on the PATH `overstap worker` gives its flow runs


def deploy_to_pool(pool: str) -> list[str]:
    """Create the work pool and (re)register every deployment in it; idempotent."""
    report = [
        f"Work pool '{pool}' aangemaakt (type process)."
        if ensure_work_pool(pool)
        else f"Work pool '{pool}' bestaat al."
    ]
    for deployment in deployments():
        # The worker's flow runs start with the launcher of the preloaded engine, which falls
        # back to `python -m prefect.engine` when `overstap worker` did not start one.
        deployment.job_variables = {**(deployment.job_variables or {}), "command": ENGINE_COMMAND}
        deployment.apply(work_pool_name=pool)
        report.append(f"Deployment {deployment.flow_name}/{deployment.name} in '{pool}'.")
    retention = server_retention()
    if "flow_runs" not in retention["vacuum"].split(","):
        report.append(
            "Let op: de Prefect-server ruimt afgelopen flow runs niet op (db vacuum: "
            f"{retention['vacuum'] or 'uit'}). Start hem met 'overstap server' of zet "
            "PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED=events,flow_runs (docs/production.md)."
        )
    else:
        report.append(
            f"Prefect ruimt op: {retention['vacuum']} (flow runs na "
            f"{retention['flow_run_retention']}, events na {retention['event_retention']})."
        )
    return report
