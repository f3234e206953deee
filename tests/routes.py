"""Every route of an app, with included routers flattened (FastAPI keeps them as lazy
`_IncludedRouter` entries in `app.routes`), so tests can check that each one is covered."""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute


def route_table(routes: list[BaseRoute], prefix: str = "") -> list[tuple[str, frozenset[str]]]:
    """(path template, methods) of every route under `routes`."""
    table: list[tuple[str, frozenset[str]]] = []
    for route in routes:
        included: Any = getattr(route, "original_router", None)
        if included is not None:
            context: Any = getattr(route, "include_context", None)
            table += route_table(included.routes, prefix + (context.prefix if context else ""))
            continue
        methods = getattr(route, "methods", None)
        path = getattr(route, "path", None)
        if methods and path is not None:
            table.append((prefix + path, frozenset(methods)))
    return table
