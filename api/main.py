"""The Polku application: routers, error handlers, middleware and the catalogue's lifetime."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from threading import Lock
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from sqlalchemy import text

from api import errors, metrics, tracing
from api.catalogue.service import CatalogueError, CatalogueService, NotLoaded, stopped
from api.checklists import service as checklists_service
from api.checklists.routes import router as checklists_router
from api.config import Settings, get_settings
from api.db import make_engine, make_sessions, transaction
from api.deps import CatalogueDep
from api.editor.routes import router as editor_router
from api.editor_pages import routes as editor_pages
from api.errors import NotReady, problems
from api.http.cache import GetCache
from api.http.middleware import AccessLog, BodyLimit, HeadAsGet, SecurityHeaders, TrustedHosts
from api.http.responses import NOT_MODIFIED, json_response
from api.journeys.fast import PlanFastPath
from api.journeys.routes import router as journeys_router
from api.limits import RateLimits
from api.pages.errors import form_refused, page_not_found, problems_router
from api.pages.fast import PlanPageFastPath
from api.pages.feedback_routes import router as feedback_router
from api.pages.forms import FormRefused
from api.pages.routes import PageNotFound, site_router
from api.pages.routes import router as pages_router
from api.pages.saved import router as saved_router
from api.schemas import HealthRead, ReadyRead

log = logging.getLogger("polku")
# Captured from a real server on the bundled journeys and trimmed; see api/examples/README.md.
EXAMPLES = Path(__file__).with_name("examples")
DESCRIPTION = """Polku turns a life event and a person's answers into an ordered, dated and
explained checklist. Errors are RFC 9457 problem details (application/problem+json).
Texts come in Finnish, Swedish or English (`lang`, else Accept-Language; Finnish by default);
`fallback: true` says some text was missing and is shown in Finnish."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        metrics.worker_started()
        engine = make_engine(settings.database_url)
        app.state.sessions = make_sessions(engine)
        app.state.catalogue = CatalogueService(app.state.sessions)
        try:
            await asyncio.to_thread(app.state.catalogue.load)
        except (NotLoaded, CatalogueError) as exc:
            log.warning("no catalogue loaded yet: %s", exc)
        except Exception as exc:  # e.g. an unmigrated database: /readyz reports it
            log.warning("no catalogue loaded yet: %s", type(exc).__name__)
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(app.state.catalogue.watch(settings.reload_seconds, stop)),
            asyncio.create_task(_purge_checklists(app, settings, stop)),
        ]
        try:
            yield
        finally:
            # Let a check or purge in flight (in a thread) finish before closing the database.
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            engine.dispose()
            metrics.worker_stopped()

    app = FastAPI(
        title="Polku",
        version="1",
        summary="Life-event journeys for Finland",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        telemetry=tracing.FASTAPI_TELEMETRY,  # spans without paths: see api/tracing.py
    )
    app.state.settings = settings
    app.state.limits = RateLimits(settings)
    errors.install(app)
    app.include_router(journeys_router)
    app.include_router(checklists_router)
    app.include_router(editor_router)
    editor_pages.install(app)
    app.include_router(metrics.router)
    app.include_router(saved_router)
    app.include_router(saved_router, prefix="/embed")
    app.include_router(feedback_router)
    app.include_router(feedback_router, prefix="/embed")
    app.include_router(site_router)
    app.include_router(problems_router)
    app.include_router(pages_router)
    app.include_router(pages_router, prefix="/embed")
    app.add_exception_handler(PageNotFound, page_not_found)
    app.add_exception_handler(FormRefused, form_refused)
    app.add_api_route(
        "/healthz",
        healthz,
        methods=["GET"],
        operation_id="healthz",
        tags=["health"],
        response_model=HealthRead,
    )
    app.add_api_route(
        "/readyz",
        readyz,
        methods=["GET"],
        operation_id="readyz",
        tags=["health"],
        response_model=ReadyRead,
        responses=NOT_MODIFIED | problems(503),
    )
    # Innermost: the ordinary GET of a plan answered without FastAPI's routing and parameter
    # solving (api/journeys/fast.py), inside every other layer so all else stays the same.
    app.add_middleware(PlanFastPath)
    app.add_middleware(PlanPageFastPath)  # the same for the plan page (api/pages/fast.py)
    # Next: cached responses still pass CORS, the security headers and the access log.
    # Pages too: a page is a function of the same things (a saved checklist's is no-store).
    app.add_middleware(
        GetCache,
        prefixes=("/v1/", "/fi/", "/sv/", "/en/", "/embed/"),
        max_bytes=settings.cache_max_bytes,
        max_address=settings.cache_max_address,
    )
    # Outside the cache, so a HEAD is answered from it as a GET would be.
    app.add_middleware(HeadAsGet)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
        # Authorization and If-Match: the editors' API, for an editing tool in a browser.
        allow_headers=[
            "Content-Type",
            "Accept-Language",
            "If-None-Match",
            "Authorization",
            "If-Match",
        ],
        expose_headers=["ETag", "Location", "Content-Language", "Retry-After"],
        max_age=600,
    )
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        larger={"/v1/editor/": settings.editor_max_body_bytes},
        timeout=settings.body_timeout_seconds,
    )
    # Outside the body limit: a request for another host is refused before its body is read.
    app.add_middleware(TrustedHosts, hosts=settings.allowed_hosts)
    # Just inside the security headers: an unhandled fault is a 500 that has them, and the
    # connection stays open (Starlette's own handler sits outside every middleware).
    app.add_middleware(errors.ServerErrors)
    app.add_middleware(SecurityHeaders, hsts=settings.environment == "production")
    app.add_middleware(AccessLog)
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]
    return app


