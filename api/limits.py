"""Per-client rate limits (the `limits` library, moving windows) and the client address they
count against.

Each limit is a setting in the library's notation (POLKU_LIMIT_CHECKLIST_CREATE="20/minute;
200/hour") and a dependency that routes name in their signature (`ChecklistWriteLimit`); a
client over it gets 429 with Retry-After before the route opens the database. The counters live
in POLKU_RATE_LIMIT_STORAGE: memory:// keeps them in each worker (so with N workers a client
gets up to N times each limit, and a restart forgets them); redis://HOST:PORT shares them
between workers and restarts (it needs the `redis` package: among the test extras and in
requirements.lock, not a dependency of Polku itself).

The client is the peer's address, unless the peer is one of POLKU_TRUSTED_PROXIES: then it is
the right-most X-Forwarded-For address that is not itself a trusted proxy. Everything left of
that was written by the client and is never believed.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Literal, get_args

from fastapi import Depends, Request
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.types import Scope

from api.config import Settings
from api.errors import TooManyRequests

log = logging.getLogger("polku.limits")

Limit = Literal["checklist_create", "checklist_write", "feedback", "failed_sign_in"]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class RateLimits:
    """The limits of one app (app.state.limits), built from its settings."""

    def __init__(self, settings: Settings) -> None:
        # wrap_exceptions: a storage that does not answer raises StorageError, caught below.
        storage = storage_from_string(settings.rate_limit_storage, wrap_exceptions=True)
        self.limiter = MovingWindowRateLimiter(storage)
        self.rules: dict[str, list[RateLimitItem]] = {
            name: parse_many(getattr(settings, f"limit_{name}")) for name in get_args(Limit)
        }
        self.trusted = [ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies]

    def client(self, scope: Scope) -> str:
        return client_address(scope, self.trusted)

    def hit(self, name: Limit, client: str) -> None:
        """Count one request of `client`; TooManyRequests, counting nothing, when it is over."""
        with _failing_open(name):
            self._check(name, client)
            for item in self.rules[name]:
                if not self.limiter.hit(item, name, client):
                    raise self._refusal(name, client)

    def check(self, name: Limit, client: str) -> None:
        """TooManyRequests when `client` has used up the limit; counts nothing."""
        with _failing_open(name):
            self._check(name, client)

    def _check(self, name: Limit, client: str) -> None:
        if not all(self.limiter.test(item, name, client) for item in self.rules[name]):
            raise self._refusal(name, client)

    def count(self, name: Limit, client: str) -> None:
        """Count one event of `client` (a failed sign-in) without refusing anything."""
        with _failing_open(name):
            for item in self.rules[name]:
                self.limiter.hit(item, name, client)

    def _refusal(self, name: Limit, client: str) -> TooManyRequests:
        """The refusal, with the seconds until the fullest window has room again."""
        now = time.time()
        waits = [
            stats.reset_time - now
            for item in self.rules[name]
            if (stats := self.limiter.get_window_stats(item, name, client)).remaining <= 0
        ]
        return TooManyRequests(retry_after=max(1, math.ceil(max(waits, default=1))))


@contextmanager
def _failing_open(name: Limit) -> Iterator[None]:
    """A counter storage that does not answer (Redis away) lets requests through: limits
    protect the service, and refusing everyone would be the outage they guard against."""
    try:
        yield
    except StorageError:
        log.warning("rate limit storage unavailable; %s not limited", name)


def client_address(scope: Scope, trusted: Sequence[Network]) -> str:
    """Who sent the request, as the key their requests are counted under."""
    client = scope.get("client")
    peer = str(client[0]) if client else ""
    if not _within(peer, trusted):
        return _key(peer)
    forwarded = [
        address.strip()
        for name, value in scope.get("headers", [])
        if name == b"x-forwarded-for"
        for address in value.decode("latin-1").split(",")
    ]
    # Each trusted proxy appends the address it got the request from: walk back from the
    # right past our own proxies; the first other address is the client.
    for address in reversed(forwarded):
        if not _within(address, trusted):
            # Not an address: a proxy we trust wrote nonsense; count the proxy itself.
            return _key(address if _address(address) else peer)
    return _key(forwarded[0] if forwarded else peer)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _within(text: str, networks: Sequence[Network]) -> bool:
    address = _address(text)
    return address is not None and any(address in network for network in networks)


def _key(text: str) -> str:
    address = _address(text)
    if address is None:
        return text[:100]  # not an address (a test client): counted under its name
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        # One subscriber usually holds a whole /64: count it as one client, or a new address
        # per request would escape every limit.
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def _limited(name: Limit) -> Callable[[Request], None]:
    # A plain `def`: with redis:// the count is a network round trip, kept off the event loop.
    def limited(request: Request) -> None:
        limits: RateLimits = request.app.state.limits
        limits.hit(name, limits.client(request.scope))

    return limited


class SignInAttempts:
    """Failed editor sign-ins of this client: once over POLKU_LIMIT_FAILED_SIGN_IN, each editor
    request is refused (429) before its token is looked at, so tokens cannot be guessed fast.
    A success counts nothing."""

    def __init__(self, request: Request) -> None:
        self.limits: RateLimits = request.app.state.limits
        self.client = self.limits.client(request.scope)
        self.limits.check("failed_sign_in", self.client)

    def failed(self) -> None:
        self.limits.count("failed_sign_in", self.client)


# Name one in a route's signature (first, so a refusal comes before any work) and declare
# `problems(429)` in its responses.
ChecklistCreateLimit = Annotated[None, Depends(_limited("checklist_create"))]
ChecklistWriteLimit = Annotated[None, Depends(_limited("checklist_write"))]
FeedbackLimit = Annotated[None, Depends(_limited("feedback"))]
SignInAttemptsDep = Annotated[SignInAttempts, Depends()]
