"""Mixed load on two workers on PostgreSQL, with a publish and a killed worker in the middle.

Run with `make bench-load` (or `.venv/bin/python bench/load.py --seconds 60`). It needs PostgreSQL
on 127.0.0.1:5432 (user postgres, trust; `POLKU_TEST_POSTGRES_URL` or `--admin-url` names
another loopback server). It:

1. creates a fresh database (`polku_load_<random>`), migrates it and imports the bundled
   journeys, and drops it at the end whatever happens;
2. starts uvicorn with 2 workers on a free 127.0.0.1 port (tests/server.py, as the multi-worker
   tests do), with the per-client limits raised so that this one client is not throttled;
3. runs `--clients` threads for `--seconds`, each request on a new connection (so either worker
   may answer it): public reads (the journey list, a journey, a plan by GET with answers, the
   plan page), checklist creates, ticks (`PUT .../steps/{journey}/{step}`, several clients on
   the same recent checklists at once) and reads of the checklists made;
4. at 40 % of the time publishes a changed copy of `moving` (its English title) into the
   database, and at 60 % kills one worker with SIGKILL (uvicorn starts a new one);
5. then reads back every checklist whose create was acknowledged (201) and compares its ticks
   with every tick acknowledged (200), and counts the rows in the database.

It prints throughput, p50/p99 latency per kind of request, errors by kind (status codes and
connection errors), how soon reads served the published version, the worker restart, and lost
writes. It exits 1 on a lost write, a 5xx outside the killed worker's moment, or a read of the old
version well after the publish. Every loop is bounded in time and count; everything is on
loopback. `--sqlite` runs the same on a temporary SQLite file. See bench/README.md, "Load".
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from tests.server import LiveServer, prepare_database, publish, running_server  # noqa: E402

ADMIN_URL = os.environ.get(
    "POLKU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT = 10.0  # seconds for one request
MAX_REQUESTS_PER_CLIENT = 200_000  # a second bound beside the time
KINDS = ["journeys", "journey", "plan", "page", "create", "tick", "read"]
WEIGHTS = [1, 1, 2, 1.5, 1, 3, 1]
RECENT = 12  # ticks go to the last RECENT checklists made, so that clients meet on them
PUBLISH_AT, KILL_AT = 0.4, 0.6  # fractions of the run
# Seconds after the import by which every read must show the new version (each worker looks
# every 0.25 s; generous, as the machine may be busy).
FRESH_WITHIN = 5.0
KILL_WINDOW = 3.0  # seconds after the kill in which failed requests are the kill's
RESTART_TIMEOUT = 30.0

OLD_TITLE, NEW_TITLE = "Moving home", "Moving home (load test)"
# A Finnish family moving outside the EU with two children, as in bench/api_bench.py.
PLAN_QUERY = [
    ("moving_to", "abroad"),
    ("moving_destination", "other"),
    ("moving_abroad_length", "over_6_months"),
    ("moving_finnish_citizen", "yes"),
    ("children", "yes"),
    ("moving_children_ages", "under_school_age,school_age"),
    ("event_date", "2027-08-02"),
    ("lang", "en"),
]
PAGE = (
    "/en/moving/plan?moving_to=abroad&moving_destination=other"
    "&moving_abroad_length=over_6_months&moving_finnish_citizen=yes&children=yes"
    "&moving_children_ages=under_school_age&moving_children_ages=school_age"
    "&event_date=2027-08-02"
)
CHECKLIST = {
    "journey": "moving",
    "answers": {
        "moving_to": "abroad",
        "moving_destination": "other",
        "moving_abroad_length": "over_6_months",
        "moving_finnish_citizen": "yes",
        "children": "yes",
        "moving_children_ages": ["under_school_age", "school_age"],
    },
    "event_date": "2027-08-02",
    "lang": "en",
}


@dataclass(frozen=True)
class Result:
    kind: str
    sent: float  # time.monotonic()
    seconds: float
    outcome: str  # "200", "503", or the name of a connection error
    body: Any = None  # the JSON body of a 2xx, where the caller needs it


@dataclass
class Shared:
    """What the clients acknowledged, and every result; guarded by `lock`."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    results: list[Result] = field(default_factory=list)
    checklists: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    acked_ticks: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    titles: list[tuple[float, str]] = field(default_factory=list)  # journey reads: sent, title


