"""The plan page (`GET /{lang}/{slug}/plan`, and under /embed) without FastAPI's routing.

A plan page holds a person's answers, so it is never answered from the response cache, and
FastAPI 0.165 matches the app's included routers one by one: finding this route, declared
last, was about a fifth of the page's cost (bench/README.md). This ASGI layer calls the route's
own function (`api.pages.routes.plan_page`, which takes only the request, the language and the
slug) for an ordinary request: a language we speak and a published journey. Anything else (an
unknown journey or language, nothing published yet, FastAPI's telemetry on) goes through the
router as before, and so does anything the route raises for its error handlers to answer.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.engine.model import LANGS
from api.errors import ApiError
from api.pages import routes

EMBED = "/embed"
SUFFIX = "/plan"
TEMPLATE = "/{lang}/{slug}/plan"


class PlanPageFastPath:
    """ASGI middleware: answers the ordinary plan page itself and passes everything else on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # The route objects, learnt from the first request each goes through the router, so
        # the access log, metrics and traces name them as before.
        self._routes: dict[str, Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not path.endswith(SUFFIX):
            await self.app(scope, receive, send)
            return
        prefix = EMBED if path.startswith(EMBED + "/") else ""
        parts = path[len(prefix) + 1 : -len(SUFFIX)].split("/")
        template = prefix + TEMPLATE
        route = self._routes.get(template)
        if (
            len(parts) != 2
            or parts[0] not in LANGS
            or not parts[1]
            or route is None
            or scope.get("root_path")
            or scope.get("fastapi.telemetry") is not None
        ):
            await self.app(scope, receive, send)
            # What the router found is what the route's access-log line names.
            found = getattr(scope.get("route"), "path", None)
            if route is None and found in (template, TEMPLATE) and len(parts) == 2:
                self._routes[template] = scope["route"]
            return
        lang, slug = parts
        catalogue = getattr(scope["app"].state, "catalogue", None)
        if (
            catalogue is None
            or not catalogue.loaded
            or slug not in catalogue.current.catalogue.journeys
        ):
            await self.app(scope, receive, send)
            return
        scope["route"] = route
        scope["path_params"] = {"lang": lang, "slug": slug}
        try:
            response = await routes.plan_page(Request(scope), lang, slug)
        except (ApiError, HTTPException, routes.PageNotFound):
            # Left to the router, whose handlers answer them (the page is planned again: rare).
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)
