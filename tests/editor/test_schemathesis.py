"""schemathesis over every editor operation of the committed openapi.yaml, with a valid
publisher token (and its own check that leaving the token out is refused), in process, on a
migrated database of each kind with the bundled journeys published and a draft of `moving`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
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
from tests.conftest import ROOT

PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
TOKEN = "polku_schemathesis-" + "x" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Whether a write is accepted depends on state the contract cannot spell out: the draft's
# current ETag (412), whether it exists (404, 409), whether the content is a valid journey or
# the answers fit it (422). Those are expected replies to schema-valid data too.
DEPENDS_ON_STATE = ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "428", "429", "5xx"]
# Data the schema forbids is refused, sometimes first by a precondition (If-Match) or size.
REFUSED = ["400", "401", "403", "404", "405", "406", "409", "412", "413", "415", "422", "428"]

CONFIG: dict[str, Any] = {
    "generation": {"mode": "all"},
    # Through the schema's security scheme, so schemathesis knows the token is the auth (and
    # probes that leaving it out is refused) rather than a header it may drop as "negative".
    "auth": {"openapi": {"EditorToken": {"bearer": TOKEN}}},
    "checks": {
        "positive_data_acceptance": {"expected-statuses": DEPENDS_ON_STATE},
        "negative_data_rejection": {"expected-statuses": REFUSED},
    },
}

schema = schemathesis.openapi.from_path(
    ROOT / "openapi.yaml", config=SchemathesisConfig.from_dict(CONFIG)
).include(path_regex="^/v1/editor/")


@pytest.fixture
def app(settings: Settings, database_url: str) -> Iterator[FastAPI]:
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
    app = create_app(settings)
    with asgi.get_client(app) as client:
        assert client.get("/readyz").status_code == 200
        started = client.post("/v1/editor/drafts", json={"slug": "moving"}, headers=AUTH)
        assert started.status_code == 201, started.text
    yield app
    asgi.shutdown_lifespans()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_editor_operation(case: schemathesis.Case, app: FastAPI) -> None:
    # On the operation too, so schemathesis's probes without the token reach the same app.
    case.operation.app = app
    case.operation.schema.app = app
    case.call_and_validate(app=app)