def request(
    port: int, kind: str, method: str, path: str, body: Any = None, *, keep: bool = False
) -> Result:
    """One request on a new connection; never raises for the server's failures."""
    sent = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        headers = {"Connection": "close"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        parsed = json.loads(data) if keep and 200 <= response.status < 300 else None
        return Result(kind, sent, time.monotonic() - sent, str(response.status), parsed)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Result(kind, sent, time.monotonic() - sent, type(exc).__name__)
    finally:
        connection.close()


def client(port: int, shared: Shared, end: float, seed: int) -> None:
    """Mixed traffic until `end` (time.monotonic()) or MAX_REQUESTS_PER_CLIENT requests."""
    rng = random.Random(seed)
    for _ in range(MAX_REQUESTS_PER_CLIENT):
        if time.monotonic() >= end:
            return
        kind = rng.choices(KINDS, WEIGHTS)[0]
        with shared.lock:
            recent = shared.checklists[-RECENT:]
        if kind in ("tick", "read") and not recent:
            kind = "create"
        match kind:
            case "journeys":
                result = request(port, kind, "GET", "/v1/journeys?lang=en")
            case "journey":
                result = request(port, kind, "GET", "/v1/journeys/moving?lang=en", keep=True)
                if result.body is not None:
                    with shared.lock:
                        shared.titles.append((result.sent, result.body["title"]))
            case "plan":
                # A few different days, so that some plans are made and some come from the cache.
                today = f"2027-07-{rng.randint(1, 20):02d}"
                query = urlencode([*PLAN_QUERY, ("today", today)])
                result = request(port, kind, "GET", f"/v1/journeys/moving/plan?{query}")
            case "page":
                result = request(port, kind, "GET", PAGE)
            case "create":
                result = request(port, kind, "POST", "/v1/checklists", CHECKLIST, keep=True)
                if result.body is not None:
                    steps = [(s["journey"], s["id"]) for s in result.body["plan"]["steps"]]
                    with shared.lock:
                        shared.checklists.append((result.body["id"], steps))
            case "tick":
                checklist_id, steps = rng.choice(recent)
                journey, step = rng.choice(steps)
                path = f"/v1/checklists/{checklist_id}/steps/{journey}/{step}"
                result = request(port, kind, "PUT", path, {"done": True})
                if result.outcome == "200":
                    with shared.lock:
                        shared.acked_ticks[checklist_id].add(f"{journey}/{step}")
            case _:
                checklist_id, _steps = rng.choice(recent)
                result = request(port, kind, "GET", f"/v1/checklists/{checklist_id}")
        with shared.lock:
            shared.results.append(dataclasses.replace(result, body=None))


# --- the database and the server -----------------------------------------------------------------


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new PostgreSQL database on loopback, dropped on exit."""
    url = make_url(admin_url)
    if url.host not in LOOPBACK:
        raise SystemExit(f"refusing a database server that is not on loopback: {url.host}")
    name = f"polku_load_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def live_workers(server: LiveServer) -> set[int]:
    """Worker processes of the server alive now: children of uvicorn's supervisor that started
    the app (the supervisor may have other children, such as multiprocessing's tracker)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == server.process.pid and fields[0] != "Z":
                children.add(int(stat.parent.name))
    return children & server.worker_pids()


def changed_journeys(directory: Path) -> Path:
    """A copy of the bundled journeys with the English title of `moving` changed."""
    copy = directory / "journeys"
    shutil.copytree(ROOT / "journeys", copy)
    moving = copy / "moving.yaml"
    old = f"title:\n  fi: Muutto\n  sv: Flytt\n  en: {OLD_TITLE}\n"
    original = moving.read_text(encoding="utf-8")
    if original.count(old) != 1:
        raise SystemExit("the title of journeys/moving.yaml is not where bench/load.py expects")
    moving.write_text(original.replace(old, old.replace(OLD_TITLE, NEW_TITLE)), "utf-8")
    return copy


# --- the report ----------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def verify(port: int, shared: Shared, clients: int) -> Counter[str]:
    """Read back every acknowledged checklist (bounded: three tries each, two minutes in all)."""
    deadline = time.monotonic() + 120
    counts: Counter[str] = Counter()

    def check(checklist_id: str) -> tuple[str, int, int]:
        """(state of the checklist, acknowledged ticks present, acknowledged ticks missing)"""
        acked = shared.acked_ticks.get(checklist_id, set())
        for _ in range(3):
            if time.monotonic() > deadline:
                break
            result = request(port, "verify", "GET", f"/v1/checklists/{checklist_id}", keep=True)
            if result.outcome == "404":
                return "lost", 0, len(acked)
            if result.body is not None:
                missing = acked - set(result.body["done"])
                return "present", len(acked) - len(missing), len(missing)
        return "unverified", 0, 0

    ids = [checklist_id for checklist_id, _ in shared.checklists]
    with ThreadPoolExecutor(clients) as pool:
        for state, present, missing in pool.map(check, ids):
            counts[f"creates {state}"] += 1
            counts["ticks present"] += present
            counts["ticks lost"] += missing
    return counts


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join(
        "  ".join(
            str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )


def run(args: argparse.Namespace) -> int:
    print(f"{os.cpu_count()} CPUs; {args.clients} clients for {args.seconds:g} s on 2 workers")
    env = {
        "POLKU_SECRET_KEY": secrets.token_urlsafe(32),
        # One client here: the per-client limits would measure the limiter, not the service.
        "POLKU_LIMIT_CHECKLIST_CREATE": "1000000/minute",
        "POLKU_LIMIT_CHECKLIST_WRITE": "1000000/minute",
    }
    with contextlib.ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="polku-load-")))
        if args.sqlite:
            url = f"sqlite:///{directory / 'load.sqlite3'}"
        else:
            url = stack.enter_context(fresh_database(args.admin_url))
        prepare_database(url)
        changed = changed_journeys(directory)
        kind = "SQLite" if args.sqlite else "PostgreSQL"
        print(f"database: a fresh {kind} database, migrated, bundled journeys imported")
        with running_server(url, directory / "server", workers=2, env=env) as server:
            return load(server, url, changed, args)


