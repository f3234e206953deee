"""GET /metrics: Prometheus numbers an operator can use (requests by route template, plans by
journey, the response cache, publishes, database errors, each worker's generation), added up
over every worker, and shown only to this machine, a holder of the metrics token, or everyone
when the setting says so."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr, ValidationError
from sqlalchemy import text

from api.config import Settings
from api.db import make_engine, make_sessions, transaction
from api.editor import tokens
from api.main import create_app
from tests.conftest import JOURNEYS
from tests.server import LiveServer, prepare_database, running_server

LOCAL = ("127.0.0.1", 50000)
ELSEWHERE = ("203.0.113.5", 1234)
TOKEN = "metrics-token-c1d2e3f4a5b6c7d8e9f0"
PLAN = (
    "/v1/journeys/moving/plan?moving_to=other_municipality&children=no"
    "&moving_housing_allowance=no&event_date=2027-06-18"
)
PAGE = PLAN.replace("/v1/journeys/moving/plan", "/en/moving/plan")

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(metrics_text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(metrics_text)
        for sample in family.samples
    }


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return samples(response.text)


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, frozenset(labels.items()))
    assert key in after, f"{name}{labels} is not among the metrics"
    return after[key] - before.get(key, 0.0)


@pytest.fixture
def local(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), client=LOCAL) as client:
        yield client


# --- what is counted -----------------------------------------------------------------------


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_requests_plans_and_cache_lookups_are_counted_by_route_and_journey(
    local: TestClient,
) -> None:
    before = scrape(local)
    assert local.get(PLAN).status_code == 200
    assert local.get(PLAN).status_code == 200  # planned again: plans are never kept
    assert local.get("/v1/journeys/moving").status_code == 200
    assert local.get("/v1/journeys/moving").status_code == 200  # from the response cache
    assert local.get(PAGE).status_code == 200
    assert local.get("/v1/journeys/nowhere").status_code == 404
    assert local.get("/no/such/address/at/all").status_code == 404
    response = local.get("/metrics")
    after = samples(response.text)

    requests = "polku_http_request_duration_seconds_count"
    plan = {"route": "/v1/journeys/{slug}/plan", "method": "GET", "status": "200"}
    assert grew(before, after, requests, **plan) == 2
    assert grew(before, after, requests, route="/{lang}/{slug}/plan", method="GET", status="200")
    assert grew(before, after, requests, route="/v1/journeys/{slug}", method="GET", status="404")
    assert grew(before, after, requests, route="(unmatched)", method="GET", status="404") == 1
    every = frozenset({**plan, "le": "+Inf"}.items())
    assert after[("polku_http_request_duration_seconds_bucket", every)] >= 2
    assert grew(before, after, "polku_plans_total", journey="moving", channel="api") == 2
    assert grew(before, after, "polku_plans_total", journey="moving", channel="page") == 1
    assert grew(before, after, "polku_response_cache_lookups_total", result="hit") == 1
    # The two plans, the journey's first read, the page and the unknown journey.
    assert grew(before, after, "polku_response_cache_lookups_total", result="miss") == 5
    generation = local.get("/readyz").json()["generation"]
    assert after[("polku_catalogue_generation", frozenset({("pid", str(os.getpid()))}))] == (
        generation
    )
    # Labels name templates and journeys, never what was asked.
    assert "other_municipality" not in response.text
    assert "nowhere" not in response.text
    assert "/no/such" not in response.text


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_publishes_and_rollbacks_are_counted(local: TestClient, database_url: str) -> None:
    engine = make_engine(database_url)
    with transaction(make_sessions(engine)) as session:
        token = tokens.create(session, name="Paavo Publisher", role="publisher", days=30)
    publisher = {"Authorization": f"Bearer {token}"}
    engine.dispose()
    before = scrape(local)
    started = local.post("/v1/editor/drafts", json={"slug": "moving"}, headers=publisher)
    changed = local.put(
        "/v1/editor/drafts/moving/texts/en",
        json={"texts": {"/title": "Moving house"}},
        headers=publisher | {"If-Match": started.headers["etag"]},
    )
    published = local.post(
        "/v1/editor/drafts/moving/publish",
        json={"change_note": "A plainer title"},
        headers=publisher | {"If-Match": changed.headers["etag"]},
    )
    assert published.status_code == 200, published.text
    refused = local.post(
        "/v1/editor/journeys/moving/rollback",
        json={"version": 2, "change_note": "Already published"},
        headers=publisher,
    )
    assert refused.status_code == 409
    rolled = local.post(
        "/v1/editor/journeys/moving/rollback",
        json={"version": 1, "change_note": "Back"},
        headers=publisher,
    )
    assert rolled.status_code == 200, rolled.text
    after = scrape(local)
    assert grew(before, after, "polku_publishes_total", kind="publish") == 1
    assert grew(before, after, "polku_publishes_total", kind="rollback") == 1
    assert (
        after[("polku_catalogue_generation", frozenset({("pid", str(os.getpid()))}))]
        == (local.get("/readyz").json()["generation"])
    )


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_imports_count_each_journey_they_publish(tmp_path: Path, empty_database_url: str) -> None:
    client = TestClient(create_app(Settings(database_url=empty_database_url)), client=LOCAL)
    before = scrape(client)  # no start: /metrics needs no database
    report = prepare_database(empty_database_url)
    after = scrape(client)
    assert len(report.published) == len(list(JOURNEYS.glob("*.yaml")))
    assert grew(before, after, "polku_publishes_total", kind="import") == len(report.published)


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_a_database_error_in_a_request_is_counted_and_logged_with_its_request_id(
    local: TestClient, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from api.logs import RequestId

    before = scrape(local)
    engine = make_engine(database_url)
    with engine.begin() as connection:  # the table a create needs is gone
        connection.execute(text("DROP TABLE checklists"))
    engine.dispose()
    caplog.handler.addFilter(RequestId())
    away = local.post("/v1/checklists", json={"journey": "moving"})
    assert away.status_code == 503
    after = scrape(local)
    assert grew(before, after, "polku_database_errors_total", where="request") == 1
    (warning,) = [r for r in caplog.records if r.name == "polku.errors"]
    assert warning.request_id == away.headers["x-request-id"]  # type: ignore[attr-defined]
    assert warning.getMessage() == ("database unavailable on POST /v1/checklists: OperationalError")


# --- who may see them ----------------------------------------------------------------------


def app_with(tmp_path: Path, **settings: object) -> object:
    return create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'unused.sqlite3'}", **settings)  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_metrics_are_refused_elsewhere_with_the_404_of_an_unknown_api_address(
    settings: Settings,
) -> None:
    app = create_app(settings.model_copy(update={"metrics_token": SecretStr(TOKEN)}))
    with TestClient(app, client=ELSEWHERE) as started:
        refused = started.get("/metrics")
        unknown = started.get("/v1/metrics")
    assert refused.status_code == 404
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json() == unknown.json()

    elsewhere = TestClient(app, client=ELSEWHERE)
    assert elsewhere.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert elsewhere.get("/metrics", headers={"Authorization": TOKEN}).status_code == 404

    with_token = elsewhere.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert with_token.status_code == 200
    assert "polku_http_request_duration_seconds" in with_token.text

    local = TestClient(app, client=LOCAL)
    assert local.get("/metrics").status_code == 200
    # A proxy on this machine connects from loopback too: what it forwards came from elsewhere.
    forwarded = local.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
    assert forwarded.status_code == 404
    assert local.get("/metrics", headers={"Forwarded": "for=127.0.0.1"}).status_code == 404
    assert TestClient(app, client=("::1", 1)).get("/metrics").status_code == 200


def test_public_metrics_are_shown_to_anyone_and_kept_out_of_the_api_contract(
    tmp_path: Path,
) -> None:
    app = app_with(tmp_path, metrics_public=True)
    assert TestClient(app, client=ELSEWHERE).get("/metrics").status_code == 200  # type: ignore[arg-type]
    assert "/metrics" not in app.openapi()["paths"]  # type: ignore[attr-defined]


# --- several workers -----------------------------------------------------------------------


def served_by(server: LiveServer, request_ids: set[str]) -> set[int]:
    return {
        r.pid
        for r in server.records()
        if r.logger == "polku.access" and r.fields.get("request_id") in request_ids
    }


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_metrics_add_up_the_requests_of_every_worker(database_url: str, tmp_path: Path) -> None:
    env = {"POLKU_SECRET_KEY": "a-test-secret-key-of-forty-characters-ok"}
    with running_server(database_url, tmp_path / "server", workers=2, env=env) as server:
        workers = server.worker_pids()
        assert len(workers) == 2
        # As `polku serve` does: a fresh directory for the workers' numbers, removed after.
        environ = Path(f"/proc/{min(workers)}/environ").read_bytes().split(b"\0")
        (directory,) = [
            Path(v.split(b"=", 1)[1].decode())
            for v in environ
            if v.startswith(b"PROMETHEUS_MULTIPROC_DIR=")
        ]
        assert directory.is_dir()
        sent: set[str] = set()
        deadline = time.monotonic() + 20
        # A new connection per request: the kernel hands each to either worker.
        while time.monotonic() < deadline and (
            len(sent) < 20 or served_by(server, sent) != workers
        ):
            reply = server.get("/v1/journeys/moving?lang=en")
            assert reply.status == 200
            sent.add(reply.headers["x-request-id"])
        time.sleep(0.3)  # the last access lines are written after their responses
        assert served_by(server, sent) == workers, "one worker answered every request"
        scrapes = [samples(server.get("/metrics").text) for _ in range(4)]

    journey = frozenset({("route", "/v1/journeys/{slug}"), ("method", "GET"), ("status", "200")})
    for scraped in scrapes:  # whichever worker answered
        assert scraped[("polku_http_request_duration_seconds_count", journey)] == len(sent)
        generations = {
            dict(labels)["pid"]: value
            for (name, labels), value in scraped.items()
            if name == "polku_catalogue_generation"
        }
        assert set(map(int, generations)) == workers
        assert set(generations.values()) == {1.0}
    assert not directory.exists()


def test_a_short_metrics_token_is_refused_without_showing_it() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(metrics_token=SecretStr("guessable-token"))
    assert "POLKU_METRICS_TOKEN must be at least 32 characters" in str(refused.value)
    assert "guessable" not in str(refused.value)
