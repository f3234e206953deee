"""Trace spans, when an operator configures OpenTelemetry: one span per request, named by its
route template, and none of a person's answers, a checklist's private id or a token in any of
them (FastAPI's own spans would carry the full path and query: see api/tracing.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from opentelemetry.util._once import Once

from api.config import Settings
from api.main import create_app
from tests.api.test_logs import editor_token
from tests.api.traffic import send_personal_traffic


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """A global tracer provider keeping every span in memory, as `opentelemetry-instrument`
    would install one with an exporter; the unset one is back after the test."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(trace, "_TRACER_PROVIDER_SET_ONCE", Once())
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", None)
    trace.set_tracer_provider(provider)
    yield exporter
    provider.shutdown()


@dataclass(frozen=True)
class Answered:
    status: int
    headers: Mapping[str, str]
    text: str


def sender(client: TestClient) -> Any:
    def send(
        method: str,
        path: str,
        body: Any,
        form: list[tuple[str, str]] | None,
        headers: Mapping[str, str] | None,
    ) -> Answered:
        sent = dict(headers or {})
        if form is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        response = client.request(
            method,
            path,
            json=body,
            content=urlencode(form) if form is not None else None,
            headers=sent,
            follow_redirects=False,
        )
        lower = {k.lower(): v for k, v in response.headers.items()}
        return Answered(response.status_code, lower, response.text)

    return send


def test_spans_hold_no_answer_id_or_token_and_one_is_made_per_request(
    settings: Settings, database_url: str, spans: InMemorySpanExporter
) -> None:
    token = editor_token(database_url)
    with TestClient(create_app(settings)) as client:
        spans.clear()  # the start's own work
        traffic = send_personal_traffic(sender(client), editor_token=token)
    finished = spans.get_finished_spans()

    # Everything a span holds, exported as an exporter would: names, attributes, events,
    # status descriptions, links.
    exported = "\n".join(span.to_json() for span in finished)
    assert traffic.found_in(exported) == []

    server = [s for s in finished if s.kind == SpanKind.SERVER]
    assert len(server) == len(finished), "only Polku's request spans, not FastAPI's own"
    by_request = {s.attributes["polku.request_id"]: s for s in server if s.attributes}
    assert len(by_request) == len(server) == len(traffic.answers)
    for answer in traffic.answers:
        span = by_request[answer.headers["x-request-id"]]
        attributes = dict(span.attributes or {})
        route = attributes["http.route"]
        assert isinstance(route, str)
        assert route.startswith("/")
        assert span.name == f"{attributes['http.request.method']} {route}"
        assert attributes["http.response.status_code"] == answer.status
        assert set(attributes) <= {
            "http.request.method",
            "http.route",
            "http.response.status_code",
            "url.scheme",
            "polku.request_id",
        }
        assert not json.loads(span.to_json())["events"]


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
def test_a_callers_trace_goes_on_in_polkus_span(
    settings: Settings, spans: InMemorySpanExporter
) -> None:
    trace_id, parent = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
    client = TestClient(create_app(settings))  # no start: /healthz needs nothing
    answer = client.get("/healthz", headers={"traceparent": f"00-{trace_id}-{parent}-01"})
    assert answer.status_code == 200
    (span,) = spans.get_finished_spans()
    assert span.name == "GET /healthz"
    assert f"{span.context.trace_id:032x}" == trace_id
    assert span.parent is not None
    assert f"{span.parent.span_id:016x}" == parent
