"""API throughput benchmark: the plan endpoint against the framework's floor, over HTTP.

Run with `make bench-api` (or `.venv/bin/python bench/api_bench.py`). It needs wrk
(`apt-get install -y wrk`). It:

1. creates a temporary SQLite database, migrates it and imports the bundled journeys;
2. starts uvicorn on 127.0.0.1 (a free port) with 2 workers and no access log, serving the app
   from `bench/floor_app.py`: the production app plus `GET /bench/floor/{target}`, which answers
   the bytes the app answered for `/{target}` once, precomputed (the framework's floor);
3. checks that each floor answers exactly the status, headers and body of its real endpoint;
4. runs wrk (`-t1 -c32 -d10s --latency` by default) on each endpoint in turn, for a few rounds,
   alternating floor and real endpoint so the noise of a shared machine falls on both alike:
   a complete plan of `moving` (`GET /v1/journeys/moving/plan?...`) and the published journey
   (`GET /v1/journeys/moving`), each beside its floor;
5. prints requests/s, p50/p99 latency and the server's CPU time per request, and the throughput
   ratio of each endpoint to its floor (per round, and the median over rounds).

It exits 1 if the plan's median ratio is under 0.85. `--profile` also drives the same app in
process (no HTTP) to show where a plan request spends its time beyond the floor. See
bench/README.md for results.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import dataclasses
import datetime as dt
import http.client
import inspect
import json
import math
import os
import platform
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
HOST = "127.0.0.1"
MIN_RATIO = 0.85
FLOOR_PREFIX = "/bench/floor"  # as in bench/floor_app.py

# A complete, realistic set of answers: a Finnish family moves outside the EU for good with a
# three-year-old and a seven-year-old, and looks at the plan two weeks before the move.
PLANS: dict[str, list[tuple[str, str]]] = {
    "moving": [
        ("moving_to", "abroad"),
        ("moving_destination", "other"),
        ("moving_abroad_length", "over_6_months"),
        ("moving_finnish_citizen", "yes"),
        ("children", "yes"),
        ("moving_children_ages", "under_school_age,school_age"),
        ("event_date", "2027-08-02"),
        ("today", "2027-07-19"),
        ("lang", "en"),
    ],
    # A spouse dies at home and the survivor moves abroad with the children: the plan includes
    # `moving` (about 30 steps).
    "death-of-a-loved-one": [
        ("death_place", "home"),
        ("relationship_to_deceased", "spouse"),
        ("children", "yes"),
        ("lived_with_deceased", "yes"),
        ("survivor_kela_benefits", "yes"),
        ("deceased_working", "yes"),
        ("estate_covers_funeral", "no"),
        ("survivor_moves", "yes"),
        ("moving_to", "abroad"),
        ("moving_destination", "other"),
        ("moving_abroad_length", "over_6_months"),
        ("moving_finnish_citizen", "yes"),
        ("moving_children_ages", "under_school_age,school_age"),
        ("event_date", "2027-08-02"),
        ("today", "2027-08-05"),
        ("lang", "en"),
    ],
}
JOURNEY_PATH = "/v1/journeys/moving"
# `--pages`: the citizen's plan page for the same family (answers in the address, as the pages
# keep them), against a static page of the same bytes served by the same app (its floor).
PAGE_PLAN = (
    "/en/moving/plan?moving_to=abroad&moving_destination=other"
    "&moving_abroad_length=over_6_months&moving_finnish_citizen=yes&children=yes"
    "&moving_children_ages=under_school_age&moving_children_ages=school_age"
    "&event_date=2027-08-02"
)
MIN_PAGE_RATIO = 0.6


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # with the query string
    # Uncached: a different `today` on every request (over 20,000 days, far more than a worker's
    # response cache holds), so every request is planned afresh.
    vary_today: bool = False

    @property
    def floor(self) -> Endpoint:
        return Endpoint(f"floor of {self.name}", FLOOR_PREFIX + self.path)


@dataclass(frozen=True)
class WrkResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors and non-2xx/3xx answers
    cpu_us: float = math.nan  # the server's CPU time per request (user + system), if known


@dataclass
class Series:
    endpoint: Endpoint
    size: int = 0  # body bytes
    runs: list[WrkResult] = dataclasses.field(default_factory=list)

    def median(self, field: str) -> float:
        return statistics.median(float(getattr(run, field)) for run in self.runs)


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def prepare_database(directory: Path) -> str:
    """A migrated SQLite database under `directory` with the bundled journeys published."""
    from api import migrations
    from api.catalogue.service import import_directory
    from api.db import make_engine, make_sessions

    url = f"sqlite:///{directory / 'polku.sqlite3'}"
    migrations.upgrade(url)
    engine = make_engine(url)
    report = import_directory(make_sessions(engine), ROOT / "journeys", author="api_bench")
    engine.dispose()
    print(f"database: {len(report.published)} journeys imported into a temporary SQLite file")
    return url


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def server(database_url: str, workers: int, log: Path) -> Iterator[tuple[int, list[int]]]:
    """uvicorn serving bench/floor_app.py on loopback; yields its port and process ids (the
    supervisor's and its workers') once it is ready."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "floor_app:app_factory",
        "--factory",
        "--app-dir",
        str(BENCH),
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--no-server-header",  # as `polku serve`
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "POLKU_DATABASE_URL": database_url}
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"uvicorn stopped (exit {process.returncode}):\n{log.read_text()}")
            with contextlib.suppress(OSError):
                # Every worker must be ready: ask a few times, on fresh connections.
                if all(get(port, "/readyz")[0] == 200 for _ in range(4 * workers)):
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"uvicorn was not ready within 60 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield port, [process.pid, *child_processes(process.pid)]
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def child_processes(parent: int) -> list[int]:
    """The ids of the processes whose parent is `parent` (Linux /proc; none elsewhere)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                children.append(int(stat.parent.name))
    return children


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes so far (Linux /proc; NaN elsewhere)."""
    ticks = 0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, ValueError, IndexError):
        return math.nan
    return ticks / os.sysconf("SC_CLK_TCK")


