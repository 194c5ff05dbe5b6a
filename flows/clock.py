"""The clock flow: daily at 06:00 (Europe/Amsterdam) and on demand (`overstap tick`).

It wakes trajectories whose date has come, and repairs trajectories whose flow run crashed,
failed, finished early or vanished by starting a new run that continues from the records. Every
action is idempotent, so running the clock twice (or two clocks at once) does no harm.
"""

from __future__ import annotations

from collections import Counter

from prefect import flow, get_run_logger
from sqlmodel import select

from models.clock import today, wall_clock_utc
from models.db import session_scope
from models.settings import get_settings
from models.tables import Trajectory, TrajectoryStatus
from tasks.prefect_api import (
    decide,
    read_flow_runs,
    repair_trajectory,
    stop_cancelled,
    wake_trajectory,
)


@flow(name="overstap-klok", persist_result=False, log_prints=False)
def clock_flow() -> dict[str, int]:
    """Wake waiting trajectories whose date has come and repair broken ones."""
    logger = get_run_logger()
    day = today()
    with session_scope() as session:
        active = list(
            session.exec(select(Trajectory).where(Trajectory.status == TrajectoryStatus.ACTIEF))
        )
    runs = read_flow_runs(t.flow_run_id for t in active if t.flow_run_id is not None)
    counts: Counter[str] = Counter()
    for trajectory in active:
        run = runs.get(trajectory.flow_run_id) if trajectory.flow_run_id else None
        action = decide(
            trajectory,
            run,
            today=day,
            now_utc=wall_clock_utc(),
            stuck_after_minutes=get_settings().stuck_after_minutes,
        )
        if action.kind == "wake" and trajectory.flow_run_id is not None:
            if wake_trajectory(trajectory.id, trajectory.flow_run_id):
                counts["gewekt"] += 1
        elif action.kind == "repair":
            repair_trajectory(trajectory.id, action.reason)
            counts["hersteld"] += 1
        elif action.kind == "stop":
            stop_cancelled(trajectory.id, action.reason)
            counts["gestopt"] += 1
    counts["actief"] = len(active)
    logger.info("Klok %s: %s", day.isoformat(), dict(counts))
    return dict(counts)
