"""Feedback under /v1/editor: what people answered to "Was this useful?" under a plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import SessionDep
from api.editor.auth import EDITOR_ONLY, EditorDep
from api.editor.feedback import service as feedback_service
from api.editor.http import BASE, private_json
from api.editor.schemas import FeedbackPage
from api.engine.model import SLUG_PATTERN
from api.errors import problems

router = APIRouter()


@router.get(
    "/feedback",
    operation_id="read_feedback",
    response_model=FeedbackPage,
    responses=BASE | problems(404, 422),
    openapi_extra=EDITOR_ONLY,
)
def read_feedback(
    editor: EditorDep,
    session: SessionDep,
    journey: Annotated[
        str | None,
        Query(
            pattern=SLUG_PATTERN,
            max_length=80,
            description="Only this journey's feedback (else every journey's)",
            examples=["moving"],
        ),
    ] = None,
    version: Annotated[
        int | None,
        Query(
            ge=1,
            le=1_000_000,
            description=(
                "Only feedback on this version of the journey (without `journey`: this "
                "version number of every journey)"
            ),
            examples=[1],
        ),
    ] = None,
    cursor: Annotated[
        int | None,
        Query(ge=1, le=2**31 - 1, description="next_cursor of the page before", examples=[120]),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, examples=[50])] = 50,
) -> Response:
    """Counts of yes and no per journey and version, and the comments, newest first, a page at
    a time. Nothing in them names a person: no answers, no address, only the day."""
    return private_json(
        feedback_service.feedback_page(
            session=session, journey=journey, version=version, cursor=cursor, limit=limit
        )
    )