# Headers that differ on every answer by design: the date and the access log's request id.
PER_REQUEST_HEADERS = {"date", "x-request-id"}


def check_floor(port: int, endpoint: Endpoint) -> int:
    """Check that the floor answers what the endpoint answers; the body's size in bytes."""
    status, headers, body = get(port, endpoint.path)
    if status != 200:
        raise SystemExit(f"{endpoint.path}: {status}\n{body.decode(errors='replace')}")
    # Each worker fills its floor on its first request: ask often enough to reach every worker.
    for _ in range(8):
        floor_status, floor_headers, floor_body = get(port, endpoint.floor.path)
        differences = [
            f"{name}: {headers.get(name)!r} != {floor_headers.get(name)!r}"
            for name in sorted((headers.keys() | floor_headers.keys()) - PER_REQUEST_HEADERS)
            if headers.get(name) != floor_headers.get(name)
        ]
        if floor_status != status or _unsigned(floor_body) != _unsigned(body) or differences:
            raise SystemExit(
                f"{endpoint.floor.path} does not answer what {endpoint.path} answers: "
                f"status {floor_status}, {len(floor_body)} bytes against {len(body)}; "
                + "; ".join(differences)
            )
    return len(body)


def _unsigned(body: bytes) -> bytes:
    """A page's form tokens are signed with the time, so two renderings differ only there."""
    return re.sub(rb'name="csrf" value="[^"]*"', b'name="csrf" value=""', body)


