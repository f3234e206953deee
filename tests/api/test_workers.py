"""Several workers, one published catalogue: a publish reaches every worker, with nothing stale
after it (the API and the plan pages), and plans are made from memory without the database.

These run a real server (tests/server.py): uvicorn with two worker processes on a loopback port,
each with its own catalogue in memory, against a database of each kind.
"""

from __future__ import annotations

import itertools
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
from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from api.main import create_app
from tests.conftest import ADMIN_URL, JOURNEYS, read_yaml
from tests.server import LiveServer, LogRecord, Reply, publish, running_server

log = logging.getLogger(__name__)

RELOAD_SECONDS = 0.25  # POLKU_RELOAD_SECONDS: how often each worker looks for a new generation
# How long the workers may take to serve a publish here: generous, as this proves that they do
# (and nothing stale after); bench/README.md measures how soon.
DEADLINE = 30.0
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
class Answer:
    path: str
    sent: float  # time.time() when the request was sent (the server logs on the same clock)
    reply: Reply


@dataclass(frozen=True)
class Polled:
    """What the pollers got, and what the server's log says about it."""

    answers: list[Answer]
    switched: dict[int, float]  # worker pid -> when it said it loaded the new generation
    served_by: dict[str, int]  # request id (X-Request-Id) -> the worker that answered

    def worker(self, answer: Answer) -> int | None:
        return self.served_by.get(answer.reply.headers.get("x-request-id", ""))

    def after_switch(self, answer: Answer) -> bool:
        """Sent after the worker that answered it (if the log names it yet; else every worker)
        had loaded the new generation: it can only have been served from the new one."""
        pid = self.worker(answer)
        if pid is not None:
            return pid in self.switched and answer.sent > self.switched[pid]
        return bool(self.switched) and answer.sent > max(self.switched.values())


def _read_log(server: LiveServer, answers: list[Answer], generation: int) -> Polled:
    switched: dict[int, float] = {}
    served_by: dict[str, int] = {}
    for r in server.records():
        match = LOADED.fullmatch(r.message.split(":")[0])
        if match and int(match[1]) == generation:
            switched.setdefault(r.pid, r.created)
        if r.logger == "polku.access" and "request_id" in r.fields:
            served_by[r.fields["request_id"]] = r.pid
    return Polled(list(answers), switched, served_by)


def _poll_after_publish(server: LiveServer, paths: list[str], generation: int) -> Polled:
    """Ask for each of `paths` in turn from several threads, a new connection per request (so
    the kernel hands them to either worker), until every worker has loaded `generation` and
    then answered each path; bounded by DEADLINE."""
    answers: list[Answer] = []
    lock = threading.Lock()
    stop = threading.Event()
    deadline = time.monotonic() + DEADLINE

    def poller(offset: int) -> None:
        for turn in itertools.count(offset):
            if stop.is_set() or time.monotonic() > deadline:
                return
            path = paths[turn % len(paths)]
            sent = time.time()
            reply = server.get(path)
            with lock:
                answers.append(Answer(path, sent, reply))
            time.sleep(0.01)  # leave the two workers the CPU to reload on

    def done() -> bool:
        with lock:
            polled = _read_log(server, answers, generation)
        answered = {(polled.worker(a), a.path) for a in polled.answers if polled.after_switch(a)}
        return {(pid, path) for pid in server.worker_pids() for path in paths} <= answered

    with ThreadPoolExecutor(POLLERS) as pool:
        futures = [pool.submit(poller, n) for n in range(POLLERS)]
        try:
            while time.monotonic() < deadline and not done():
                time.sleep(0.2)
        finally:
            stop.set()
            for future in futures:
                future.result()
    polled = _read_log(server, answers, generation)
    assert done(), (
        f"in {DEADLINE} s, not every worker loaded generation {generation} and then answered "
        f"every path: loaded by {sorted(polled.switched)} of {sorted(server.worker_pids())}"
    )
    return polled


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


def test_a_publish_reaches_every_worker(database_url: str, tmp_path: Path) -> None:
    """Every worker serves the new version once it has loaded it, and never a mix. How soon is
    the benchmarks' business (bench/README.md); here the wait is generous."""
    new_title = "Moving home (revised)"
    changed = _changed_journeys(tmp_path, new_title)
    with running_server(
        database_url, tmp_path / "server", workers=2, reload_seconds=RELOAD_SECONDS
    ) as server:
        assert len(server.worker_pids()) == 2
        generation = server.get("/readyz").json()["generation"] + 1
        old = server.get(JOURNEY).json()
        assert (old["version"], old["title"]) == (1, "Moving home")

        report = publish(database_url, changed)
        assert report.published == [("moving", 2)]
        polled = _poll_after_publish(server, [JOURNEY], generation)

    seen = [(a.reply.status, _version_and_title(a.reply)) for a in polled.answers]
    assert {status for status, _ in seen} == {200}
    assert {got for _, got in seen} <= {(1, "Moving home"), (2, new_title)}
    stale = [a for a in polled.answers if polled.after_switch(a)]
    stale = [a for a in stale if _version_and_title(a.reply) != (2, new_title)]
    assert not stale, f"{len(stale)} answers came from an old catalogue after the switch"
    log.info(
        "workers switched %s s after the first request; %d requests",
        [round(t - polled.answers[0].sent, 3) for t in polled.switched.values()],
        len(polled.answers),
    )


