"""Several workers, one published catalogue: a publish reaches every worker within a second, and
plans are made from memory without the database.

These run a real server (tests/server.py): uvicorn with two worker processes on a loopback port,
each with its own catalogue in memory, against a database of each kind.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url

from api.config import Settings
from api.main import create_app
from tests.conftest import ADMIN_URL, JOURNEYS
from tests.server import LiveServer, Reply, publish, running_server

log = logging.getLogger(__name__)

RELOAD_SECONDS = 0.25  # POLKU_RELOAD_SECONDS: how often each worker looks for a new generation
WITHIN = 1.0  # a publish must be served by every worker this long after the import completes
AFTER_REQUESTS = 40  # requests after that, every one of which must get the new version
POLLERS = 3  # concurrent pollers, each request on a new connection
JOURNEY = "/v1/journeys/moving?lang=en"
LOADED = re.compile(r"catalogue generation (\d+) loaded")

ABROAD = {
    "moving_to": "abroad",
    "moving_destination": "eu_eea",
    "moving_abroad_length": "over_6_months",
    "moving_finnish_citizen": "yes",
    "children": "no",
}
ABROAD_QUERY = "&".join(f"{k}={v}" for k, v in ABROAD.items())


@dataclass(frozen=True)
class Seen:
    sent: float  # time.time() when the request was sent
    answered: float
    status: int
    version: int | None
    title: str | None


def _seen(server: LiveServer, path: str) -> Seen:
    sent = time.time()
    reply = server.get(path)
    answered = time.time()
    body = reply.json() if reply.status == 200 else {}
    return Seen(sent, answered, reply.status, body.get("version"), body.get("title"))


def _poll_until(server: LiveServer, path: str, *, start_at: float, after: float) -> list[Seen]:
    """Poll `path` from several threads, a new connection per request, until AFTER_REQUESTS
    requests were sent at or after the time `after`; bounded by 20 s."""
    seen: list[Seen] = []
    lock = threading.Lock()
    stop = threading.Event()
    deadline = time.time() + 20

    def poller() -> None:
        while not stop.is_set() and time.time() < deadline:
            one = _seen(server, path)
            with lock:
                seen.append(one)
                if sum(s.sent >= after for s in seen) >= AFTER_REQUESTS:
                    stop.set()
            time.sleep(0.01)  # leave the two workers the CPU to reload on

    assert time.time() >= start_at
    with ThreadPoolExecutor(POLLERS) as pool:
        for future in [pool.submit(poller) for _ in range(POLLERS)]:
            future.result()
    assert stop.is_set(), f"only {len(seen)} requests in 20 s"
    return sorted(seen, key=lambda s: s.sent)


def _changed_journeys(tmp_path: Path, new_title: str) -> Path:
    """A copy of the bundled journeys with the English title of `moving` changed."""
    directory = tmp_path / "journeys"
    shutil.copytree(JOURNEYS, directory)
    moving = directory / "moving.yaml"
    original = moving.read_text(encoding="utf-8")
    old = "title:\n  fi: Muutto\n  sv: Flytt\n  en: Moving home\n"
    assert original.count(old) == 1, "the title of moving.yaml is not where this test expects"
    moving.write_text(original.replace(old, old.replace("Moving home", new_title)), "utf-8")
    return directory


def test_a_publish_reaches_every_worker_within_a_second(database_url: str, tmp_path: Path) -> None:
    new_title = "Moving home (revised)"
    changed = _changed_journeys(tmp_path, new_title)
    with running_server(
        database_url, tmp_path / "server", workers=2, reload_seconds=RELOAD_SECONDS
    ) as server:
        workers = server.worker_pids()
        assert len(workers) == 2
        before = server.get("/readyz").json()
        old = server.get(JOURNEY).json()
        assert (old["version"], old["title"]) == (1, "Moving home")

        report = publish(database_url, changed)
        published = time.time()  # the import's transaction is committed
        assert report.published == [("moving", 2)]

        seen = _poll_until(server, JOURNEY, start_at=published, after=published + WITHIN)
        records = server.records()

    assert all(s.status == 200 for s in seen), {s.status for s in seen}
    assert {(s.version, s.title) for s in seen} <= {(1, "Moving home"), (2, new_title)}
    late = [s for s in seen if s.sent >= published + WITHIN]
    assert len(late) >= AFTER_REQUESTS
    stale = [s for s in late if (s.version, s.title) != (2, new_title)]
    assert not stale, f"{len(stale)} of {len(late)} requests {WITHIN} s after the import were old"

    # Each worker says when it loaded the new generation: the last one to switch decides.
    generation = before["generation"] + 1
    switched = {
        r.pid: r.created
        for r in reversed(records)
        if (match := LOADED.fullmatch(r.message.split(":")[0])) and int(match[1]) == generation
    }
    assert set(switched) == workers, f"workers that loaded generation {generation}: {switched}"
    last_switch = max(switched.values()) - published
    assert last_switch < WITHIN, f"the last worker switched {last_switch:.3f} s after the import"

    # ...and both of them answered the requests made after the window (the access log has the
    # route and the worker's process id, never the query string).
    answered_late = {
        r.pid
        for r in records
        if r.logger == "polku.access"
        and r.message.startswith("GET /v1/journeys/{slug} 200")
        and r.created >= published + WITHIN
    }
    assert answered_late == workers, f"workers that answered after {WITHIN} s: {answered_late}"

    last_old = max((s.answered for s in seen if s.version == 1), default=published) - published
    log.info(
        "worker switch after the import: %s; last old answer %.3f s; %d requests, %d after %.1f s",
        ", ".join(f"{pid}: {t - published:.3f} s" for pid, t in sorted(switched.items())),
        last_old,
        len(seen),
        len(late),
        WITHIN,
    )


# --- plans never touch the database ---------------------------------------------------------


def _plan_requests() -> Iterator[tuple[str, str, dict[str, Any] | None]]:
    """Plans as portals ask for them: POST and GET, partial and complete, every language."""
    for lang in ("fi", "sv", "en"):
        yield "POST", f"/v1/journeys/moving/plan?lang={lang}", {"answers": ABROAD}
        yield "POST", "/v1/journeys/moving/plan", {"answers": {"moving_to": "abroad"}}
        yield (
            "POST",
            "/v1/journeys/death-of-a-loved-one/plan",
            {"answers": {}, "event_date": "2026-03-02", "today": "2026-03-05", "lang": lang},
        )
        yield "GET", f"/v1/journeys/moving/plan?lang={lang}&{ABROAD_QUERY}", None
        yield "GET", "/v1/journeys/moving/plan?moving_to=same_municipality&children=no", None
        yield "GET", f"/v1/journeys/moving/plan?event_date=2026-06-01&{ABROAD_QUERY}", None


@pytest.fixture
def quiet_client(database_url: str) -> Iterator[TestClient]:
    """The app on a migrated, imported database, with the catalogue watcher asleep (it would
    look for a new generation every RELOAD_SECONDS; here only once a minute)."""
    settings = Settings(database_url=database_url, reload_seconds=60)
    with TestClient(create_app(settings)) as client:
        yield client


def test_plans_run_no_sql_statement(quiet_client: TestClient) -> None:
    engine: Engine = quiet_client.app.state.sessions.kw["bind"]  # type: ignore[attr-defined]
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    quiet_client.get("/healthz")  # startup's own work (the checklist purge) is done by now
    event.listen(engine, "before_cursor_execute", record)
    try:
        for _ in range(3):
            for method, url, body in _plan_requests():
                response = quiet_client.request(method, url, json=body)
                assert response.status_code == 200, response.text
                assert response.json()["steps"]
        for url in ("/v1/journeys?lang=en", "/v1/journeys/moving", "/v1/organisations"):
            assert quiet_client.get(url).status_code == 200
        assert statements == []
        # The listener does see the app's statements: a saved checklist is in the database.
        created = quiet_client.post("/v1/checklists", json={"journey": "moving"})
        assert created.status_code == 201
        assert statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("database_kind", ["postgresql"], indirect=True)
def test_plans_are_served_while_the_database_is_away(database_url: str, tmp_path: Path) -> None:
    """A real server, and the PostgreSQL database shut to it: /readyz says the database does not
    answer, every plan is still made, and all is well again when the database is back. (An
    SQLite file cannot be taken away from a process that has it open: for SQLite the statement
    count above is the evidence.)"""
    name = make_url(database_url).database
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")

    def shut(allow: bool) -> None:
        with admin.connect() as connection:
            connection.execute(
                text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allow).lower()}')
            )
            if not allow:
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )

    def wait_for_readyz(status: int) -> Reply:
        deadline = time.monotonic() + 10
        while True:
            reply = server.get("/readyz")
            if reply.status == status or time.monotonic() > deadline:
                return reply
            time.sleep(0.05)

    try:
        with running_server(
            database_url, tmp_path / "server", workers=2, reload_seconds=RELOAD_SECONDS
        ) as server:
            expected = [
                server.request(method, url, body=body).body
                for method, url, body in _plan_requests()
            ]
            shut(allow=False)
            away = wait_for_readyz(503)
            assert away.status == 503, away.body
            assert away.json()["detail"] == "the database does not answer"
            for _ in range(4):
                for (method, url, body), same in zip(_plan_requests(), expected, strict=True):
                    reply = server.request(method, url, body=body)
                    assert reply.status == 200, (url, reply.body)
                    assert reply.body == same, (method, url, body)
            still_away = server.get("/readyz")
            checklist = server.request("POST", "/v1/checklists", body={"journey": "moving"})
            log.info("with the database away, creating a checklist gave %s", checklist.status)

            shut(allow=True)
            back = wait_for_readyz(200)
            assert back.status == 200, back.body
            created = server.request("POST", "/v1/checklists", body={"journey": "moving"})
            assert created.status == 201, created.body
        assert still_away.status == 503
        assert checklist.status >= 500
        # Each worker looked four times a second and said so once (then once a minute), by
        # the exception's type: no traceback.
        lost = [
            r
            for r in server.records()
            if r.message.startswith("could not check for newly published journeys")
        ]
        assert 1 <= len(lost) <= 2, [r.message for r in lost]
        assert all("exc_info" not in r.fields for r in lost)
    finally:
        shut(allow=True)
        admin.dispose()


def test_what_a_client_wrote_is_there_when_it_is_told_so(database_url: str, tmp_path: Path) -> None:
    """A 201 means committed: the checklist at its Location is found at once, by any worker.
    (The session's transaction used to be committed only after the response was sent, and about
    one read in five right after a create was a 404.)"""
    with running_server(database_url, tmp_path / "server", workers=2) as server:
        for _ in range(30):
            made = server.request("POST", "/v1/checklists", body={"journey": "moving"})
            assert made.status == 201, made.body
            location = made.headers["location"]
            assert server.get(location).status == 200
            ticked = server.request(
                "PUT", f"{location}/steps/moving/notify-dvv", body={"done": True}
            )
            assert ticked.status == 200, ticked.body
            assert server.get(location).json()["done"] == ["moving/notify-dvv"]
            assert server.request("DELETE", location).status == 204
            assert server.get(location).status == 404