# --- wrk -----------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> WrkResult:
    def number(pattern: str) -> re.Match[str]:
        found = re.search(pattern, output, re.MULTILINE)
        if found is None:
            raise SystemExit(f"cannot read wrk's output ({pattern!r}):\n{output}")
        return found

    def percentile(p: int) -> float:
        found = number(rf"^\s*{p}%\s+([\d.]+)(us|ms|s)\s*$")
        return float(found[1]) * UNITS_MS[found[2]]

    errors = (
        sum(
            int(n)
            for n in number(r"Socket errors: connect (\d+), read (\d+), write (\d+)").groups()
        )
        if "Socket errors" in output
        else 0
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    return WrkResult(
        requests=int(number(r"(\d+) requests in")[1]),
        rps=float(number(r"Requests/sec:\s+([\d.]+)")[1]),
        p50_ms=percentile(50),
        p99_ms=percentile(99),
        errors=errors + (int(non_2xx[1]) if non_2xx else 0) + (int(timeouts[1]) if timeouts else 0),
    )


def wrk(port: int, endpoint: Endpoint, args: argparse.Namespace, seconds: int) -> WrkResult:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "--latency",
        f"http://{HOST}:{port}{endpoint.path}",
    ]
    if endpoint.vary_today:
        command[1:1] = ["-s", str(BENCH / "vary_today.lua")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    result = parse_wrk(done.stdout)
    if result.errors:
        raise SystemExit(f"wrk saw {result.errors} errors on {endpoint.path}:\n{done.stdout}")
    return result


def measure(
    port: int, pids: list[int], pairs: list[tuple[Series, Series]], args: argparse.Namespace
) -> None:
    """Warm every endpoint up, then run wrk on each in turn, round after round; every other
    round in the opposite order, so neither of a pair always runs first."""
    order = [series for pair in pairs for series in pair]
    for series in order:
        wrk(port, series.endpoint, args, args.warmup)
    for round_ in range(args.rounds):
        turn = order if round_ % 2 == 0 else [s for pair in pairs for s in reversed(pair)]
        for series in turn:
            before = cpu_seconds(pids)
            result = wrk(port, series.endpoint, args, args.duration)
            used = cpu_seconds(pids) - before
            result = dataclasses.replace(result, cpu_us=used / result.requests * 1e6)
            series.runs.append(result)
            print(
                f"  round {round_ + 1}/{args.rounds}: {series.endpoint.name:<28} "
                f"{result.rps:>9,.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
                f"p99 {result.p99_ms:6.2f} ms  server CPU {result.cpu_us:4.0f} µs/request",
                flush=True,
            )


# --- in-process profile --------------------------------------------------------------------------


def profile_in_process(database_url: str, plan: Endpoint, requests: int) -> None:
    """Drive the floor app in process (no HTTP, no uvicorn): time a request of the floor and of
    the plan, time the plan route's own parts one by one, and cProfile the plan requests."""
    os.environ["POLKU_DATABASE_URL"] = database_url
    from floor_app import app_factory, call_app  # bench/ is on sys.path when run as a script

    from api.config import get_settings
    from api.http.responses import json_response
    from api.plans import views
    from api.plans.service import answers_from_query, make_plan

    get_settings.cache_clear()
    app = app_factory()
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "server": (HOST, 8000),
        "client": (HOST, 40000),
        "root_path": "",
        "headers": [(b"host", f"{HOST}:8000".encode())],
        "state": {},
    }

    async def run() -> None:
        async with app.router.lifespan_context(app):

            async def per_request_us(path: str) -> float:
                route, _, query = path.partition("?")
                for _ in range(requests // 10):
                    await call_app(app, scope, route, query.encode())
                started = time.perf_counter_ns()
                for _ in range(requests):
                    await call_app(app, scope, route, query.encode())
                return (time.perf_counter_ns() - started) / requests / 1000

            samples: dict[str, list[float]] = {"floor": [], "plan": []}
            for _ in range(5):
                samples["floor"].append(await per_request_us(plan.floor.path))
                samples["plan"].append(await per_request_us(plan.path))
            floor_us = statistics.median(samples["floor"])
            plan_us = statistics.median(samples["plan"])
            print(f"In process, through the whole app (median of 5 x {requests:,} requests):")
            print(f"  floor {floor_us:7.1f} µs/request")
            print(f"  plan  {plan_us:7.1f} µs/request  (+{plan_us - floor_us:.1f} µs)")
            print()

            # The plan route's own work, part by part, as `get_plan` does it.
            published = app.state.catalogue.current
            slug = plan.path.split("/")[3]
            query = parse_qsl(plan.path.partition("?")[2])
            params = dict(query)
            event_date = dt.date.fromisoformat(params["event_date"])
            today = dt.date.fromisoformat(params["today"])
            lang = params["lang"]
            answers = answers_from_query(published.planner, slug, query)
            made = make_plan(
                published.planner, slug, answers, event_date=event_date, today=today, lang=lang
            )
            body = views.plan_read(made, published.versions[slug].number)
            content = body.model_dump_json().encode()
            from starlette.requests import Request

            request = Request({**scope, "path": "/", "query_string": b""})
            parts: list[tuple[str, Callable[[], object]]] = [
                ("answers_from_query", lambda: answers_from_query(published.planner, slug, query)),
                (
                    "make_plan (the engine)",
                    lambda: make_plan(
                        published.planner,
                        slug,
                        answers,
                        event_date=event_date,
                        today=today,
                        lang=lang,
                    ),
                ),
                (
                    "views.plan_read (model_validate)",
                    lambda: views.plan_read(made, published.versions[slug].number),
                ),
                ("model_dump_json", body.model_dump_json),
                (
                    "json_response (given the bytes: ETag, Response)",
                    lambda: json_response(request, content, cache="private", lang=lang),
                ),
            ]
            print(f"The plan route's parts, called alone ({len(content):,} bytes of JSON):")
            total = 0.0
            for name, call in parts:
                for _ in range(requests // 10):
                    call()
                started = time.perf_counter_ns()
                for _ in range(requests):
                    call()
                us = (time.perf_counter_ns() - started) / requests / 1000
                total += us
                print(f"  {name:<48} {us:7.1f} µs")
            print(f"  {'sum':<48} {total:7.1f} µs")
            print(
                f"  {'rest (FastAPI: parameters, dependencies...)':<48} "
                f"{plan_us - floor_us - total:7.1f} µs"
            )
            print()

            sync = sync_dependencies(app, "/v1/journeys/{slug}/plan")
            print(
                "Dependencies of the plan route that are plain `def`, so that FastAPI runs each "
                "in its thread pool on every request: " + (", ".join(sync) or "none")
            )
            print()

            profiler = cProfile.Profile()
            route, _, query_string = plan.path.partition("?")
            profiler.enable()
            for _ in range(requests):
                await call_app(app, scope, route, query_string.encode())
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
            for key, title, top in (
                (pstats.SortKey.CUMULATIVE, "cumulative", 40),
                (pstats.SortKey.TIME, "own", 25),
            ):
                print(
                    f"cProfile of {requests:,} plan requests in process, top {top} by {title} "
                    "time (a coroutine counts one call each time it resumes):"
                )
                stats.sort_stats(key).print_stats(top)

    asyncio.run(run())


def sync_dependencies(app: Any, path: str) -> list[str]:
    """The names of the plain-`def` dependencies of the GET route at `path`, nested ones too."""
    from fastapi.routing import APIRoute

    names: list[str] = []

    def walk(dependant: Any) -> None:
        for sub in dependant.dependencies:
            call = sub.call
            if call is not None and not (
                inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)
            ):
                names.append(getattr(call, "__qualname__", repr(call)))
            walk(sub)

    def visit(routes: list[Any]) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)  # FastAPI's included routers
            methods = getattr(route, "methods", None) or set()
            if included is not None:
                visit(included.routes)
            elif isinstance(route, APIRoute) and route.path == path and "GET" in methods:
                walk(route.dependant)

    visit(app.routes)
    return list(dict.fromkeys(names))


