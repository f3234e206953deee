"""Logs an operator can use, holding nobody's personal data: one JSON object per line with the
time, an access line for every request with its request id, and a lost database reported by
its exception type, once a minute rather than four times a second."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from api.catalogue.service import CatalogueService
from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from api.logs import Repeats
from tests.api.traffic import send_personal_traffic
from tests.conftest import ROOT
from tests.server import running_server

SECRET_KEY = "a-test-secret-key-of-forty-characters-ok"
METRICS_TOKEN = "metrics-token-5be0c7d9a1f3e2b4c6d8"


def editor_token(database_url: str) -> str:
    engine = make_engine(database_url)
    with transaction(make_sessions(engine)) as session:
        token = tokens.create(session, name="Eeva Editor", role="editor", days=30)
    engine.dispose()
    return token


def test_the_log_holds_no_answer_id_or_token_and_a_line_for_every_request(
    database_url: str, tmp_path: Path
) -> None:
    token = editor_token(database_url)
    env = {"POLKU_SECRET_KEY": SECRET_KEY, "POLKU_METRICS_TOKEN": METRICS_TOKEN}
    with running_server(database_url, tmp_path / "server", env=env) as server:
        traffic = send_personal_traffic(
            lambda method, path, body, form, headers: server.request(
                method, path, body=body, form=form, headers=headers
            ),
            editor_token=token,
            metrics_token=METRICS_TOKEN,
        )
    log = server.log()  # the server has stopped: every line is written
    assert len(traffic.answers) >= 15
    assert traffic.found_in(log) == []

    lines = log.splitlines()
    assert all(isinstance(json.loads(line), dict) for line in lines), "not one JSON object a line"
    access = [r.fields for r in server.records() if r.logger == "polku.access"]
    for answer in traffic.answers:
        request_id = answer.headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{16}", request_id)
        mine = [line for line in access if line.get("request_id") == request_id]
        assert len(mine) == 1, (request_id, mine)
        line = mine[0]
        assert line["level"] == "INFO"
        assert line["status"] == answer.status
        assert line["method"] in ("GET", "POST", "PUT", "PATCH", "DELETE")
        assert line["route"].startswith("/")  # a template: the ids were searched for above
        assert isinstance(line["duration_ms"], float)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", line["time"])
    assert len({a.headers["x-request-id"] for a in traffic.answers}) == len(traffic.answers)


@pytest.mark.parametrize(
    ("log_format", "expected"),
    [
        (
            "text",
            r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING polku\.test \[-\] the database is "
            r"away: OperationalError",
        ),
        ("json", r"\{.*\}"),
    ],
)
def test_polku_serve_logs_lines_with_the_time_in_the_format_asked_for(
    log_format: str, expected: str
) -> None:
    """What `polku serve` configures (api.logs.configure), in a process of its own."""
    script = (
        "import logging; from api.config import Settings; from api import logs; "
        f"logs.configure(Settings(log_format={log_format!r}, log_level='info')); "
        "logging.getLogger('polku.test').warning('the database is away: %s', 'OperationalError');"
        "logging.getLogger('polku.test').debug('not at level info')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    assert re.fullmatch(expected, lines[0]), lines[0]
    if log_format == "json":
        line = json.loads(lines[0])
        assert line["level"] == "WARNING"
        assert line["logger"] == "polku.test"
        assert line["message"] == "the database is away: OperationalError"
        assert isinstance(line["pid"], int)
        assert line["time"].endswith("+00:00")


def _warning(message: str, *args: Any, logger: str = "polku.catalogue") -> logging.LogRecord:
    return logging.LogRecord(logger, logging.WARNING, __file__, 1, message, args, None)


def test_a_repeated_warning_is_written_once_a_minute_with_a_count_of_the_rest() -> None:
    now = [1000.0]
    repeats = Repeats(60, clock=lambda: now[0])
    template = "could not check for newly published journeys: %s"
    passed = []
    for _ in range(240):  # a minute of the database gone, four checks a second
        passed.append(repeats.filter(_warning(template, "OperationalError")))
        now[0] += 0.25
    assert passed == [True] + [False] * 239
    # Another warning, and lines below warning (every access line), are not held back.
    assert repeats.filter(_warning("database unavailable on %s %s: %s", "GET", "/x", "E"))
    access = logging.LogRecord("polku.access", logging.INFO, __file__, 1, "%s", ("GET",), None)
    assert all(repeats.filter(access) for _ in range(10))

    now[0] += 0.5
    next_one = _warning(template, "InterfaceError")
    assert repeats.filter(next_one)
    assert next_one.getMessage() == (
        "could not check for newly published journeys: InterfaceError "
        "(239 more like this in the last 60 s not logged)"
    )
    assert not repeats.filter(_warning(template, "InterfaceError"))

    def error(route: str, fault: Exception) -> logging.LogRecord:
        return logging.LogRecord(
            "polku.errors", logging.ERROR, __file__, 1, "unhandled error on %s %s",
            ("GET", route), (type(fault), fault, None),
        )  # fmt: skip

    assert repeats.filter(error("/a", ValueError()))
    assert not repeats.filter(error("/a", ValueError()))
    assert repeats.filter(error("/a", KeyError()))  # another fault
    assert repeats.filter(error("/b", ValueError()))  # elsewhere


def test_the_catalogue_watch_reports_a_lost_database_by_its_type_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def sessions() -> Any:
        raise OperationalError("SELECT generation", {}, ConnectionRefusedError("gone"))

    async def watch_a_little() -> None:
        stop = asyncio.Event()
        watching = asyncio.create_task(CatalogueService(sessions).watch(0.01, stop))  # type: ignore[arg-type]
        await asyncio.sleep(0.1)
        stop.set()
        await watching

    caplog.set_level(logging.WARNING, logger="polku.catalogue")
    asyncio.run(watch_a_little())
    warnings = [r for r in caplog.records if r.name == "polku.catalogue"]
    assert warnings
    for record in warnings:
        assert record.getMessage() == (
            "could not check for newly published journeys: OperationalError"
        )
        assert record.exc_info is None


def test_a_database_error_quotes_none_of_the_values_sent_with_its_statement(
    empty_database_url: str,
) -> None:
    """Errors are logged (an unhandled one with its traceback): SQLAlchemy would put the
    statement's parameters, a person's answers, in the message."""
    engine = make_engine(empty_database_url)
    try:
        with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
            connection.execute(
                text("SELECT * FROM no_such_table WHERE answers = :answers"),
                {"answers": '{"moving_to": "zqxv-abroad"}'},
            )
    finally:
        engine.dispose()
    assert "no_such_table" in str(raised.value)
    assert "zqxv" not in str(raised.value)
