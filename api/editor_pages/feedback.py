"""What people answered to "Was this useful?" under the plans, under /editor/feedback: the
counts per journey and version and the comments, newest first, a page at a time. The reading
lives in api.editor.feedback (as for the API); this reads the filter, calls and renders."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from api.deps import PublishedDep, SessionDep
from api.editor.feedback import service as feedback_service
from api.editor_pages.access import SignedInDep
from api.editor_pages.render import render

router = APIRouter(prefix="/editor", include_in_schema=False)
FEEDBACK_PAGE = 50


@router.get("/feedback")
def feedback(
    request: Request, signed_in: SignedInDep, session: SessionDep, published: PublishedDep
) -> Response:
    """Every journey's feedback, or one journey's (`journey`); `before`: the last comment shown.
    Anything unknown in the address is no filter."""
    journeys = sorted(published.catalogue.journeys)
    given = request.query_params.get("journey")
    journey = given if given in journeys else None
    before_text = request.query_params.get("before", "")
    before = int(before_text) if before_text.isdigit() and len(before_text) <= 9 else None
    page = feedback_service.feedback_page(
        session=session, journey=journey, version=None, cursor=before, limit=FEEDBACK_PAGE
    )
    keep = {"journey": journey} if journey else {}
    return render(
        request,
        "editor/feedback.html",
        signed_in=signed_in,
        journeys=journeys,
        journey=journey,
        page=page,
        first_page=f"/editor/feedback?{urlencode(keep)}" if before is not None else None,
        next_page=f"/editor/feedback?{urlencode(keep | {'before': page.next_cursor})}"
        if page.next_cursor
        else None,
    )
