"""HTTP plumbing shared by every route: language, caching with ETags, security headers, body
limits and an access log that never records a person's answers."""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.engine.model import LANGS
from api.errors import problem_response

access_log = logging.getLogger("polku.access")


def negotiate(lang: str | None, accept_language: str | None) -> str:
    """`lang` if given, else the best of Accept-Language we speak, else Finnish."""
    if lang in LANGS:
        return lang
    best: tuple[float, str] | None = None
    for part in (accept_language or "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if primary in LANGS and quality > 0 and (best is None or quality > best[0]):
            best = (quality, primary)
    return best[1] if best else "fi"


def json_response(
    request: Request,
    body: BaseModel | bytes,
    *,
    cache: str,
    lang: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """A JSON response with a strong ETag of its bytes; 304 to a GET when the client has it
    already (never to a change: its result would be lost)."""
    content = body if isinstance(body, bytes) else body.model_dump_json().encode()
    etag = etag_of(content)
    extra = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept-Language"}
    if lang is not None:
        extra["Content-Language"] = lang
    extra.update(headers or {})
    if (
        status == 200
        and request.method in ("GET", "HEAD")
        and _matches(request.headers.get("if-none-match"), etag)
    ):
        return Response(status_code=304, headers=extra)
    return Response(content, status_code=status, media_type="application/json", headers=extra)


# For the `responses=` of the GET routes that answer with json_response().
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the copy named in If-None-Match is current"}
}


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    return any(tag.strip().removeprefix("W/") in (etag, "*") for tag in header.split(","))


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


class BodyLimit:
    """Refuse bodies over `limit` bytes with 413, whether announced or streamed. Bodies are
    small (a person's answers), so the body is read here whole, then handed on."""

    def __init__(self, app: ASGIApp, *, limit: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
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
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(limit)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _too_large(limit: int) -> ASGIApp:
    return problem_response(
        413,
        "Request body too large",
        "/problems/payload-too-large",
        f"the body may be at most {limit} bytes",
    )


class AccessLog:
    """Method, route template, status and time: never the query string or the raw path, which
    may hold a person's answers or a checklist's private id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            route = getattr(scope.get("route"), "path", None) or "(unmatched)"
            access_log.info(
                "%s %s %s %.1fms",
                scope["method"],
                route,
                status,
                (time.perf_counter() - started) * 1000,
            )
