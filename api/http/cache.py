"""A small in-process cache of GET responses in front of the routes.

Every public GET, API or page, is a pure function of the published generation, the date in
Finland and the request (path, query string, Accept-Language). Each worker therefore keeps its
last responses and answers a repeat without routing, validating or planning again, the way a
reverse proxy's micro-cache would. The cache lives in this process's memory only: never
written anywhere or logged, bounded by count and by total bytes, keyed by a digest, and a
publish makes every older entry unreachable (the generation is in the key; old entries age
out). An address longer than `max_address` is never looked up or kept (a flood of long queries
would only push useful entries out).

Only 200 responses that say `Cache-Control: public` are kept: the published reads and the pages
that carry nothing of a person. A plan or a page with answers in its address is never kept, or
a fast repeat would tell anyone that someone asked for those answers today.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics
from api.clock import today_in_finland
from api.http.etag import etag_matches


@dataclass(frozen=True, slots=True)
class _Entry:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str | None
    route: object  # the matched route, so the access log still names it

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


class GetCache:
    """ASGI middleware: answers repeated GETs under `prefixes` from memory (200, or 304 when the
    client's If-None-Match names the same ETag)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        prefixes: tuple[str, ...] = ("/v1/",),
        size: int = 2048,
        max_bytes: int = 32 * 1024 * 1024,
        max_address: int = 512,
    ) -> None:
        self.app = app
        self.prefixes = prefixes
        self.size = size
        self.max_bytes = max_bytes
        self.max_address = max_address
        self._entries: OrderedDict[bytes, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(self.prefixes)
            or _address_length(scope) > self.max_address
        ):
            await self.app(scope, receive, send)
            return
        catalogue = getattr(scope["app"].state, "catalogue", None)
        if catalogue is None or not catalogue.loaded:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = hashlib.sha256(
            b"\0".join(
                (
                    str(catalogue.current.generation).encode(),
                    today_in_finland().isoformat().encode(),
                    scope["path"].encode(),
                    scope["query_string"],
                    headers.get(b"accept-language", b""),
                )
            )
        ).digest()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is not None:
            metrics.CACHE.labels("hit").inc()
            scope["route"] = entry.route
            await _replay(entry, headers.get(b"if-none-match"), send)
            return
        metrics.CACHE.labels("miss").inc()
        await self.app(scope, receive, self._recording(scope, key, send))

    def _recording(self, scope: Scope, key: bytes, send: Send) -> Send:
        start: Message = {}
        chunks: list[bytes] = []

        async def record(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                # A copy: the middleware outside (CORS) changes the message it is sent, and
                # its headers (Vary: Origin, the allowed origin) belong to this request only;
                # kept, they were replayed to others and added to again (Vary: Origin, Origin).
                start = {**message, "headers": list(message.get("headers", []))}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(scope, key, start, b"".join(chunks))
            await send(message)

        return record

    def _keep(self, scope: Scope, key: bytes, start: Message, body: bytes) -> None:
        headers = list(start.get("headers", []))
        found = dict(headers)
        etag = found.get(b"etag")  # pages have none: they are replayed, never answered 304
        if start.get("status") != 200 or not _public(found.get(b"cache-control", b"")):
            return
        entry = _Entry(
            headers, body, None if etag is None else etag.decode("latin-1"), scope.get("route")
        )
        if entry.size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes += entry.size - (old.size if old else 0)
            self._entries[key] = entry
            while len(self._entries) > self.size or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """The bytes of body and headers kept."""
        return self._bytes


def _address_length(scope: Scope) -> int:
    path: bytes = scope.get("raw_path") or scope["path"].encode()
    return len(path) + len(scope["query_string"])


def _public(cache_control: bytes) -> bool:
    """Whether a response says any cache may keep it (`public`, and neither `private` nor
    `no-store`)."""
    directives = {part.split(b"=")[0].strip().lower() for part in cache_control.split(b",")}
    return b"public" in directives and not directives & {b"private", b"no-store"}


async def _replay(entry: _Entry, if_none_match: bytes | None, send: Send) -> None:
    if (
        if_none_match is not None
        and entry.etag is not None
        and etag_matches(if_none_match.decode("latin-1"), entry.etag)
    ):
        headers = [
            (k, v) for k, v in entry.headers if k not in (b"content-length", b"content-type")
        ]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})