def _version_and_title(reply: Reply) -> tuple[int, str]:
    body = reply.json()
    return body["version"], body["title"]


# One step of the moving plan, as an editor renames it through the editor API.
STEP = "notify-dvv"
OLD_STEP_TITLE = "Submit a notification of move"
NEW_STEP_TITLE = "Tell the Digital and Population Data Services Agency where you live now"
NEARBY = "moving_to=other_municipality&children=no&moving_housing_allowance=no"
# Asked before the publish, many times, in both workers: anything a worker keeps of it (the
# page or a piece of it) must not outlive the publish.
ASKED_BEFORE = f"/en/moving/plan?{NEARBY}"
# First asked after the publish.
ASKED_AFTER = f"/en/moving/plan?{NEARBY}&event_date=2027-06-18"


def _step_title(reply: Reply) -> str:
    """Which title of the step the plan page shows: 'old' or 'new' (a page with both, or
    neither, would hold a stale piece)."""
    assert reply.status == 200, reply.text[:500]
    has = (OLD_STEP_TITLE in reply.text, NEW_STEP_TITLE in reply.text)
    assert has in ((True, False), (False, True)), f"old and new titles on one page: {has}"
    return "old" if has[0] else "new"


def test_an_editor_publish_changes_every_workers_plan_pages(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    with transaction(make_sessions(engine)) as session:
        editor = tokens.create(session, name="Eeva Editor", role="editor", days=1)
        publisher = tokens.create(session, name="Paavo Publisher", role="publisher", days=1)
    engine.dispose()
    steps = [step["id"] for step in read_yaml(JOURNEYS / "moving.yaml")["steps"]]

    with running_server(
        database_url, tmp_path / "server", workers=2, reload_seconds=RELOAD_SECONDS
    ) as server:
        workers = server.worker_pids()
        generation = server.get("/readyz").json()["generation"] + 1
        # Both workers render the page first (a new connection per request: either may answer).
        served: dict[int, int] = {}
        deadline = time.monotonic() + DEADLINE
        while len(served) < len(workers) or min(served.values()) < 3:
            assert time.monotonic() < deadline, f"the page reached only workers {served}"
            reply = server.get(ASKED_BEFORE)
            assert _step_title(reply) == "old"
            served_by = _read_log(server, [], generation).served_by
            pid = served_by.get(reply.headers["x-request-id"])
            if pid is not None:
                served[pid] = served.get(pid, 0) + 1

        def editor_call(method: str, path: str, token: str, **kwargs: Any) -> Reply:
            headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
            reply = server.request(method, f"/v1/editor{path}", headers=headers, **kwargs)
            assert reply.status in (200, 201), reply.text
            return reply

        draft = editor_call("POST", "/drafts", editor, body={"slug": "moving"})
        renamed = editor_call(
            "PUT",
            "/drafts/moving/texts/en",
            editor,
            body={"texts": {f"/steps/{steps.index(STEP)}/title": NEW_STEP_TITLE}},
            headers={"If-Match": draft.headers["etag"]},
        )
        editor_call(
            "POST",
            "/drafts/moving/publish",
            publisher,
            body={"change_note": "A plainer step title"},
            headers={"If-Match": renamed.headers["etag"]},
        )
        polled = _poll_after_publish(server, [ASKED_BEFORE, ASKED_AFTER], generation)

    titles = [(a, _step_title(a.reply)) for a in polled.answers]
    stale = [a.path for a, title in titles if polled.after_switch(a) and title == "old"]
    assert not stale, f"{len(stale)} pages showed the old title after the switch: {stale[:3]}"
    # ...and every worker served both pages, new, after its switch (_poll_after_publish).
    assert set(polled.switched) == workers


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


PURGE = "DELETE FROM checklists WHERE checklists.last_used_at <"


def test_plans_run_no_sql_statement(quiet_client: TestClient) -> None:
    engine: Engine = quiet_client.app.state.sessions.kw["bind"]  # type: ignore[attr-defined]
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # The purge of unused checklists runs at startup in a thread of its own, on its own
        # schedule (on a busy machine it can start after the first requests): not a plan's.
        if not statement.startswith(PURGE):
            statements.append(statement)

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


def lost_checks(server: LiveServer) -> list[LogRecord]:
    """What the workers logged when a look for a new generation could not reach the database."""
    return [
        r
        for r in server.records()
        if r.message.startswith("could not check for newly published journeys")
    ]


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
            # On a quick machine all of the above can take less than one look for a new
            # generation (RELOAD_SECONDS): keep the database away until a worker has met it.
            deadline = time.monotonic() + 10
            while not lost_checks(server) and time.monotonic() < deadline:
                time.sleep(0.05)

            shut(allow=True)
            back = wait_for_readyz(200)
            assert back.status == 200, back.body
            created = server.request("POST", "/v1/checklists", body={"journey": "moving"})
            assert created.status == 201, created.body
        assert still_away.status == 503
        assert checklist.status >= 500
        # Each worker looked four times a second and said so once (then once a minute), by
        # the exception's type: no traceback.
        lost = lost_checks(server)
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
