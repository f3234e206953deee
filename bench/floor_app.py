"""The Polku app plus one benchmark-only route: the framework's floor.

`GET /bench/floor/{target}` answers with exactly the status, headers and body that the app's own
`GET /{target}` (same query string, same request headers) answered the first time this worker
was asked for it with a 200. That first request runs the real route once, in process, inside the
app's middleware (which then wraps the floor's answer as it wraps the real one); every later one
only looks the bytes up and sends them. So the floor costs what
any route of this app costs (uvicorn, HTTP parsing, the middleware, routing, building a
`Response`) and nothing else: no query or header validation, no dependencies, no planning, no
serialisation, no ETag.

For `uvicorn --factory --app-dir bench floor_app:app_factory` (see bench/api_bench.py). The
production app (`api.main:app_factory`) never has this route.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.types import ASGIApp, Message, Scope

from api.main import create_app

FLOOR_PREFIX = "/bench/floor"

# Keys of an ASGI HTTP scope as the server makes it, before any middleware or routing adds its
# own, and the app (which the app sets first).
SCOPE_KEYS = (
    "app",
    "type",
    "asgi",
    "http_version",
    "method",
    "scheme",
    "server",
    "client",
    "root_path",
    "headers",
    "state",
    "extensions",
)

Cached = tuple[int, dict[str, str], bytes]


async def call_app(app: ASGIApp, outer: Scope, path: str, query_string: bytes) -> Cached:
    """GET `path` from `app` in process, with the server's scope of the request `outer`."""
    scope: Scope = {key: outer[key] for key in SCOPE_KEYS if key in outer}
    scope.update(path=path, raw_path=path.encode(), query_string=query_string, method="GET")
    status = 0
    headers: dict[str, str] = {}
    chunks: list[bytes] = []
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if requested:
            return {"type": "http.disconnect"}
        requested = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            for name, value in message.get("headers", []):
                if name.lower() != b"content-length":  # Response sets it again
                    headers[name.decode("latin-1")] = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, headers, b"".join(chunks)


def inside_middleware(app: FastAPI) -> ASGIApp:
    """The app's stack below its user middleware (CORS, security headers, access log...): the
    exception handlers and the routes, so that their answer is not wrapped twice."""
    layer: Any = app.middleware_stack
    for _ in range(50):
        if isinstance(layer, ExceptionMiddleware):
            return layer
        layer = getattr(layer, "app", None)
    raise RuntimeError("cannot find the app's ExceptionMiddleware")


def app_factory() -> FastAPI:
    """`create_app()` with the floor route added."""
    app = create_app()
    cache: dict[tuple[str, bytes], Cached] = {}

    async def floor(request: Request, target: str) -> Response:
        """The bytes the app answered for `/{target}?{query}`, precomputed."""
        key = (target, request.scope["query_string"])
        cached = cache.get(key)
        if cached is None:
            inner = inside_middleware(request.app)
            cached = await call_app(inner, request.scope, "/" + target, key[1])
            if cached[0] == 200:  # never keep an error, e.g. before the catalogue is loaded
                cache[key] = cached
        status, headers, body = cached
        return Response(body, status_code=status, headers=headers)

    app.add_api_route(
        FLOOR_PREFIX + "/{target:path}", floor, methods=["GET"], include_in_schema=False
    )
    return app
