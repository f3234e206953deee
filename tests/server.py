"""A real Polku server for tests: uvicorn in a subprocess on a free loopback port, with its own
database, stopped at the end whatever happens.

    prepare_database(url)                       # migrate and publish the bundled journeys
    with running_server(url, tmp_path, workers=2) as server:
        server.get("/v1/journeys/moving")       # a new connection per request

The server logs to a file with Polku's own logging configuration (`api.logs`, one JSON object
per line with the time, process id, logger and, during a request, its request id), so tests can
see which worker did what (`server.records()`): each worker logs when it loads a catalogue
generation, and `api.http.middleware.AccessLog` logs every request (route template and status only).
With several workers the server adds up their metrics the way `polku serve` does
(`api.metrics.multiprocess_directory`). Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from api import migrations
from api.catalogue.service import ImportReport, import_directory
from api.db import make_engine, make_sessions
from api.logs import logging_config
from api.metrics import multiprocess_directory
from tests.conftest import GENEROUS_LIMITS, JOURNEYS, ROOT

START_TIMEOUT = 60.0  # seconds for the server to answer /readyz with every worker started
STOP_TIMEOUT = 15.0


def free_port() -> int:
    """A TCP port nobody listens on right now on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def prepare_database(url: str, journeys: Path = JOURNEYS) -> ImportReport:
    """Migrate the database at `url` and publish the journeys in `journeys`."""
    migrations.upgrade(url)
    return publish(url, journeys)


def publish(url: str, journeys: Path) -> ImportReport:
    """What `polku journeys import` does: publish every changed journey, all or nothing."""
    engine = make_engine(url)
    try:
        return import_directory(make_sessions(engine), journeys, author="tests")
    finally:
        engine.dispose()


@dataclass(frozen=True)
class LogRecord:
    created: float  # time.time() in the server process
    pid: int
    logger: str
    level: str
    message: str
    fields: Mapping[str, Any]  # the whole line, as JSON (request_id, route, status...)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LiveServer:
    url: str
    host: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    workers: int

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def records(self) -> list[LogRecord]:
        """The server's log lines (anything else it printed left out)."""
        records = []
        for line in self.log().splitlines():
            try:
                fields = json.loads(line)
            except ValueError:
                continue
            if isinstance(fields, dict) and "time" in fields:
                created = dt.datetime.fromisoformat(fields["time"]).timestamp()
                records.append(
                    LogRecord(
                        created,
                        fields["pid"],
                        fields["logger"],
                        fields["level"],
                        fields["message"],
                        fields,
                    )
                )
        return records

    def listening(self) -> bool:
        """Whether uvicorn has said it bound this server's port."""
        said = f"Uvicorn running on {self.url} "
        return any(r.message.startswith(said) for r in self.records())

    def worker_pids(self) -> set[int]:
        """The processes that finished starting the app (the workers, not the supervisor)."""
        return {r.pid for r in self.records() if r.message == "Application startup complete."}

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        form: list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 10.0,
    ) -> Reply:
        """One request on a new connection (so the kernel may hand it to any worker), with no
        Cache-Control or other caching headers. `body` is sent as JSON, `form` as a browser
        sends a form."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            sent = {"Connection": "close", **(headers or {})}
            payload = None
            if body is not None:
                payload = json.dumps(body).encode()
                sent["Content-Type"] = "application/json"
            elif form is not None:
                payload = urlencode(form).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            data = response.read()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        finally:
            connection.close()

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)


@contextmanager
def running_server(
    database_url: str,
    directory: Path,
    *,
    workers: int = 1,
    reload_seconds: float = 0.25,
    env: Mapping[str, str] | None = None,
) -> Iterator[LiveServer]:
    """uvicorn serving `api.main:app_factory` on a free loopback port against `database_url`,
    ready (every worker started and /readyz 200) when this yields; terminated on exit.
    `directory` holds the log and the logging configuration."""
    directory.mkdir(parents=True, exist_ok=True)
    log_config = directory / "logging.json"
    log_config.write_text(json.dumps(logging_config("json", "info")), encoding="utf-8")
    environment = {
        **os.environ,
        "POLKU_DATABASE_URL": database_url,
        "POLKU_RELOAD_SECONDS": str(reload_seconds),
        "POLKU_JOURNEYS_DIR": str(JOURNEYS),
        "PYTHONUNBUFFERED": "1",
        # A whole test session comes from one address: never throttled unless a test says so.
        **{f"POLKU_{name.upper()}": value for name, value in GENEROUS_LIMITS.items()},
        **(env or {}),
    }
    with multiprocess_directory(workers, environment):
        yield from _serve(environment, directory, log_config, workers)


def _serve(
    environment: dict[str, str], directory: Path, log_config: Path, workers: int
) -> Iterator[LiveServer]:
    for attempt in range(3):  # another process may take the free port before uvicorn binds it
        port = free_port()
        # The port is the development default of the public address the links use.
        environment["POLKU_PORT"] = str(port)
        log_path = directory / f"server-{port}.log"
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "api.main:app_factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--no-proxy-headers",  # as `polku serve`: the app decides whom to believe
            "--log-config",
            str(log_config),
        ]
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in pytest reaches us, and we stop it
            )
        server = LiveServer(
            f"http://127.0.0.1:{port}", "127.0.0.1", port, process, log_path, workers
        )
        try:
            if _wait_until_ready(server):
                yield server
                return
        finally:
            _stop(server)
        if "address already in use" not in server.log().lower() or attempt == 2:
            raise RuntimeError(f"the server did not start:\n{server.log()[-4000:]}")


def _wait_until_ready(server: LiveServer) -> bool:
    """True once our uvicorn holds the port, every worker has started and /readyz answers 200;
    False if the process ended."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        # One worker starts the app before it binds: until it says it listens, a /readyz on
        # the port could be answered by another test's server (pytest-xdist runs several).
        if server.listening() and len(server.worker_pids()) >= server.workers:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if server.get("/readyz", timeout=2.0).status == 200:
                    return True
        time.sleep(0.05)
    raise TimeoutError(f"the server was not ready in {START_TIMEOUT} s:\n{server.log()[-4000:]}")


def _stop(server: LiveServer) -> None:
    """SIGTERM to uvicorn (which stops its workers), then SIGKILL to whatever of ours is left."""
    workers = server.worker_pids()
    process = server.process
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
    for pid in workers:  # a worker the supervisor failed to stop: only ids it logged, still ours
        if _session_of(pid) == process.pid:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def _session_of(pid: int) -> int | None:
    """The session id of a live process (Linux), None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[3])
