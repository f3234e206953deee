"""What every editor room's routes share: path and header parameters, the problems each
operation declares, and private responses (JSON, or YAML in the journey file format)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Path, Request, Response
from pydantic import BaseModel

from api.engine.model import SLUG_PATTERN
from api.engine.yamlfile import dump_yaml
from api.errors import problems

YAML = "application/yaml"
# Editors' responses are private to them and change with every write: never cached.
PRIVATE = "no-store"

Slug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, examples=["moving"])]
IfMatch = Annotated[
    str | None,
    Header(
        # An ETag is never empty; an empty header is malformed (422), not a missing one (428).
        min_length=1,
        max_length=200,
        description="The draft's ETag, as last read (required)",
        examples=['"5d41402abc4b2a76b9719d911017c592"'],
    ),
]

# Declared on every operation.
BASE = problems(401, 422, 429, 503)

EXAMPLE_JOURNEY: dict[str, Any] = {
    "slug": "moving",
    "kind": "life",
    "title": {"fi": "Muutto", "sv": "Flytt", "en": "Moving home"},
    "summary": {"fi": "Muuton asiat.", "sv": "Flyttärenden.", "en": "Things to do when moving."},
    "owner": "dvv",
    "last_reviewed": "2026-11-28",
    "sources": [
        {
            "id": "dvv_moving",
            "title": {"fi": "Muutto", "sv": "Flytt", "en": "Moving"},
            "url": "https://dvv.fi/en/notification-of-move",
        }
    ],
    "event_date": {
        "label": {"fi": "Muuttopäivä", "sv": "Flyttdag", "en": "Moving day"},
        "after": {"fi": "muuttopäivän jälkeen", "sv": "efter flyttdagen", "en": "after moving"},
        "before": {"fi": "ennen muuttopäivää", "sv": "före flyttdagen", "en": "before moving"},
    },
    "steps": [
        {
            "id": "notify-dvv",
            "kind": "task",
            "title": {"fi": "Tee muuttoilmoitus", "sv": "Gör flyttanmälan", "en": "Notify DVV"},
            "body": {"fi": "Ilmoita muutosta.", "sv": "Anmäl flytten.", "en": "Report the move."},
            "timing": "around",
        }
    ],
}
YAML_TOO: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "As JSON, or with `Accept: application/yaml` in the journey file format",
        "content": {YAML: {"schema": {"type": "string"}, "example": dump_yaml(EXAMPLE_JOURNEY)}},
    }
}


def _private(etag: str | None) -> dict[str, str]:
    headers = {"Cache-Control": PRIVATE}
    if etag is not None:
        headers["ETag"] = etag
    return headers


def private_json(body: BaseModel, *, status: int = 200, etag: str | None = None) -> Response:
    return Response(
        body.model_dump_json().encode(),
        status_code=status,
        media_type="application/json",
        headers=_private(etag),
    )


def private_yaml(content: Any, *, etag: str | None = None) -> Response:
    """A journey document in the journey file format."""
    return Response(dump_yaml(content), media_type=YAML, headers=_private(etag))


def wants_yaml(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return YAML in accept or "text/yaml" in accept
