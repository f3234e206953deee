"""The ASGI middleware around every route: security headers, HEAD as GET, trusted hosts, body
limits and an access log that never records a person's answers."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from fastapi import Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import logs, metrics, tracing
from api.errors import UnknownHost, api_error_response, error_response
from api.http.numbers import whole_number

access_log = logging.getLogger("polku.access")


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Plans and checklists carry personal data in their URLs: never pass them on as a referrer.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Permissions-Policy": "interest-cohort=()",
}


class SecurityHeaders:
    """Strict headers on every response (pages may relax the CSP and framing for themselves)."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                if b"content-security-policy" in present:
                    # A response with its own policy says who may frame it (frame-ancestors,
                    # which browsers prefer); X-Frame-Options cannot name several origins.
                    present.add(b"x-frame-options")
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in self.headers if k not in present
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Answer HEAD wherever GET is answered (pages, API, health checks): the request is routed
    as a GET and the body is left out, with the headers, Content-Length included, unchanged
    (RFC 9110 § 9.3.2). The scope is changed in place so outer layers (the access log) see the
    route; its method is HEAD again when the response is done."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        scope["method"] = "GET"
        try:
            await self.app(scope, receive, without_body)
        finally:
            scope["method"] = "HEAD"


class TrustedHosts:
    """Answer only requests whose Host header names one of our hosts (POLKU_ALLOWED_HOSTS:
    exact names, `*.example.org` for subdomains, or `*` for any); others get 400, the error
    page on the site and a problem on the API. Links never copy the Host header (they use
    POLKU_PUBLIC_URL); this refuses, early, requests meant for someone else. Hand-written
    rather than Starlette's TrustedHostMiddleware, whose refusal is plain text."""

    def __init__(self, app: ASGIApp, *, hosts: Sequence[str]) -> None:
        self.app = app
        self.any = "*" in hosts
        self.exact = frozenset(h for h in hosts if not h.startswith("*"))
        self.suffixes = tuple(h[1:] for h in hosts if h.startswith("*."))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.any or self._ours(scope):
            await self.app(scope, receive, send)
            return
        response = api_error_response(Request(scope), UnknownHost())
        await response(scope, receive, send)

    def _ours(self, scope: Scope) -> bool:
        host = Headers(scope=scope).get("host", "").strip().lower()
        # host, host:port, [v6] or [v6]:port
        name = host[1:].partition("]")[0] if host.startswith("[") else host.partition(":")[0]
        return bool(name) and (name in self.exact or name.endswith(self.suffixes))


class BodyLimit:
    """Refuse bodies over `limit` bytes with 413, whether announced or streamed, and bodies
    that take longer than `timeout` seconds to arrive with 408 (a client sending a byte now and
    then would otherwise hold its connection for ever). Bodies are small (a person's answers),
    so the body is read here whole, then handed on."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        larger: dict[str, int] | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout
        # Path prefixes with a limit of their own (the editors send whole journeys).
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = next(
            (n for prefix, n in self.larger.items() if scope["path"].startswith(prefix)),
            self.limit,
        )
        declared = dict(scope.get("headers", [])).get(b"content-length")
        size = whole_number(declared, digits=18)
        if declared is not None and (size is None or size > limit):
            await _too_large(scope, limit)(scope, receive, send)
            return
        try:
            # One deadline for the whole body: each message within it, however they trickle.
            async with asyncio.timeout(self.timeout):
                body = await _read_body(receive, limit)
        except TimeoutError:
            await _too_slow(scope, self.timeout)(scope, receive, send)
            return
        except _TooLarge:
            await _too_large(scope, limit)(scope, receive, send)
            return
        if body is None:  # the client went away
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class _TooLarge(Exception):
    pass


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body (None if the client went away); _TooLarge past `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _too_large(scope: Scope, limit: int) -> ASGIApp:
    return error_response(
        Request(scope),
        413,
        "Request body too large",
        "/problems/payload-too-large",
        f"the body may be at most {limit} bytes",
    )


def _too_slow(scope: Scope, timeout: float) -> ASGIApp:
    # The rest of the body may still come: do not read it as the next request.
    return error_response(
        Request(scope),
        408,
        "Request timeout",
        "/problems/request-timeout",
        f"the request body did not arrive within {timeout:g} seconds",
        headers={"Connection": "close"},
    )


class AccessLog:
    """One record of every request: a new random request id (the `X-Request-Id` response
    header, and on every log line written while serving it), the access log line, the request
    metrics and the request's trace span. Each names the method, route template, status and
    time: never the query string or the raw path, which may hold a person's answers or a
    checklist's private id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        rid = logs.new_request_id()
        # Never reset: each request is served in a task of its own, whose context goes with
        # it, and the handler of an unhandled error (Starlette's ServerErrorMiddleware, outside
        # this one) still logs with the id.
        logs.request_id.set(rid)
        header = (b"x-request-id", rid.encode())

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        method = scope["method"] if scope["method"] in metrics.METHODS else "other"
        with tracing.request_span(scope, method=method, request_id=rid) as span:
            try:
                await self.app(scope, receive, record)
            finally:
                route = getattr(scope.get("route"), "path", None)
                duration = time.perf_counter() - started
                access_log.info(
                    "%s %s %s %.1fms",
                    method,
                    route or "(unmatched)",
                    status,
                    duration * 1000,
                    extra={
                        "method": method,
                        "route": route,
                        "status": status,
                        "duration_ms": round(duration * 1000, 1),
                    },
                )
                metrics.REQUESTS.labels(route or "(unmatched)", method, str(status)).observe(
                    duration
                )
                tracing.finish(span, method=method, route=route, status=status)
