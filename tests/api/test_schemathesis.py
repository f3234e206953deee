"""Property-based contract tests: schemathesis drives every public operation of the committed
openapi.yaml, in process, against the app on a migrated database with the real journeys
(SQLite and PostgreSQL), and checks each response against the contract."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.python import asgi

from api.config import Settings
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

# "explain" is left out: it can take minutes and adds nothing to a failure report.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]

# The project's configuration: which statuses depend on stored state (a journey's questions and
# options, a draft's ETag), each with its reason, in schemathesis.toml; positive and negative
# data.
CONFIG: dict[str, Any] = tomllib.loads((ROOT / "schemathesis.toml").read_text("utf-8")) | {
    "generation": {"mode": "all"}
}

# The committed contract, not the app's own idea of it (tests/api/test_openapi.py keeps the two
# equal): this is what portals build on. Only its public operations: the editor's need a token
# and tests/editor/test_schemathesis.py drives them with one (and probes leaving it out), and
# tests/editor/test_auth.py refuses every editor operation without one; here, with no token,
# each would only have answered its 401 to every generated case. Loaded eagerly, one test per
# operation: schemathesis's lazy `from_fixture` loader does not work with pytest 9.2.
CONTRACT = read_yaml(ROOT / "openapi.yaml")
CONTRACT["paths"] = {
    path: item for path, item in CONTRACT["paths"].items() if not path.startswith("/v1/editor/")
}
schema = schemathesis.openapi.from_dict(CONTRACT, config=SchemathesisConfig.from_dict(CONFIG))


@pytest.fixture(scope="module")
def apps(
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresDatabases | None,
    published_templates: PublishedTemplates,
) -> Iterator[dict[str, FastAPI]]:
    """The app on a migrated database of each kind with the bundled journeys published, by
    kind, one each (per xdist worker) for every operation's test: what the operations write
    (checklists under new random ids, feedback counts) no other operation's answer depends on.
    A fresh app per operation cost some 0.15 CPU s each (FastAPI resolves every route's
    dependencies again on a new app's first request) and a PostgreSQL database each."""
    urls = every_kind_database_urls(
        tmp_path_factory.mktemp("schemathesis"), postgres, published_templates
    )
    apps = {
        kind: create_app(
            Settings(database_url=url, cors_origins=["https://portal.example"], **GENEROUS_LIMITS)
        )
        for kind, url in urls.items()
    }
    # schemathesis's in-process client runs the app's lifespan, which loads the published
    # journeys, and keeps it running to the end of the process (so a TestClient would only run
    # a second one). Start it here and make sure the journeys are loaded: otherwise every
    # operation would answer its (declared) 503 and the run would prove little.
    for app in apps.values():
        with asgi.get_client(app) as client:
            ready = client.get("/readyz")
            assert ready.status_code == 200, ready.text
    yield apps
    # Stop them before the test databases go away.
    asgi.shutdown_lifespans()


def call_and_validate_on_each(case: schemathesis.Case, apps: dict[str, FastAPI]) -> None:
    """Send one generated case to the app on every database kind and check each answer.
    Generating the examples is most of the cost, so each is made once and sent to both."""
    for kind, app in apps.items():
        try:
            case.call_and_validate(app=app)
        except BaseException as exc:
            exc.add_note(f"(the app on {kind})")
            raise


# One id for both kinds. It also names each operation's test: with pytest 9.2 an
# unparametrized schemathesis test's node id leaves the operation out (every one would be
# "test_every_operation"); a parametrized one keeps it.
@pytest.fixture(params=["sqlite+postgresql"])
def each_kind(apps: dict[str, FastAPI]) -> dict[str, FastAPI]:
    return apps


@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    phases=PHASES,
    # One app and database per kind, shared by every operation's examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation(case: schemathesis.Case, each_kind: dict[str, FastAPI]) -> None:
    call_and_validate_on_each(case, each_kind)


def test_every_operation_ran_on_postgresql_too(apps: dict[str, FastAPI]) -> None:
    """test_every_operation runs on the kinds there are; this shows when PostgreSQL was not."""
    require_every_kind(apps)
    assert list(apps) == ["sqlite", "postgresql"]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_stateful(kind: str, apps: dict[str, FastAPI]) -> None:
    """Sequences of calls that follow the contract's links: make a checklist, then read,
    change, tick and delete it. Once per kind: a step's request takes ids from the answers
    before it, which differ between the two databases."""
    if kind == "postgresql":
        require_every_kind(apps)
    app = apps[kind]

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"app": app}

    Workflow.run(
        settings=settings(
            max_examples=50,
            stateful_step_count=6,
            deadline=None,
            phases=PHASES,
            # Health checks judge generation speed; max_examples bounds the run.
            suppress_health_check=list(HealthCheck),
        )
    )
