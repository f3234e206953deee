"""The editors' API under /v1/editor: every operation takes a Bearer editor token.

Responses are never cached (`no-store`): they are private to editors and change with every
write. Writes to a draft need `If-Match` with its ETag; a draft or a version reads as YAML in
the journey file format with `Accept: application/yaml`. Each room (drafts, preview,
publishing, history, translations, feedback) has its own routes; this router puts them under
one prefix, in this order (the order of the OpenAPI document).
"""

from __future__ import annotations

from fastapi import APIRouter

from api.editor.drafts import routes as drafts_routes
from api.editor.feedback import routes as feedback_routes
from api.editor.history import routes as history_routes
from api.editor.preview import routes as preview_routes
from api.editor.publishing import routes as publishing_routes
from api.editor.translations import routes as translations_routes

router = APIRouter(prefix="/v1/editor", tags=["editor"])
ROOMS = (
    drafts_routes,
    preview_routes,
    publishing_routes,
    history_routes,
    translations_routes,
    feedback_routes,
)
for room in ROOMS:
    router.include_router(room.router)
