"""Responses every route shares: the language asked for, and JSON with a strong ETag that a
GET answers with 304 when the client has it already."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel

from api.engine.model import LANGS
from api.http.etag import etag_matches, etag_of


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
        and etag_matches(request.headers.get("if-none-match"), etag)
    ):
        return Response(status_code=304, headers=extra)
    return Response(content, status_code=status, media_type="application/json", headers=extra)


# For the `responses=` of the GET routes that answer with json_response().
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the copy named in If-None-Match is current"}
}
