"""Preview under /v1/editor/drafts/{slug}/preview: what the draft would do once published."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from api.deps import LangDep, PublishedDep, SessionDep
from api.editor.auth import EDITOR_ONLY, EditorDep
from api.editor.http import BASE, Slug, private_json
from api.editor.preview import service as preview_service
from api.editor.schemas import DraftDiffRead, ScenariosRead
from api.errors import problems
from api.plans.schemas import PlanRead, PlanRequest

router = APIRouter()


@router.post(
    "/drafts/{slug}/preview/plan",
    operation_id="preview_plan",
    response_model=PlanRead,
    responses=BASE | problems(400, 404, 409, 413, 422, answers=True, content=True),
    openapi_extra=EDITOR_ONLY,
)
def preview_plan(
    editor: EditorDep,
    session: SessionDep,
    published: PublishedDep,
    lang: LangDep,
    slug: Slug,
    data: Annotated[PlanRequest, Body()],
) -> Response:
    """The plan this person would get from the draft once published."""
    body = preview_service.plan(
        session=session, published=published, slug=slug, data=data, lang=lang
    )
    return private_json(body)


@router.get(
    "/drafts/{slug}/preview/scenarios",
    operation_id="preview_scenarios",
    response_model=ScenariosRead,
    responses=BASE | problems(404, 422, content=True),
    openapi_extra=EDITOR_ONLY,
)
def preview_scenarios(
    editor: EditorDep, session: SessionDep, published: PublishedDep, slug: Slug
) -> Response:
    """The draft's scenarios run against it: which pass, and how each failing one differs."""
    return private_json(preview_service.scenarios(session=session, published=published, slug=slug))


@router.get(
    "/drafts/{slug}/preview/diff",
    operation_id="preview_diff",
    response_model=DraftDiffRead,
    responses=BASE | problems(404, 422, content=True),
    openapi_extra=EDITOR_ONLY,
)
def preview_diff(
    editor: EditorDep, session: SessionDep, published: PublishedDep, slug: Slug
) -> Response:
    """The draft against the published version, and which scenarios' plans it changes."""
    return private_json(preview_service.diff(session=session, published=published, slug=slug))
