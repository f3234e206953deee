"""CPU per request in process: the uncached plan API and plan page against their floors.

`bench/api_bench.py` measures throughput over HTTP, which on a shared machine swings with
whatever else runs. This drives the same app (`bench/floor_app.py`) in process, through every
middleware but without uvicorn or sockets, and counts this process's CPU time
(`time.process_time`) per request: steadier under load, and what profiling optimises.

    .venv/bin/python bench/cpu_bench.py                 # the table
    .venv/bin/python bench/cpu_bench.py --profile page  # also cProfile the uncached page
    .venv/bin/python bench/cpu_bench.py --profile plan  # ... or the uncached plan API

Every request of an "uncached" series has another `today` (as `bench/vary_today.lua`), so
neither the response cache nor any per-request memo answers it. The series are interleaved in
rounds and the median round is reported. The ratio is the floor's CPU over the endpoint's: the
throughput ratio the endpoint would reach if CPU were all that counted (the HTTP server's own
work per request, the same for both, is left out here, so these ratios are lower than the
ones over HTTP).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from api_bench import JOURNEY_PATH, PAGE_PLAN, PLANS, prepare_database  # noqa: E402
from floor_app import FLOOR_PREFIX, app_factory, call_app  # noqa: E402

ORGANISATIONS_PATH = "/v1/organisations"
HOST = "127.0.0.1"
SCOPE: dict[str, Any] = {
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


def _days(count: int) -> list[str]:
    start = dt.date(2026, 1, 1)
    return [(start + dt.timedelta(days=i)).isoformat() for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per series per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", choices=["page", "plan"], help="cProfile one series")
    args = parser.parse_args()

    from urllib.parse import urlencode

    plan_path = f"/v1/journeys/moving/plan?{urlencode(PLANS['moving'], safe=',')}"
    page_path = PAGE_PLAN + "&today=2027-07-19"
    # name -> (path, vary today)
    series = {
        "floor of plan": (FLOOR_PREFIX + plan_path, False),
        "plan, uncached": (plan_path, True),
        "floor of page": (FLOOR_PREFIX + page_path, False),
        "page, uncached": (page_path, True),
        "journey (cached)": (JOURNEY_PATH, False),
        "organisations (cached)": (ORGANISATIONS_PATH, False),
    }
    days = _days(20000)

    with tempfile.TemporaryDirectory(prefix="polku-cpu-bench-") as directory:
        os.environ["POLKU_DATABASE_URL"] = prepare_database(Path(directory))
        from api.config import get_settings

        get_settings.cache_clear()
        app = app_factory()

        async def run() -> None:
            async with app.router.lifespan_context(app):
                counter = 0

                async def one(path: str, vary: bool) -> tuple[int, bytes]:
                    nonlocal counter
                    route, _, query = path.partition("?")
                    if vary:
                        counter += 1
                        day = days[counter % len(days)]
                        query = query.replace("today=2027-07-19", f"today={day}")
                    status, _, body = await call_app(app, SCOPE, route, query.encode())
                    return status, body

                for name, (path, vary) in series.items():
                    status, body = await one(path, vary)
                    if status != 200:
                        raise SystemExit(f"{name}: {status} {body[:300]!r}")
                    for _ in range(args.requests // 5):
                        await one(path, vary)
                if args.profile:
                    path, vary = series[f"{args.profile}, uncached"]
                    profiler = cProfile.Profile()
                    profiler.enable()
                    for _ in range(args.requests):
                        await one(path, vary)
                    profiler.disable()
                    stats = pstats.Stats(profiler).strip_dirs()
                    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(45)
                    stats.sort_stats(pstats.SortKey.TIME).print_stats(30)
                    return
                samples: dict[str, list[float]] = {name: [] for name in series}
                for _ in range(args.rounds):
                    for name, (path, vary) in series.items():
                        started = time.process_time_ns()
                        for _ in range(args.requests):
                            await one(path, vary)
                        elapsed = time.process_time_ns() - started
                        samples[name].append(elapsed / args.requests / 1000)
                median = {name: statistics.median(values) for name, values in samples.items()}
                print(f"CPU µs per request in process (median of {args.rounds} rounds):")
                for name, values in samples.items():
                    spread = " ".join(f"{v:.0f}" for v in values)
                    print(f"  {name:<24} {median[name]:7.1f}   ({spread})")
                plan = median["floor of plan"] / median["plan, uncached"]
                page = median["floor of page"] / median["page, uncached"]
                print(f"  plan / floor ratio {plan:.2f}; page / floor ratio {page:.2f}")

        asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
