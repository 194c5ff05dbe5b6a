"""Benchmark: the cost of one resume early and late in a trajectory, and Prefect bytes per pupil.

Run on demand (`make bench`), never in CI. It starts a temporary Prefect server on SQLite, walks
pupils through the plan, and measures one resume executed the way `overstap up` executes it: a new
`python -m prefect.engine` process. Compared: the clock waking a run for step 2 and for step 27
of the same pupil (both open a step and then suspend again). Printed last: the ratio step 27 / 2.

    .venv/bin/python bench/resume_cost.py [--pupils 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass
class Resume:
    step: int
    wall_s: float
    cpu_s: float
    task_runs: int
    db_bytes: int


def _db_bytes(url: str) -> int:
    path = url.split("///", 1)[1]
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    return int((pages - free) * size)


def _table_sizes(url: str) -> list[tuple[str, int]]:
    """Bytes per table (and its indexes) in Prefect's SQLite database, largest first."""
    path = url.split("///", 1)[1]
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT coalesce(m.tbl_name, d.name), sum(d.pgsize) FROM dbstat d "
            "LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    return [(str(name), int(size)) for name, size in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=3, help="pupils to measure (median)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="overstap-bench-"))
    os.environ.update(
        OVERSTAP_DATA_DIR=str(work / "data"),
        OVERSTAP_DATABASE_URL=f"sqlite:///{work / 'data' / 'overstap.db'}",
        OVERSTAP_SIMULATION="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
    )

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.settings import PREFECT_API_DATABASE_CONNECTION_URL
    from prefect.testing.utilities import prefect_test_harness

    from deployments.demo import REGULIER, answer_source
    from deployments.serve import apply_deployments
    from models.store.migrate import upgrade
    from tests.flow.driver import (
        drive,
        make_pupil,
        run_clock_at,
        spawn_engine,
        view_of,
    )

    upgrade()

    def task_runs(flow_run_id: UUID) -> int:
        with get_client(sync_client=True) as client:
            return len(
                client.read_task_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
                )
            )

    def measured_wake(trajectory_id: UUID, db_url: str) -> Resume:
        view = view_of(trajectory_id)
        step, until = view.trajectory.current_step, view.trajectory.wait_until
        assert view.trajectory.waiting_for == "date"
        assert step
        assert until
        run_clock_at(until)
        run_id = view.trajectory.flow_run_id
        assert run_id is not None
        tasks_before, bytes_before = task_runs(run_id), _db_bytes(db_url)
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        process = spawn_engine(run_id)
        assert process.wait(timeout=300) == 0
        wall = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
            cpu_after.ru_stime - cpu_before.ru_stime
        )
        return Resume(
            step, wall, cpu, task_runs(run_id) - tasks_before, _db_bytes(db_url) - bytes_before
        )

    early: list[Resume] = []
    late: list[Resume] = []
    per_pupil: list[int] = []
    with prefect_test_harness(server_startup_timeout=60):
        db_url = str(PREFECT_API_DATABASE_CONNECTION_URL.value())
        apply_deployments()
        answers = answer_source(REGULIER)
        for n in range(args.pupils):
            before = _db_bytes(db_url)
            trajectory_id = make_pupil(cohort=2027, brin=f"99B{chr(65 + n)}")
            drive(trajectory_id, answers, stop_before_step=2)
            early.append(measured_wake(trajectory_id, db_url))
            drive(trajectory_id, answers, stop_before_step=27)
            late.append(measured_wake(trajectory_id, db_url))
            drive(trajectory_id, answers)
            assert view_of(trajectory_id).trajectory.status == "afgerond"
            per_pupil.append(_db_bytes(db_url) - before)

    def show(label: str, rows: list[Resume]) -> float:
        cpu = statistics.median(r.cpu_s for r in rows)
        print(
            f"{label}: wall {statistics.median(r.wall_s for r in rows):.2f} s, "
            f"cpu {cpu:.2f} s, task runs {statistics.median(r.task_runs for r in rows):.0f}, "
            f"Prefect DB +{statistics.median(r.db_bytes for r in rows) / 1024:.0f} KiB"
        )
        return cpu

    print(f"pupils measured: {args.pupils} (medians; each resume in a new engine process)")
    cpu_early = show("resume at step 2 ", early)
    cpu_late = show("resume at step 27", late)
    per_pupil_kib = statistics.median(per_pupil) / 1024
    print(f"Prefect database bytes per pupil, full trajectory: {per_pupil_kib:.0f} KiB")
    for table, size in _table_sizes(db_url)[:6]:
        print(f"  {table}: {size / 1024 / args.pupils:.0f} KiB per pupil")
    print(f"ratio step 27 / step 2 (cpu): {cpu_late / cpu_early:.2f}")


if __name__ == "__main__":
    main()
