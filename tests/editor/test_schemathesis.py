"""schemathesis over every editor operation of the committed openapi.yaml, with a valid
publisher token (and its own check that leaving the token out is refused), in process, on a
migrated database of each kind with the bundled journeys published and a draft of `moving`."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi

from api.config import Settings
from api.db import make_engine, make_sessions, transaction, utcnow
from api.editor import repository
from api.editor.models import EditorToken
from api.editor.tokens import hash_token
from api.main import create_app
from tests.conftest import (
    GENEROUS_LIMITS,
    ROOT,
    PostgresDatabases,
    PublishedTemplates,
    every_kind_database_urls,
    read_yaml,
    require_every_kind,
)

PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
TOKEN = "polku_schemathesis-" + "x" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# The project's configuration (schemathesis.toml: which statuses depend on stored state, and
# why), with the token given through the schema's security scheme, so schemathesis knows it is
# the auth (and probes that leaving it out is refused) rather than a header it may drop as
# "negative".
CONFIG: dict[str, Any] = tomllib.loads((ROOT / "schemathesis.toml").read_text("utf-8")) | {
    "generation": {"mode": "all"},
    "auth": {"openapi": {"EditorToken": {"bearer": TOKEN}}},
}

# Only the editor's operations (tests/api/test_schemathesis.py drives the public ones): the
# contract with every other path left out. schemathesis's `.include(path_regex=...)` kept all
# 41 operations here, so the public ones ran twice.
CONTRACT = read_yaml(ROOT / "openapi.yaml")
CONTRACT["paths"] = {
    path: item for path, item in CONTRACT["paths"].items() if path.startswith("/v1/editor/")
}
schema = schemathesis.openapi.from_dict(CONTRACT, config=SchemathesisConfig.from_dict(CONFIG))


def _with_token_and_draft(database_url: str) -> FastAPI:
    """The app on `database_url` with a publisher's token stored, started, and a draft of
    `moving` begun."""
    engine = make_engine(database_url)
    with transaction(make_sessions(engine)) as session:
        repository.add_token(
            session,
            EditorToken(
                name="schemathesis",
                role="publisher",
                token_hash=hash_token(TOKEN),
                created_at=utcnow(),
                expires_at=utcnow() + dt.timedelta(days=1),
            ),
        )
    engine.dispose()
    app = create_app(Settings(database_url=database_url, **GENEROUS_LIMITS))
    with asgi.get_client(app) as client:
        assert client.get("/readyz").status_code == 200
        started = client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=AUTH)
        assert started.status_code == 201, started.text
    return app


# The id "sqlite+postgresql" also names each operation's test: with pytest 9.2 an
# unparametrized schemathesis test's node id leaves the operation out.
@pytest.fixture(params=["sqlite+postgresql"])
def apps(
    tmp_path: Path,
    postgres: PostgresDatabases | None,
    published_templates: PublishedTemplates,
) -> Iterator[dict[str, FastAPI]]:
    """For each operation, the app on a new database of each kind, by kind."""
    urls = every_kind_database_urls(tmp_path, postgres, published_templates)
    yield {kind: _with_token_and_draft(url) for kind, url in urls.items()}
    asgi.shutdown_lifespans()
    if postgres is not None:
        postgres.drop(urls["postgresql"])


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_editor_operation(case: schemathesis.Case, apps: dict[str, FastAPI]) -> None:
    # Each generated case goes to the app on every database kind (generating is most of the
    # cost). On the operation too, so schemathesis's probes without the token reach the same
    # app.
    for kind, app in apps.items():
        case.operation.app = app
        case.operation.schema.app = app
        try:
            case.call_and_validate(app=app)
        except BaseException as exc:
            exc.add_note(f"(the app on {kind})")
            raise


def test_every_editor_operation_ran_on_postgresql_too(apps: dict[str, FastAPI]) -> None:
    """test_every_editor_operation runs on the kinds there are; this shows when PostgreSQL was
    not."""
    require_every_kind(apps)
    assert list(apps) == ["sqlite", "postgresql"]