# --- reporting -----------------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def environment(args: argparse.Namespace) -> str:
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        model = names[0].split(":", 1)[1].strip() if names else model
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return (
        f"{platform.python_implementation()} {platform.python_version()} on {platform.system()}, "
        f"{model}, {usable} usable CPU(s) of {cpus}\n"
        f"uvicorn {version('uvicorn')} ({args.workers} workers, uvloop {version('uvloop')}, "
        f"httptools {version('httptools')}), fastapi {version('fastapi')}, "
        f"starlette {version('starlette')}, pydantic {version('pydantic')}\n"
        f"wrk {wrk_version[1] if len(wrk_version) > 1 else '?'} -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s, {args.rounds} rounds "
        f"(warm-up {args.warmup}s each); server and wrk share the machine, on loopback"
    )


def report(pairs: list[tuple[Series, Series]]) -> dict[str, float]:
    """Print the tables; the median ratio of each real endpoint to its floor, by name."""
    print("Throughput and latency (median over rounds; req/s also min-max):")
    rows = []
    for series in (s for pair in pairs for s in pair):
        rps = [run.rps for run in series.runs]
        rows.append(
            [
                series.endpoint.name,
                f"{series.size:,}",
                f"{series.median('rps'):,.0f}",
                f"{min(rps):,.0f}-{max(rps):,.0f}",
                f"{series.median('p50_ms'):.2f}",
                f"{series.median('p99_ms'):.2f}",
                f"{series.median('cpu_us'):.0f}",
                f"{sum(run.requests for run in series.runs):,}",
            ]
        )
    headers = ["endpoint", "bytes", "req/s", "req/s range", "p50 ms", "p99 ms", "CPU µs/req"]
    print(table([*headers, "requests"], rows))
    print("(CPU µs/req: the server's CPU time, user + system, per request)")
    print()
    print("Throughput of each endpoint against its floor (same bytes, precomputed):")
    ratios: dict[str, float] = {}
    rows = []
    for floor, real in pairs:
        per_round = [r.rps / f.rps for f, r in zip(floor.runs, real.runs, strict=True)]
        ratios[real.endpoint.name] = statistics.median(per_round)
        rows.append(
            [
                real.endpoint.name,
                " ".join(f"{r:.2f}" for r in per_round),
                f"{ratios[real.endpoint.name]:.2f}",
                f"{real.median('p50_ms') - floor.median('p50_ms'):+.2f}",
                f"{real.median('p99_ms') - floor.median('p99_ms'):+.2f}",
                f"{floor.median('cpu_us') / real.median('cpu_us'):.2f}",
            ]
        )
    print(table(["endpoint", "ratio per round", "median", "Δp50 ms", "Δp99 ms", "CPU ratio"], rows))
    print(
        "(CPU ratio: the floor's server CPU per request over the endpoint's, the throughput ratio "
        "to expect if the server had the machine to itself)"
    )
    print()
    return ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--plan", choices=sorted(PLANS), default="moving", help="the plan asked")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per URL (2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of runs (3)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (2)")
    parser.add_argument(
        "--pages",
        action="store_true",
        help="measure the plan page against a static page of the same size instead of the API",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also drive the app in process and show where a plan request spends its time",
    )
    parser.add_argument(
        "--profile-requests", type=int, default=2000, help="requests per in-process sample"
    )
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        print(
            "wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu) or `brew install wrk`"
        )
        return 2
    if args.pages:
        return pages(args)
    query = urlencode(PLANS[args.plan], safe=",")
    plan = Endpoint(f"plan of {args.plan}", f"/v1/journeys/{args.plan}/plan?{query}")
    uncached = Endpoint(f"plan of {args.plan}, uncached", plan.path, vary_today=True)
    journey = Endpoint("journey moving", JOURNEY_PATH)
    pairs = [(Series(e.floor), Series(e)) for e in (plan, uncached, journey)]

    print("Polku API throughput benchmark")
    print(environment(args))
    print(f"plan:    GET {plan.path}")
    print(f"journey: GET {journey.path}")
    print(f"floors:  GET {FLOOR_PREFIX}/... (the same bytes, precomputed)")
    with tempfile.TemporaryDirectory(prefix="polku-api-bench-") as directory:
        database_url = prepare_database(Path(directory))
        with server(database_url, args.workers, Path(directory) / "uvicorn.log") as (port, pids):
            for floor, real in pairs:
                size = check_floor(port, real.endpoint)
                floor.size = real.size = size
            body = json.loads(get(port, plan.path)[2])
            if not body["complete"]:
                raise SystemExit(f"the plan is not complete: {body['questions']}")
            print(
                f"the plan: complete, {len(body['steps'])} steps and {len(body['automatic'])} "
                f"automatic, {pairs[0][1].size:,} bytes; every floor answers its endpoint's "
                "status, headers and body"
            )
            print()
            measure(port, pids, pairs, args)
        print()
        ratios = report(pairs)
        if args.profile:
            profile_in_process(database_url, plan, args.profile_requests)

    ratio = ratios[plan.name]
    if ratio < MIN_RATIO:
        print(
            f"FAIL: the plan runs at {ratio:.2f} of its floor's throughput, under {MIN_RATIO}. "
            "Run with --profile to see where its time goes."
        )
        return 1
    print(f"OK: the plan runs at {ratio:.2f} of its floor's throughput (at least {MIN_RATIO}).")
    return 0


