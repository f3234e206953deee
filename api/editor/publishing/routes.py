"""Publishing under /v1/editor: a draft, or an earlier version again (rollback). Publishers only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request, Response

from api.deps import LoadedCatalogueDep
from api.editor.auth import PUBLISHER_ONLY, PublisherDep
from api.editor.http import BASE, IfMatch, Slug, private_json
from api.editor.publishing import service as publishing_service
from api.editor.schemas import PublishedRead, PublishRequest, RollbackRequest
from api.errors import problems

router = APIRouter()


@router.post(
    "/drafts/{slug}/publish",
    operation_id="publish_draft",
    response_model=PublishedRead,
    responses=BASE | problems(400, 403, 404, 409, 412, 413, 422, 428, content=True),
    openapi_extra=PUBLISHER_ONLY,
)
def publish_draft(
    request: Request,
    editor: PublisherDep,
    catalogue: LoadedCatalogueDep,
    slug: Slug,
    data: Annotated[PublishRequest, Body()],
    if_match: IfMatch = None,
) -> Response:
    """Publish the draft as the journey's next version, if it validates and every scenario
    passes; else 409 naming each problem and failing scenario. Every worker serves it at once."""
    body = publishing_service.publish(
        sessions=request.app.state.sessions,
        catalogue=catalogue,
        editor=editor,
        slug=slug,
        if_match=if_match,
        note=data.change_note,
        replaces=data.replaces_version,
    )
    return private_json(body)


@router.post(
    "/journeys/{slug}/rollback",
    operation_id="rollback_journey",
    response_model=PublishedRead,
    responses=BASE | problems(400, 403, 404, 409, 413, 422, content=True),
    openapi_extra=PUBLISHER_ONLY,
)
def rollback_journey(
    request: Request,
    editor: PublisherDep,
    catalogue: LoadedCatalogueDep,
    slug: Slug,
    data: Annotated[RollbackRequest, Body()],
) -> Response:
    """Publish an earlier version's content again, as a new version with this note."""
    body = publishing_service.rollback(
        sessions=request.app.state.sessions,
        catalogue=catalogue,
        editor=editor,
        slug=slug,
        number=data.version,
        note=data.change_note,
    )
    return private_json(body)
