"""The project's schemathesis configuration (schemathesis.toml) holds: the schemathesis CLI, with
every phase and every check, runs openapi.yaml against a real server on a fresh database (SQLite
and PostgreSQL) with a publisher's token, as a portal or an editing tool would meet it, and
finds nothing.

This is the command schemathesis.toml documents, with one change: fewer examples per operation
(MAX_EXAMPLES, against 100 by default), so that it takes two or three minutes per database
instead of four to seven on a busy two-core machine. The coverage phase, which tries each
boundary, is the same either way.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from tests.conftest import ROOT
from tests.server import LiveServer, running_server

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = 10
TIMEOUT = 900  # seconds: a bound for a stuck run, far above a normal one
# Generous per-client limits: every request of the run comes from one address, and a 429 would
# end a scenario before it reaches what it tests.
LIMITS = {
    "POLKU_LIMIT_CHECKLIST_CREATE": "100000/minute",
    "POLKU_LIMIT_CHECKLIST_WRITE": "100000/minute",
    "POLKU_LIMIT_FEEDBACK": "100000/minute",
    "POLKU_LIMIT_FAILED_SIGN_IN": "100000/minute",
}


def _publisher_token(url: str) -> str:
    """What `polku token create --name fuzz --role publisher` prints."""
    engine = make_engine(url)
    try:
        with transaction(make_sessions(engine)) as session:
            return tokens.create(session, name="fuzz", role="publisher", days=30)
    finally:
        engine.dispose()


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[LiveServer, str]]:
    """A fresh server as `polku serve` makes it on a new database (a copy of one migrated, the
    bundled journeys published: tests/conftest.py); and a publisher's token."""
    token = _publisher_token(database_url)
    with running_server(database_url, tmp_path / "server", env=LIMITS) as server:
        yield server, token


def test_schemathesis_with_the_projects_configuration_finds_nothing(
    served: tuple[LiveServer, str], tmp_path: Path
) -> None:
    server, token = served
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(ROOT / "schemathesis.toml"),
        "run",
        str(ROOT / "openapi.yaml"),
        "--url",
        server.url,
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--no-color",
    ]
    started = time.monotonic()
    # In a directory of its own: whatever schemathesis keeps between runs stays out of the tree.
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    took = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"schemathesis failed after {took:.0f} s:\n{output[-20000:]}"
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):  # every phase ran
        assert f"{phase} (in " in output, phase
    assert token not in output
    assert not [r for r in server.records() if r.level == "ERROR"], server.log()[-5000:]
