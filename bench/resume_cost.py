"""Benchmark: the cost of one resume early and late in a trajectory, and Prefect bytes per pupil.

Run on demand (`make bench`), never in CI. It starts a temporary Prefect server on SQLite, walks
pupils through the plan, and measures one resume executed in two ways: as `overstap up` and
`overstap worker` execute it, a fork of the preloaded engine (`deployments/engine.py`, CPU of the
launcher and of the forked flow process), and as plain Prefect does, a new `python -m
prefect.engine` process. Compared: the clock waking a run for step 2 and for step 27 of the same
pupil (both open a step and then suspend again). Printed last: the ratio step 27 / 2.

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

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass
class Resume:
    how: str
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


def _children_cpu(engine: psutil.Process | None) -> float:
    """CPU seconds of this process's ended children, plus the preloaded engine's (its forks)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    if engine is not None:
        times = engine.cpu_times()
        total += times.children_user + times.children_system
    return total


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
    from deployments.engine import start_preloaded_engine, stop_preloaded_engine
    from deployments.launch import SOCKET_ENV
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

    def measured_wake(trajectory_id: UUID, db_url: str, engine: psutil.Process | None) -> Resume:
        view = view_of(trajectory_id)
        step, until = view.trajectory.current_step, view.trajectory.wait_until
        assert view.trajectory.waiting_for == "date"
        assert step
        assert until
        run_clock_at(until)
        run_id = view.trajectory.flow_run_id
        assert run_id is not None
        tasks_before, bytes_before = task_runs(run_id), _db_bytes(db_url)
        cpu_before = _children_cpu(engine)
        started = time.perf_counter()
        socket_path = Path(os.environ[SOCKET_ENV]) if engine is not None else None
        process = spawn_engine(run_id, engine_socket=socket_path)
        assert process.wait(timeout=300) == 0
        wall = time.perf_counter() - started
        cpu = _children_cpu(engine) - cpu_before
        return Resume(
            "fork" if engine is not None else "new process",
            step,
            wall,
            cpu,
            task_runs(run_id) - tasks_before,
            _db_bytes(db_url) - bytes_before,
        )

    early: list[Resume] = []
    late: list[Resume] = []
    per_pupil: list[int] = []
    with prefect_test_harness(server_startup_timeout=60):
        db_url = str(PREFECT_API_DATABASE_CONNECTION_URL.value())
        apply_deployments()
        engine_process = start_preloaded_engine()
        assert engine_process is not None, "the preloaded engine did not start"
        engine = psutil.Process(engine_process.pid)
        answers = answer_source(REGULIER)
        for n in range(args.pupils):
            for how in (engine, None):
                before = _db_bytes(db_url)
                trajectory_id = make_pupil(cohort=2027, brin=f"99B{chr(65 + n)}")
                drive(trajectory_id, answers, stop_before_step=2)
                early.append(measured_wake(trajectory_id, db_url, how))
                drive(trajectory_id, answers, stop_before_step=27)
                late.append(measured_wake(trajectory_id, db_url, how))
                drive(trajectory_id, answers)
                assert view_of(trajectory_id).trajectory.status == "afgerond"
                per_pupil.append(_db_bytes(db_url) - before)
        stop_preloaded_engine(engine_process)

    def show(label: str, rows: list[Resume]) -> float:
        cpu = statistics.median(r.cpu_s for r in rows)
        print(
            f"{label}: wall {statistics.median(r.wall_s for r in rows):.2f} s, "
            f"cpu {cpu:.2f} s, task runs {statistics.median(r.task_runs for r in rows):.0f}, "
            f"Prefect DB +{statistics.median(r.db_bytes for r in rows) / 1024:.0f} KiB"
        )
        return cpu

    print(f"pupils measured: {args.pupils} per way (medians)")
    ratios = []
    for how in ("fork", "new process"):
        cpu_early = show(f"resume at step 2,  {how:<11}", [r for r in early if r.how == how])
        cpu_late = show(f"resume at step 27, {how:<11}", [r for r in late if r.how == how])
        ratios.append(f"{how} {cpu_late / cpu_early:.2f}")
    per_pupil_kib = statistics.median(per_pupil) / 1024
    print(f"Prefect database bytes per pupil, full trajectory: {per_pupil_kib:.0f} KiB")
    for table, size in _table_sizes(db_url)[:6]:
        print(f"  {table}: {size / 1024 / len(per_pupil):.0f} KiB per pupil")
    print(f"ratio step 27 / step 2 (cpu): {', '.join(ratios)}")


if __name__ == "__main__":
    main()
