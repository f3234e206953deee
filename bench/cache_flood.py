"""The response cache under a flood of long addresses, and whether a plan repeats faster.

Serves Polku (one worker, a new SQLite database in a temporary directory, loopback only), then:

1. sends `--requests` GETs of /fi/?q=<60 kB> (each a new address) and reports the worker's
   resident memory (VmRSS) before and after;
2. asks 50 different plan addresses (one event date) twice each and reports the median time
   of the first and of the repeat (a repeat much faster than the first tells that someone
   asked it before).

    .venv/bin/python bench/cache_flood.py [--requests 2100]

To measure another checkout, put its folder first: PYTHONPATH=/path/to/checkout .venv/bin/...
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def get(connection: http.client.HTTPConnection, path: str) -> float:
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path[:60]}: {response.status}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2100)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "POLKU_DATABASE_URL": f"sqlite:///{tmp}/polku.sqlite3",
            "POLKU_JOURNEYS_DIR": str(ROOT / "journeys"),
            "POLKU_PORT": str(port),
            "POLKU_WORKERS": "1",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve"],
            env=env,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _ in range(300):
                try:
                    get(connection, "/readyz")
                    break
                except (OSError, RuntimeError):
                    connection.close()
                    time.sleep(0.2)
            else:
                raise SystemExit("the server did not start")
            get(connection, "/fi/")
            before = rss_mb(server.pid)
            started = time.perf_counter()
            for n in range(args.requests):
                get(connection, f"/fi/?q={n}{'x' * 60_000}")
            took = time.perf_counter() - started
            after = rss_mb(server.pid)
            print(
                f"{args.requests} x /fi/?q=<60 kB> in {took:.1f} s: "
                f"VmRSS {before:.0f} MB -> {after:.0f} MB ({after - before:+.0f} MB)"
            )
            first, repeat = [], []
            # One event date (the engine keeps its deadlines by date), a new address each time.
            plan = (
                "/v1/journeys/moving/plan?moving_to=abroad&moving_destination=nordic"
                "&children=no&event_date=2027-06-01"
            )
            get(connection, f"{plan}&today=2027-01-01")
            for n in range(50):
                path = f"{plan}&today=2027-02-{1 + n % 28:02d}&lang={('fi', 'sv', 'en')[n // 28]}"
                first.append(get(connection, path))
                repeat.append(get(connection, path))
            print(
                f"plan, median of 50: first {statistics.median(first) * 1000:.1f} ms, "
                f"repeat {statistics.median(repeat) * 1000:.1f} ms"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
