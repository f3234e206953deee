"""`GET /v1/journeys/{slug}/plan` without FastAPI's routing and parameter solving.

A plan URL holds a person's answers, so it is never answered from the response cache: every
request is planned afresh, and FastAPI's routing, parameter validation and dependency solving
were about a quarter of its cost (bench/README.md). This ASGI layer answers the ordinary
request itself: a valid slug, at most one well-formed `lang`, `event_date` and `today`, at most
one Accept-Language of the declared length, a published catalogue, answers the engine takes.
It then builds the same response the declared route (`api.journeys.routes.get_plan`) would,
through the same code (`answers_from_query`, the route's `_plan`, `json_response`).
An unknown journey or refused answers get the response the app's handler gives the route's
error. Anything else (a malformed or repeated parameter, a long or repeated Accept-Language,
nothing published yet) goes to the declared route, so FastAPI's validation errors stay its own;
the OpenAPI document is the declared route's.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.catalogue.service import CatalogueService
from api.engine.model import LANGS, SLUG_PATTERN
from api.errors import ApiError, api_error_response
from api.http.responses import json_response, negotiate
from api.journeys import routes
from api.plans.service import answers_from_query
from api.schemas import ISO_DATE_PATTERN

PREFIX = "/v1/journeys/"
SUFFIX = "/plan"
ROUTE_PATH = "/v1/journeys/{slug}/plan"
_SLUG = re.compile(SLUG_PATTERN)
_DATE = re.compile(ISO_DATE_PATTERN)
_ACCEPT_LANGUAGE_MAX = 500  # as declared in api.deps.AcceptLanguage


class PlanFastPath:
    """ASGI middleware: answers the ordinary `GET /v1/journeys/{slug}/plan` itself and passes
    everything else on unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._route: Any = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"].startswith(PREFIX)
            and scope["path"].endswith(SUFFIX)
        ):
            if self._route is None:
                # The first plan request goes through the declared route, which shows which
                # route object the access log, metrics and traces are to name.
                await self.app(scope, receive, send)
                if getattr(scope.get("route"), "path", None) == ROUTE_PATH:
                    self._route = scope["route"]
                return
            response = self._answer(scope)
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _answer(self, scope: Scope) -> Any:
        """The route's response, or None for the declared route to answer."""
        path: str = scope["path"]
        slug = path[len(PREFIX) : -len(SUFFIX)]
        if (
            scope.get("root_path")
            or len(slug) > 80
            or not _SLUG.fullmatch(slug)
            # FastAPI's own telemetry is on: it records the route it selects, so let it.
            or scope.get("fastapi.telemetry") is not None
        ):
            return None
        query = QueryParams(scope["query_string"])
        items = query.multi_items()
        params: dict[str, str] = {}
        for key, value in items:
            if key in ("lang", "event_date", "today"):
                if key in params:
                    return None  # repeated: FastAPI's rule for which one counts is its own
                params[key] = value
        lang = params.get("lang")
        if lang is not None and lang not in LANGS:
            return None
        try:
            event_date = _date(params.get("event_date"))
            today = _date(params.get("today"))
        except ValueError:
            return None
        accept: bytes | None = None
        for name, value in scope["headers"]:
            if name == b"accept-language":
                if accept is not None:
                    return None
                accept = value
        accept_language = None if accept is None else accept.decode("latin-1")
        if accept_language is not None and len(accept_language) > _ACCEPT_LANGUAGE_MAX:
            return None
        catalogue: CatalogueService | None = getattr(scope["app"].state, "catalogue", None)
        if catalogue is None or not catalogue.loaded:
            return None
        published = catalogue.current
        language = negotiate(lang, accept_language)
        scope["route"] = self._route  # so the access log, metrics and trace name the route
        request = Request(scope)
        try:
            answers = answers_from_query(published.planner, slug, items)
            # Through the module: the route's own code, and what a test counting plans sees.
            body = routes._plan(published, slug, answers, event_date, today, language)
        except ApiError as exc:
            # An unknown journey or refused answers: what the app's handler answers the route's
            # error with (api.errors.install).
            return api_error_response(request, exc)
        return json_response(request, body, cache=routes.PERSONAL, lang=language)


def _date(value: str | None) -> dt.date | None:
    """The date, or None when absent; ValueError when FastAPI is to say what is wrong."""
    if value is None:
        return None
    if not _DATE.fullmatch(value):
        raise ValueError(value)
    return dt.date.fromisoformat(value)
