"""The clock flow: daily at 06:00 (Europe/Amsterdam) and on demand (`overstap tick`).

It wakes runs whose date has come (and main walks whose parallel track has ended), and repairs
runs that crashed, failed, finished early or vanished by starting a new run that continues from
the records. Every action is idempotent, so running the clock twice (or two clocks at once) does
no harm.
"""

from __future__ import annotations

from collections import Counter

from prefect import flow, get_run_logger

from models.clock import today, wall_clock_utc
from models.db import session_scope
from models.settings import get_settings
from models.tables import MAIN_TRACK, TrajectoryStatus
from tasks.prefect_api import (
    active_runs,
    decide,
    read_flow_runs,
    repair,
    stop_cancelled,
    wake_run,
)


@flow(name="overstap-klok", persist_result=False, log_prints=False)
def clock_flow() -> dict[str, int]:
    """Wake waiting runs whose date has come and repair broken ones."""
    logger = get_run_logger()
    day = today()
    with session_scope() as session:
        rows = active_runs(session)
    active_tracks = {(tid, track) for tid, track, _ in rows if track != MAIN_TRACK}
    runs = read_flow_runs(row.flow_run_id for _, _, row in rows if row.flow_run_id is not None)
    counts: Counter[str] = Counter()
    for trajectory_id, track, row in rows:
        if row.status != TrajectoryStatus.ACTIEF:
            continue
        run = runs.get(row.flow_run_id) if row.flow_run_id else None
        action = decide(
            row,
            run,
            today=day,
            now_utc=wall_clock_utc(),
            stuck_after_minutes=get_settings().stuck_after_minutes,
            tracks_done=not any(tid == trajectory_id for tid, _ in active_tracks),
        )
        if action.kind == "wake" and row.flow_run_id is not None:
            if wake_run(row.flow_run_id):
                counts["gewekt"] += 1
        elif action.kind == "repair":
            repair(trajectory_id, track, action.reason)
            counts["hersteld"] += 1
        elif action.kind == "stop":
            stop_cancelled(trajectory_id, action.reason)
            counts["gestopt"] += 1
    counts["actief"] = sum(1 for _, track, _ in rows if track == MAIN_TRACK)
    logger.info("Klok %s: %s", day.isoformat(), dict(counts))
    return dict(counts)
