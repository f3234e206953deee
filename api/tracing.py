"""What Polku puts in OpenTelemetry traces: one span per request, named by its route template.

FastAPI (0.165 and later) traces every request by itself as soon as a tracer provider is
configured (for example by `opentelemetry-instrument`), and its spans carry the full path and
query string (`url.path`, `url.query`): a saved checklist's private id and a person's answers.
Its OpenTelemetry log records carry exception messages, which may quote what was sent. So
Polku switches both off (`FASTAPI_TELEMETRY`) and makes its own server span in
`api.http.middleware.AccessLog` with only what the access log has: method, route template,
status and the request id. FastAPI's request metrics stay on: their attributes are the method,
route template and status. With no tracer provider configured, none of this records anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.telemetry import TelemetryConfig
from opentelemetry import propagate, trace
from opentelemetry.trace import Span, SpanKind, StatusCode
from starlette.types import Scope

FASTAPI_TELEMETRY: TelemetryConfig = {"tracing": False, "logs": False}


@contextmanager
def request_span(scope: Scope, *, method: str, request_id: str) -> Iterator[Span]:
    """The server span of one HTTP request, current while it is served (a caller's
    `traceparent` is its parent). `finish()` names it once the route is known."""
    # Per request, not once: the provider may be configured after this module is imported.
    provider = trace.get_tracer_provider()
    if isinstance(provider, trace.ProxyTracerProvider):  # none configured: nothing to record
        yield trace.INVALID_SPAN
        return
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    tracer = provider.get_tracer("polku")
    span = tracer.start_span(
        method,
        context=propagate.extract(headers),
        kind=SpanKind.SERVER,
        attributes={
            "http.request.method": method,
            "url.scheme": scope.get("scheme", "http"),
            "polku.request_id": request_id,
        },
    )
    # Not the exception: its message may quote what was sent (the status says 500).
    with trace.use_span(
        span, end_on_exit=True, record_exception=False, set_status_on_exception=False
    ):
        yield span


def finish(span: Span, *, method: str, route: str | None, status: int) -> None:
    if route is not None:
        span.update_name(f"{method} {route}")
        span.set_attribute("http.route", route)
    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_attribute("error.type", str(status))
        span.set_status(StatusCode.ERROR)
