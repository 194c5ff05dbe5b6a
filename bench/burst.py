"""The busiest day: N pupils enrolled at once, answered at once, and woken by one date.

Run on demand, never in CI:

    .venv/bin/python bench/burst.py --pupils 100 300 [--mode up | --mode workers --workers 2]
    .venv/bin/python bench/burst.py --checkout /path/to/older/checkout --mode up   # "before"
    .venv/bin/python bench/burst.py --postgres postgresql://postgres@127.0.0.1:5432 --mode workers

For each N it starts a fresh installation (`overstap up` with its runner limit, or `overstap
server` + `deploy` + W `overstap worker`s, all on SQLite in a temporary folder, or with
`--postgres` on two fresh PostgreSQL databases, the production layout) and runs three
bursts, each until every run is suspended again:

1. enrolled: `overstap enroll --csv` with N pupils of groep 7 on 1 September; each run walks to
   its first question;
2. answered: the N first questions answered at once (Prefect's resume with the form's input,
   exactly what the UI sends); each run records the answer and waits for 1 October;
3. woken: `overstap tick --today` 1 October; the clock wakes the N runs, each asks step 2.

The same three bursts are run for a trivial flow (`bench/trivial_flow.py`: suspend for an answer,
suspend for a date, finish), served or deployed the same way, in the same run. For each burst it
prints the wall time and the CPU seconds per pupil of both (CPU of every process involved: the
Prefect server, the runner or workers and their flow processes, the commands), and the ratio
between the two, last. Nothing in the bench depends on the version of Overstap beyond the CLI,
so an older checkout (its own .venv) gives the "before" figures.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
START, WAKE = "2026-09-01", "2026-10-01"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tree_cpu(pids: list[int]) -> float:
    """CPU seconds of these processes and all their descendants (live and reaped)."""
    total = 0.0
    seen: set[int] = set()
    for pid in pids:
        try:
            root = psutil.Process(pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for process in processes:
            if process.pid in seen:
                continue
            seen.add(process.pid)
            try:
                t = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += t.user + t.system + t.children_user + t.children_system
    return total


def own_children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Installation:
    checkout: Path
    work: Path
    env: dict[str, str]
    roots: list[subprocess.Popen[bytes]]
    servers: list[int]  # processes outside the bench whose CPU counts (PostgreSQL)

    @property
    def overstap(self) -> str:
        return str(self.checkout / ".venv" / "bin" / "overstap")

    @property
    def python(self) -> str:
        return str(self.checkout / ".venv" / "bin" / "python")

    @property
    def api(self) -> str:
        return self.env["PREFECT_API_URL"]

    def cli(self, *args: str) -> str:
        result = subprocess.run(
            [self.overstap, *args], env=self.env, capture_output=True, text=True, cwd=self.work
        )
        if result.returncode != 0:
            raise SystemExit(f"overstap {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def helper(self, code: str, *args: str) -> str:
        """Python with this installation's Prefect (never its Overstap modules)."""
        env = {**self.env, "PYTHONPATH": str(self.work / "maatstaf")}
        result = subprocess.run(
            [self.python, "-c", code, *args], env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise SystemExit(result.stdout + result.stderr)
        return result.stdout

    def start(self, name: str, *args: str, extra_path: bool = False) -> None:
        env = {**self.env}
        if extra_path:
            env["PYTHONPATH"] = str(self.work / "maatstaf")
        log = (self.work / f"{name}.log").open("ab")
        self.roots.append(
            subprocess.Popen(
                [self.overstap, *args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.work,
                start_new_session=True,
            )
        )

    def start_python(self, name: str, code: str) -> None:
        env = {**self.env, "PYTHONPATH": str(self.work / "maatstaf")}
        log = (self.work / f"{name}.log").open("ab")
        self.roots.append(
            subprocess.Popen(
                [self.python, "-c", code],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.work,
                start_new_session=True,
            )
        )

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.api}/health", timeout=2).is_success:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise SystemExit("Prefect did not start")

    def cpu(self) -> float:
        return tree_cpu([p.pid for p in self.roots] + self.servers) + own_children_cpu()

    def stop(self) -> None:
        for process in reversed(self.roots):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
        for process in reversed(self.roots):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def runs(inst: Installation, flow_name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = httpx.post(
            f"{inst.api}/flow_runs/filter",
            json={"flows": {"name": {"any_": [flow_name]}}, "limit": 200, "offset": offset},
            timeout=60,
        ).json()
        found += page
        if len(page) < 200:
            return found
        offset += 200


def counted(inst: Installation, flow_name: str, **state: Any) -> int:
    filters: dict[str, Any] = {"flows": {"name": {"any_": [flow_name]}}}
    if state:
        filters["flow_runs"] = {"state": {"type": state}}
    return int(httpx.post(f"{inst.api}/flow_runs/count", json=filters, timeout=60).json())


def wait_settled(
    inst: Installation, flow_name: str, count: int, done: Any, state: str = "PAUSED"
) -> float:
    """Seconds until `count` runs of `flow_name` all satisfy `done(run)`, which needs their state
    to be of type `state`. Each second it only counts the runs (reading 1,000 runs a second made
    the bench a big load on the server); it reads them whole when none is in another state."""
    started = time.monotonic()
    shown = started
    while True:
        total = counted(inst, flow_name)
        busy = counted(inst, flow_name, not_any_=[state])
        if total >= count and busy == 0 and all(done(r) for r in runs(inst, flow_name)):
            return time.monotonic() - started
        if time.monotonic() - shown > 60:
            shown = time.monotonic()
            print(f"  {flow_name}: {total} runs, {busy} not {state}", file=sys.stderr, flush=True)
        if time.monotonic() - started > 7200:
            raise SystemExit(f"{flow_name}: not settled after two hours")
        time.sleep(1)


def paused_at(prefix: str) -> Any:
    return lambda run: (
        run["state"]["type"] == "PAUSED"
        and str(run["state"]["state_details"].get("pause_key") or "").startswith(prefix)
    )


ANSWER_ALL = """
import sys, datetime
from prefect.client.orchestration import get_client
from prefect.input.actions import read_flow_run_input
from prefect.flow_runs import resume_flow_run
from concurrent.futures import ThreadPoolExecutor
flow_name, today = sys.argv[1], sys.argv[2]
with get_client(sync_client=True) as client:
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    named = FlowFilter(name=FlowFilterName(any_=[flow_name]))
    runs = []
    while True:
        page = client.read_flow_runs(flow_filter=named, limit=200, offset=len(runs))
        runs += page
        if len(page) < 200:
            break
def value(spec, name):
    kind = spec.get("type")
    if spec.get("format") == "date": return today
    if "enum" in spec: return spec["enum"][0]
    if kind == "boolean": return True
    if kind == "integer": return 45
    return "Bench, intaker" if name == "beantwoord_door" else "x"
import time
from prefect.exceptions import PrefectHTTPStatusError
def resume_flow_run(run_id, run_input=None):
    # A Prefect server on SQLite answers 503 when its database stays locked under a burst.
    from prefect.flow_runs import resume_flow_run as resume
    for attempt in range(8):
        try:
            return resume(run_id, run_input=run_input)
        except PrefectHTTPStatusError as exc:
            if exc.response.status_code != 503 or attempt == 7:
                raise
            time.sleep(2 ** attempt / 4)
def answer(run):
    key = run.state.state_details.pause_key
    if flow_name == "overstap-maatstaf" and key == "datum":
        resume_flow_run(run.id); return
    schema = read_flow_run_input(f"suspended-{key}-schema", flow_run_id=run.id)
    props, required = schema.get("properties", {}), schema.get("required", [])
    data = {}
    for name, spec in props.items():
        if name == "description": continue
        if "$ref" in spec or "allOf" in spec:
            ref = (spec.get("$ref") or spec["allOf"][0]["$ref"]).split("/")[-1]
            spec = schema["definitions" if "definitions" in schema else "$defs"][ref]
        data[name] = value(spec, name)
    resume_flow_run(run.id, run_input=data)
with ThreadPoolExecutor(8) as pool:
    list(pool.map(answer, [r for r in runs if r.state and r.state.type.value == "PAUSED"]))
print(len(runs))
"""

START_TRIVIAL = """
import sys
from prefect.client.orchestration import get_client
from concurrent.futures import ThreadPoolExecutor
count = int(sys.argv[1])
with get_client(sync_client=True) as client:
    deployment = client.read_deployment_by_name("overstap-maatstaf/maatstaf")
def start(n):
    with get_client(sync_client=True) as client:
        client.create_flow_run_from_deployment(deployment.id, parameters={"n": n})
with ThreadPoolExecutor(8) as pool:
    list(pool.map(start, range(count)))
"""

SERVE_TRIVIAL = """
import os
from prefect import serve
from trivial_flow import trivial_flow
serve(trivial_flow.to_deployment(name="maatstaf"), limit=int(os.environ["OVERSTAP_RUNNER_LIMIT"]),
      print_starting_message=False)
"""

DEPLOY_TRIVIAL = """
import sys
from prefect.types.entrypoint import EntrypointType
from trivial_flow import trivial_flow
trivial_flow.to_deployment(name="maatstaf", entrypoint_type=EntrypointType.MODULE_PATH).apply(
    work_pool_name=sys.argv[1])
"""


class Postgres:
    """Two fresh databases on a PostgreSQL server, the production layout (docs/production.md):
    one for Overstap's tables, one for Prefect's; dropped afterwards. The server's CPU counts
    (its postmaster and every backend, live and reaped, are one process tree)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url.rstrip("/")
        suffix = f"{os.getpid()}_{int(time.time())}"
        self.names = {"overstap": f"burst_overstap_{suffix}", "prefect": f"burst_prefect_{suffix}"}
        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as conn:
            for name in self.names.values():
                conn.execute(f'CREATE DATABASE "{name}"')
            data_dir = conn.execute("SHOW data_directory").fetchone()
        assert data_dir is not None
        self.postmaster = int((Path(data_dir[0]) / "postmaster.pid").read_text().split()[0])

    def env(self) -> dict[str, str]:
        bare = self.url.split("://", 1)[1]
        return {
            "OVERSTAP_DATABASE_URL": f"postgresql+psycopg://{bare}/{self.names['overstap']}",
            "PREFECT_API_DATABASE_CONNECTION_URL": (
                f"postgresql+asyncpg://{bare}/{self.names['prefect']}"
            ),
        }

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as conn:
            for name in self.names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def install(
    checkout: Path, mode: str, workers: int, limit: int, pg: Postgres | None = None
) -> Installation:
    work = Path(tempfile.mkdtemp(prefix="overstap-burst-"))
    (work / "maatstaf").mkdir()
    shutil.copy(ROOT / "bench" / "trivial_flow.py", work / "maatstaf" / "trivial_flow.py")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERSTAP_", "PREFECT_"))}
    env.update(
        OVERSTAP_DATA_DIR=str(work / "data"),
        OVERSTAP_SIMULATION="1",
        OVERSTAP_PREFECT_PORT=str(port),
        OVERSTAP_RUNNER_LIMIT=str(limit),
        PREFECT_HOME=str(work / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        # The same polling for Overstap's runner or workers and the yardstick's.
        PREFECT_RUNNER_POLL_FREQUENCY="2",
        PREFECT_WORKER_QUERY_SECONDS="2",
    )
    if pg is not None:
        env.update(pg.env())
    inst = Installation(checkout, work, env, [], [pg.postmaster] if pg else [])
    if mode == "up":
        inst.start("up", "up")
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
        inst.wait_healthy()
        time.sleep(5)  # the deployments are applied right after the server is healthy
        inst.start_python("maatstaf", SERVE_TRIVIAL)
    else:
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
        inst.start("server", "server")
        inst.wait_healthy()
        inst.cli("deploy")
        inst.helper(DEPLOY_TRIVIAL, env.get("OVERSTAP_WORK_POOL", "overstap"))
        for n in range(workers):
            inst.start(f"worker{n}", "worker", "--limit", str(limit), extra_path=True)
    inst.cli("schools", "import", str(ROOT / "deployments" / "demo_data" / "scholen.csv"))
    inst.cli("tick", "--today", START)
    time.sleep(3)
    return inst


@dataclass
class Burst:
    name: str
    wall: float
    cpu: float
    trivial_wall: float
    trivial_cpu: float
    note: str = ""


def measure(inst: Installation, n: int, trivial: bool = True) -> list[Burst]:
    pupils = inst.work / "leerlingen.csv"
    with pupils.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["first_name", "last_name", "birth_date", "school", "groep", "cohort"])
        for i in range(n):
            birth = f"2015-{1 + i % 12:02d}-{1 + i % 28:02d}"
            writer.writerow([f"Leerling{_letters(i)}", "Burst", birth, "99PA", "7", "2028"])
    bursts = []

    def overstap_phase(action: Any, prefix: str) -> tuple[float, float, float]:
        cpu0, t0 = inst.cpu(), time.monotonic()
        action_wall = action()
        wait_settled(inst, "overstap-traject", n, paused_at(prefix))
        return time.monotonic() - t0, inst.cpu() - cpu0, action_wall

    def trivial_phase(action: Any, done: Any, state: str = "PAUSED") -> tuple[float, float]:
        if not trivial:
            return math.nan, math.nan
        cpu0, t0 = inst.cpu(), time.monotonic()
        action()
        wait_settled(inst, "overstap-maatstaf", n, done, state)
        return time.monotonic() - t0, inst.cpu() - cpu0

    def timed(*args: str) -> Any:
        def run() -> float:
            t = time.monotonic()
            inst.cli(*args)
            return time.monotonic() - t

        return run

    def answer_all(flow: str, today: str) -> Any:
        def run() -> float:
            t = time.monotonic()
            inst.helper(ANSWER_ALL, flow, today)
            return time.monotonic() - t

        return run

    wall, cpu, enroll_wall = overstap_phase(timed("enroll", "--csv", str(pupils)), "stap-1-")
    t_wall, t_cpu = trivial_phase(lambda: inst.helper(START_TRIVIAL, str(n)), paused_at("vraag"))
    bursts.append(Burst("enrolled", wall, cpu, t_wall, t_cpu, f"enroll: {enroll_wall:.1f} s"))
    wall, cpu, _ = overstap_phase(answer_all("overstap-traject", START), "wacht-")
    t_wall, t_cpu = trivial_phase(answer_all("overstap-maatstaf", START), paused_at("datum"))
    bursts.append(Burst("answered", wall, cpu, t_wall, t_cpu))
    wall, cpu, tick_wall = overstap_phase(timed("tick", "--today", WAKE), "stap-2-")
    t_wall, t_cpu = trivial_phase(
        answer_all("overstap-maatstaf", WAKE),
        lambda r: r["state"]["type"] == "COMPLETED",
        "COMPLETED",
    )
    bursts.append(
        Burst(
            "woken",
            wall,
            cpu,
            t_wall,
            t_cpu,
            f"tick: {tick_wall:.1f} s ({tick_wall / n:.3f} s/pupil)",
        )
    )
    return bursts


def _letters(i: int) -> str:
    """Names hold no digits: 0 -> A, 27 -> BB."""
    text = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        text = chr(65 + rest) + text
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, nargs="+", default=[100])
    parser.add_argument("--mode", choices=("up", "workers"), default="up")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=5, help="runner limit / per worker")
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument(
        "--no-trivial", action="store_true", help="Overstap only (N = 1,000 within the hour)"
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="PostgreSQL server (postgresql://user@host:port) for Overstap's and Prefect's "
        "databases instead of SQLite files; its CPU counts",
    )
    args = parser.parse_args()
    setup = f"mode {args.mode}" + (f", {args.workers} workers" if args.mode == "workers" else "")
    setup += ", PostgreSQL" if args.postgres else ", SQLite"
    print(f"burst: {setup}, limit {args.limit}, checkout {args.checkout}, {os.cpu_count()} CPUs")
    for n in args.pupils:
        pg = Postgres(args.postgres) if args.postgres else None
        inst = install(args.checkout, args.mode, args.workers, args.limit, pg)
        try:
            bursts = measure(inst, n, trivial=not args.no_trivial)
        finally:
            inst.stop()
            shutil.rmtree(inst.work, ignore_errors=True)
            if pg is not None:
                pg.drop()
        print(f"\nN = {n}")
        print(
            f"{'burst':<9} | {'overstap wall':>13} {'s/pupil':>8} {'CPU/pupil':>9} | "
            f"{'trivial wall':>12} {'s/run':>6} {'CPU/run':>7} | "
            f"{'CPU ratio':>9} {'wall ratio':>10}"
        )
        for b in bursts:
            print(
                f"{b.name:<9} | {b.wall:>11.1f} s {b.wall / n:>8.2f} {b.cpu / n:>9.2f} | "
                f"{b.trivial_wall:>10.1f} s {b.trivial_wall / n:>6.2f} {b.trivial_cpu / n:>7.2f} | "
                f"{b.cpu / b.trivial_cpu:>9.2f} {b.wall / b.trivial_wall:>10.2f}"
                + (f"   {b.note}" if b.note else "")
            )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
