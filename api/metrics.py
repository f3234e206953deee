"""Prometheus metrics (prometheus-client) and `GET /metrics`, for operators only.

Labels are route templates, methods, statuses, journey slugs and the like: never a path, a
query, an id or anything a person typed.

Several workers: each worker keeps its numbers in files in one directory
(`PROMETHEUS_MULTIPROC_DIR`, prometheus-client's multiprocess mode) and /metrics adds up all of
them, whichever worker answers. `multiprocess_directory()` makes a fresh directory for each
`polku serve` (and for the tests' servers) before the workers start, and removes it at the end.
"""

from __future__ import annotations

import glob
import hmac
import ipaddress
import os
import tempfile
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager, suppress

from fastapi import APIRouter, Request, Response
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from starlette.exceptions import HTTPException

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Histogram(
    "polku_http_request_duration_seconds",
    "Requests by route template, method and status, and how long each took (its _count is "
    "the number of requests)",
    ["route", "method", "status"],
)
PLANS = Counter(
    "polku_plans",
    "Plans made, by journey and where (api: /v1/journeys/{slug}/plan; page: the plan page)",
    ["journey", "channel"],
)
CACHE = Counter(
    "polku_response_cache_lookups",
    "Lookups in the response cache of public GETs: hit or miss",
    ["result"],
)
PUBLISHES = Counter(
    "polku_publishes",
    "Journey versions published by this process: publish and rollback by the editors' API, "
    "import by the first start of `polku serve` (`polku journeys import` runs elsewhere: "
    "polku_catalogue_generation shows its effect)",
    ["kind"],
)
EDITOR_SIGN_INS = Counter(
    "polku_editor_sign_ins",
    "Sign-ins on the editors' pages: ok, failed (unknown, revoked or expired token) or refused "
    "(the client is over POLKU_LIMIT_FAILED_SIGN_IN)",
    ["result"],
)
DATABASE_ERRORS = Counter(
    "polku_database_errors",
    "The database did not answer: in a request (a 503) or while checking for new publishes",
    ["where"],
)
# Per worker: a worker behind the others shows here. "liveall": a worker that stopped is left
# out (its file is removed when it stops, or by the next worker to start if it was killed).
GENERATION = Gauge(
    "polku_catalogue_generation",
    "The published generation each worker serves",
    ["pid"],
    multiprocess_mode="liveall",
)


def catalogue_loaded(generation: int) -> None:
    GENERATION.labels(pid=str(os.getpid())).set(generation)


# --- several workers ---------------------------------------------------------------------------


@contextmanager
def multiprocess_directory(workers: int, environ: MutableMapping[str, str]) -> Iterator[None]:
    """With several workers, a fresh directory for their metrics in `environ` (the environment
    the workers start with) while this lasts. One worker keeps them in its own memory."""
    if workers <= 1:
        yield
        return
    before = environ.get(MULTIPROCESS_DIRECTORY)
    with tempfile.TemporaryDirectory(prefix="polku-metrics-") as directory:
        environ[MULTIPROCESS_DIRECTORY] = directory
        try:
            yield
        finally:
            if before is None:
                environ.pop(MULTIPROCESS_DIRECTORY, None)
            else:
                environ[MULTIPROCESS_DIRECTORY] = before


def _directory() -> str | None:
    return os.environ.get(MULTIPROCESS_DIRECTORY) or None


def worker_started() -> None:
    """Forget the generation of workers that were killed (a stopped worker forgets its own)."""
    directory = _directory()
    if directory is None:
        return
    for path in glob.glob(os.path.join(directory, "gauge_live*_*.db")):
        pid = int(path.rsplit("_", 1)[1].removesuffix(".db"))
        if not _alive(pid):
            mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]


def worker_stopped() -> None:
    directory = _directory()
    if directory is not None:
        mark_process_dead(os.getpid(), directory)  # type: ignore[no-untyped-call]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- GET /metrics ------------------------------------------------------------------------------

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """The Prometheus text format, to a client on this machine, to anyone when
    POLKU_METRICS_PUBLIC, or with `Authorization: Bearer <POLKU_METRICS_TOKEN>`; everyone else
    gets the 404 problem document of an unknown API address."""
    if not allowed(request):
        raise HTTPException(404)  # exactly what /v1/no-such-thing gets
    registry = REGISTRY
    directory = _directory()
    if directory is not None:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, directory)  # type: ignore[no-untyped-call]
    # The format the scraper asks for (Prometheus text, or OpenMetrics).
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(
        encode(registry), headers={"Content-Type": content_type, "Cache-Control": "no-store"}
    )


def allowed(request: Request) -> bool:
    settings = request.app.state.settings
    if settings.metrics_public:
        return True
    token = settings.metrics_token
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if (
        token is not None
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode())
    ):
        return True
    # The peer itself must be on this machine. A request that a proxy forwarded (a reverse
    # proxy on this machine connects from loopback too) comes from elsewhere: refused.
    if "x-forwarded-for" in request.headers or "forwarded" in request.headers:
        return False
    return _loopback(request.client.host if request.client else None)


def _loopback(host: str | None) -> bool:
    with suppress(ValueError):
        return host is not None and ipaddress.ip_address(host).is_loopback
    return False
