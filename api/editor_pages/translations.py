"""The translators' worklist under /editor/translations: every text missing in Swedish or
English, and every translation whose Finnish changed after it was written, each with a link to
its field in the draft editor, and "still correct" for a stale one. The rules live in
api.editor.translations; this only reads the filters, calls and renders."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Response
from fastapi.responses import RedirectResponse

from api.editor.translations import service as translations_service
from api.editor_pages.access import local_path
from api.editor_pages.page import EditorFormDep, EditorPage, EditorPageDep
from api.engine.catalogue import SHARED_FILES
from api.engine.model import SLUG_PATTERN
from api.errors import ApiError

router = APIRouter(prefix="/editor", include_in_schema=False)
WORKLIST = "/editor/translations"


def _filter(query: Any, journeys: list[str]) -> translations_service.Filter:
    """The filters in the address; anything unknown is no filter."""

    def one(name: str, allowed: Any) -> str | None:
        value = query.get(name)
        return value if isinstance(value, str) and value in allowed else None

    return translations_service.Filter(
        lang=one("lang", ("sv", "en")),
        journey=one("journey", journeys),
        state=one("state", translations_service.STATES),
    )


def _page(
    page: EditorPage,
    *,
    query: Any,
    notice: str | None = None,
    status: int = 200,
) -> Response:
    journeys = sorted(page.published.catalogue.journeys)
    choices = [*journeys, *(j for j in SHARED_FILES if j not in journeys)]
    only = _filter(query, choices)
    worklist = translations_service.worklist(
        session=page.session, published=page.published, only=only
    )
    shown = {key: value for key, value in vars(only).items() if value is not None}
    return page.render(
        "editor/translations.html",
        status=status,
        worklist=worklist,
        only=only,
        journeys=choices,
        back=WORKLIST + (f"?{urlencode(shown)}" if shown else ""),
        notice=notice or ("confirmed" if query.get("done") == "confirmed" else None),
    )


@router.get("/translations")
def worklist_page(page: EditorPageDep) -> Response:
    """What a translator opens each morning: filterable by language, journey and kind."""
    return _page(page, query=page.request.query_params)


@router.post("/translations/confirm")
def confirm(page: EditorFormDep) -> Response:
    """ "Still correct": the translation fits the Finnish the translator saw; back to the list."""
    form = page.form
    fields = {name: form.get(name) for name in ("journey", "place", "lang", "source")}
    given = {name: value for name, value in fields.items() if isinstance(value, str)}
    back = local_path(form.get("back"))
    back = back if back and back.split("?")[0] == WORKLIST else WORKLIST
    query = dict(parse_qsl(back.partition("?")[2]))
    if len(given) < len(fields) or not _plausible(given):
        return _page(page, query=query, notice="unknown", status=404)
    try:
        translations_service.confirm(
            session=page.session,
            published=page.published,
            editor=page.signed_in.editor,
            journey=given["journey"],
            place=given["place"],
            lang=given["lang"],
            source=given["source"],
        )
    except ApiError as exc:
        notice = "changed" if isinstance(exc, translations_service.FinnishChanged) else "unknown"
        return _page(page, query=query, notice=notice, status=exc.status)
    separator = "&" if "?" in back else "?"
    return RedirectResponse(
        f"{back}{separator}done=confirmed", status_code=303, headers={"Cache-Control": "no-store"}
    )


def _plausible(fields: dict[str, str]) -> bool:
    return (
        re.fullmatch(SLUG_PATTERN, fields["journey"]) is not None
        and len(fields["journey"]) <= 80
        and fields["lang"] in ("sv", "en")
        and 0 < len(fields["place"]) <= 400
        and re.fullmatch("[0-9a-f]{64}", fields["source"]) is not None
    )