async def healthz() -> HealthRead:
    """The process is up."""
    return HealthRead(status="ok")


async def readyz(request: Request, catalogue: CatalogueDep) -> Response:
    """Ready to serve: the database answers and the published journeys are loaded."""

    def database_answers() -> bool:
        try:
            with request.app.state.sessions() as session:
                session.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    if not await asyncio.to_thread(database_answers):
        raise NotReady("the database does not answer")
    if not catalogue.loaded:
        raise NotReady("no published journeys are loaded: run `polku journeys import`")
    current = catalogue.current
    body = ReadyRead(status="ready", generation=current.generation, journeys=len(current.versions))
    return json_response(request, body, cache="no-store")


async def _purge_checklists(app: FastAPI, settings: Settings, stop: asyncio.Event) -> None:
    """Delete unused checklists at start and then hourly, until `stop`."""
    while True:
        try:
            # In a thread: a large DELETE must not stall this worker's event loop.
            removed = await asyncio.to_thread(_purge, app, settings)
            if removed:
                log.info("deleted %d unused checklists", removed)
        except Exception:
            log.warning("could not delete unused checklists", exc_info=True)
        if await stopped(stop, 3600):
            return


def _purge(app: FastAPI, settings: Settings) -> int:
    with transaction(app.state.sessions) as session:
        return checklists_service.purge(
            session=session, ttl=dt.timedelta(days=settings.checklist_ttl_days)
        )


def openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the problem-details schemas the routes refer to: each app its
    own copy of the one this process built. Every app `create_app` makes has the same routes,
    and the document depends on no setting; building it takes some 0.4 s of CPU (an app's
    first 405 reads it for the Allow header), a copy 10 ms."""
    if not app.openapi_schema:
        with _document_lock:
            if not _document:
                _document.append(_build_openapi(app))
        app.openapi_schema = copy.deepcopy(_document[0])
    return app.openapi_schema


_document: list[dict[str, Any]] = []  # the process's OpenAPI document, once built
_document_lock = Lock()


def _build_openapi(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        # Relative: the same service whatever address it is reached at.
        servers=[{"url": "/", "description": "This Polku service"}],
    )
    _require_if_match(schema)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in errors.PROBLEM_MODELS:
        for name, definition in (
            model.model_json_schema(ref_template="#/components/schemas/{model}")
            .get("$defs", {})
            .items()
        ):
            components.setdefault(name, definition)
        definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
        definition.pop("$defs", None)
        components[model.__name__] = definition
    # One real response per response model (trimmed), so every operation shows what it answers.
    for path in sorted(EXAMPLES.glob("*.json")):
        components[path.stem].setdefault("examples", [json.loads(path.read_text("utf-8"))])
    return schema


def _require_if_match(schema: dict[str, Any]) -> None:
    """Declare If-Match required wherever it is taken. The routes keep it optional in Python so
    that a request without it gets the 428 problem (precondition required, RFC 6585) with a
    hint, not a 422 validation error; the contract still says the truth: send it."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "header" and parameter["name"].lower() == "if-match":
                    parameter["required"] = True
                    # Drop the `null` branch of the optional's schema: a header is never null.
                    options = parameter["schema"].pop("anyOf", None)
                    if options:
                        parameter["schema"].update(
                            next(o for o in options if o.get("type") != "null")
                        )


def app_factory() -> FastAPI:
    """For `uvicorn --factory api.main:app_factory`."""
    return create_app()