def pages(args: argparse.Namespace) -> int:
    """The plan page (rendered afresh on every request: pages have no response cache) against
    its floor, the same bytes precomputed: a static page of the same size from the same app."""
    page = Endpoint("plan page of moving", PAGE_PLAN)
    # The page ignores `today` (it dates plans by the real today), but a new address misses the
    # response cache: every request renders the page afresh.
    uncached = Endpoint(
        "plan page of moving, uncached", PAGE_PLAN + "&today=2027-07-19", vary_today=True
    )
    pairs = [(Series(page.floor), Series(page)), (Series(uncached.floor), Series(uncached))]
    print("Polku page throughput benchmark")
    print(environment(args))
    print(f"plan page: GET {page.path}")
    print("uncached:  the same with &today=<a different day each request>")
    print(f"static:    GET {FLOOR_PREFIX}{page.path} (the same bytes, precomputed)")
    with tempfile.TemporaryDirectory(prefix="polku-page-bench-") as directory:
        database_url = prepare_database(Path(directory))
        with server(database_url, args.workers, Path(directory) / "uvicorn.log") as (port, pids):
            for floor, real in pairs:
                size = check_floor(port, real.endpoint)
                floor.size = real.size = size
            html = get(port, page.path)[2].decode()
            steps = html.count('<li class="step')
            if steps < 10 or "Monday" not in html:
                raise SystemExit("the plan page did not show a dated plan: check PAGE_PLAN")
            print(f"the page: {steps} steps, {size:,} bytes; its floor answers the same bytes")
            print()
            measure(port, pids, pairs, args)
        print()
        ratios = report(pairs)
    ratio = ratios[page.name]
    verdict = "OK" if ratio >= MIN_PAGE_RATIO else "FAIL"
    print(
        f"{verdict}: the plan page runs at {ratio:.2f} of a static page's throughput "
        f"(at least {MIN_PAGE_RATIO})."
    )
    return 0 if ratio >= MIN_PAGE_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
