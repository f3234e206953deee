"""Every test app resolves its routes' dependencies once per process, not once per app.

FastAPI (0.165) works out each included route's dependencies (signatures, annotations,
parameters) lazily, on an app's first request, for every app anew: about 0.13 CPU s, and the
suite creates some 1,300 apps, one or more per database test. The routers are the same
module-level objects in every app `create_app` makes, so the result is the same too: this keeps
it per route and include context (prefix, tags, dependencies...) and hands the same one to the
next app. The result names the first app as the place to look up dependency overrides, so an
app with `dependency_overrides` set before its first request resolves its own routes; one set
later would not be seen (no test sets any). A real server (tests/server.py, the browser tests)
resolves its routes itself. Without this FastAPI internal, nothing is patched.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import routing


def install() -> None:
    included = getattr(routing, "_IncludedRouter", None)
    build = getattr(included, "_build_effective_context", None)
    if included is None or build is None or getattr(build, "shared", False):
        return
    # By the route's id, with the route kept in the value so that its id is never reused.
    resolved: dict[tuple[Any, ...], tuple[Any, Any]] = {}

    def shared(self: Any, route: Any) -> Any:
        context = self.include_context
        provider = getattr(context, "dependency_overrides_provider", None)
        if not isinstance(route, routing.APIRoute) or getattr(
            provider, "dependency_overrides", None
        ):
            return build(self, route)
        key = (
            id(route),
            *(
                repr(getattr(context, field.name))
                for field in dataclasses.fields(context)
                if field.name != "dependency_overrides_provider"
            ),
        )
        if key not in resolved:
            resolved[key] = (route, build(self, route))
        return resolved[key][1]

    shared.shared = True  # type: ignore[attr-defined]
    included._build_effective_context = shared