@dataclass
class Timeline:
    """When things happened, in time.monotonic() seconds."""

    start: float
    published: float = 0.0  # the import's transaction committed
    killed: float = 0.0
    restart_seconds: float | None = None  # from the kill to a new worker's start


def load(server: LiveServer, url: str, changed: Path, args: argparse.Namespace) -> int:
    shared = Shared()
    when = Timeline(time.monotonic())
    end = when.start + args.seconds
    threads = [
        threading.Thread(target=client, args=(server.port, shared, end, n), daemon=True)
        for n in range(args.clients)
    ]
    for thread in threads:
        thread.start()

    time.sleep(max(0.0, when.start + PUBLISH_AT * args.seconds - time.monotonic()))
    began = time.monotonic()
    report = publish(url, changed)
    when.published = time.monotonic()
    print(
        f"publish at {began - when.start:.1f} s: {report.published} "
        f"in {when.published - began:.2f} s"
    )

    time.sleep(max(0.0, when.start + KILL_AT * args.seconds - time.monotonic()))
    victim = min(live_workers(server))
    when.killed = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    while time.monotonic() < when.killed + RESTART_TIMEOUT:
        now = live_workers(server)
        if victim not in now and len(now) == 2:
            when.restart_seconds = time.monotonic() - when.killed
            break
        time.sleep(0.05)
    restart = when.restart_seconds
    print(
        f"worker killed at {when.killed - when.start:.1f} s (SIGKILL): "
        + (f"a new worker started in {restart:.1f} s" if restart else "NOT restarted")
    )

    for thread in threads:
        thread.join(timeout=TIMEOUT + 5)
    # The load's own length: the main thread may have waited longer for the restart.
    elapsed = max((r.sent + r.seconds for r in shared.results), default=end) - when.start
    counts = verify(server.port, shared, args.clients)
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM checklists")).scalar_one()
    engine.dispose()
    return summary(shared, when, elapsed, counts, rows)


