"""What people answered to "Was this useful?" under the plans, under /editor/feedback: the
counts per journey and version and the comments, newest first, a page at a time. The reading
lives in api.editor.feedback (as for the API); this reads the filter, calls and renders."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Response

from api.editor.feedback import service as feedback_service
from api.editor_pages.page import EditorPageDep
from api.http.numbers import whole_number

router = APIRouter(prefix="/editor", include_in_schema=False)
FEEDBACK_PAGE = 50


@router.get("/feedback")
def feedback(page: EditorPageDep) -> Response:
    """Every journey's feedback, or one journey's (`journey`); `before`: the last comment shown.
    Anything unknown in the address is no filter."""
    request, session = page.request, page.session
    journeys = sorted(page.published.catalogue.journeys)
    given = request.query_params.get("journey")
    journey = given if given in journeys else None
    before = whole_number(request.query_params.get("before"))
    listed = feedback_service.feedback_page(
        session=session, journey=journey, version=None, cursor=before, limit=FEEDBACK_PAGE
    )
    keep = {"journey": journey} if journey else {}
    return page.render(
        "editor/feedback.html",
        journeys=journeys,
        journey=journey,
        page=listed,
        first_page=f"/editor/feedback?{urlencode(keep)}" if before is not None else None,
        next_page=f"/editor/feedback?{urlencode(keep | {'before': listed.next_cursor})}"
        if listed.next_cursor
        else None,
    )