def joined(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {count:,}" for key, count in counter.most_common()) or "none"


def summary(shared: Shared, when: Timeline, elapsed: float, counts: Counter[str], rows: int) -> int:
    results = shared.results
    ok = [r.seconds for r in results if r.outcome.startswith("2")]
    print(
        f"\nrequests: {len(results):,} in {elapsed:.1f} s = {len(results) / elapsed:,.0f}/s; "
        f"2xx {len(ok):,}: p50 {percentile(ok, 0.5) * 1000:.1f} ms, "
        f"p99 {percentile(ok, 0.99) * 1000:.1f} ms\n"
    )
    rows_by_kind = []
    for kind in KINDS:
        mine = [r for r in results if r.kind == kind]
        good = [r.seconds for r in mine if r.outcome.startswith("2")]
        rows_by_kind.append(
            [
                kind,
                f"{len(mine):,}",
                f"{len(good):,}",
                f"{len(mine) - len(good):,}",
                f"{percentile(good, 0.5) * 1000:.1f}",
                f"{percentile(good, 0.99) * 1000:.1f}",
            ]
        )
    print(table(rows_by_kind, ["kind", "requests", "2xx", "other", "p50 ms", "p99 ms"]))

    failures = [r for r in results if not r.outcome.startswith("2")]
    # A request in flight at the kill, or sent before the supervisor noticed, may fail.
    at_kill = [r for r in failures if when.killed - TIMEOUT <= r.sent <= when.killed + KILL_WINDOW]
    print(f"\nerrors by kind: {joined(Counter(r.outcome for r in failures))}")
    print(f"  of them around the kill: {joined(Counter(r.outcome for r in at_kill))}")
    server_errors = sum(r.outcome.startswith("5") for r in failures) - sum(
        r.outcome.startswith("5") for r in at_kill
    )

    fresh_from = when.published + FRESH_WITHIN
    stale = sum(sent >= fresh_from and title != NEW_TITLE for sent, title in shared.titles)
    first_new = min((sent for sent, title in shared.titles if title == NEW_TITLE), default=None)
    last_old = max((sent for sent, title in shared.titles if title != NEW_TITLE), default=0.0)
    seen = "never" if first_new is None else f"{first_new - when.published:+.2f} s"
    print(
        f"publish: relative to the import's commit, the new version first read {seen}, the old "
        f"one last read {last_old - when.published:+.2f} s ({stale} reads of it after "
        f"{FRESH_WITHIN:g} s)"
    )

    acked_ticks = sum(len(ticks) for ticks in shared.acked_ticks.values())
    print(
        f"\nlost writes: creates acknowledged {len(shared.checklists):,}, "
        f"present {counts['creates present']:,} (rows in the database {rows:,}), "
        f"lost {counts['creates lost']}, unverified {counts['creates unverified']}; "
        f"ticks acknowledged {acked_ticks:,} (distinct steps), "
        f"present {counts['ticks present']:,}, lost {counts['ticks lost']}"
    )
    failed = [
        name
        for name, bad in [
            ("lost creates", counts["creates lost"] > 0),
            ("lost ticks", counts["ticks lost"] > 0),
            ("unverified checklists", counts["creates unverified"] > 0),
            ("5xx outside the kill", server_errors > 0),
            ("old version read after the publish", stale > 0),
            ("no worker restart", when.restart_seconds is None),
        ]
        if bad
    ]
    print("FAILED: " + ", ".join(failed) if failed else "OK: 0 lost writes")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load (60)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
    parser.add_argument("--admin-url", default=ADMIN_URL, help="PostgreSQL on loopback")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    args = parser.parse_args(argv)
    if not 5 <= args.seconds <= 600 or not 1 <= args.clients <= 64:
        parser.error("--seconds must be 5-600 and --clients 1-64")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
