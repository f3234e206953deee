"""Translations under /v1/editor/translations: the report of what is published, and the
translators' worklist (missing and stale translations) with its "still correct" confirmation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Response

from api.deps import PublishedDep, SessionDep
from api.editor.auth import EDITOR_ONLY, EditorDep
from api.editor.http import BASE, PRIVATE, private_json
from api.editor.schemas import (
    TranslationConfirm,
    TranslationLang,
    TranslationReport,
    TranslationWorklist,
)
from api.editor.translations import service as translations_service
from api.errors import problems

router = APIRouter()


@router.get(
    "/translations",
    operation_id="translation_report",
    response_model=TranslationReport,
    responses=BASE,
    openapi_extra=EDITOR_ONLY,
)
def translation_report(editor: EditorDep, published: PublishedDep) -> Response:
    """Per published journey (and the shared files): which texts lack Swedish or English."""
    return private_json(translations_service.report(published=published))


@router.get(
    "/translations/worklist",
    operation_id="translation_worklist",
    response_model=TranslationWorklist,
    responses=BASE,
    openapi_extra=EDITOR_ONLY,
)
def translation_worklist(
    editor: EditorDep,
    session: SessionDep,
    published: PublishedDep,
    lang: Annotated[
        TranslationLang | None, Query(description="Only this language", examples=["sv"])
    ] = None,
    journey: Annotated[
        str | None,
        Query(
            max_length=80,
            description="Only this journey (or shared file)",
            examples=["moving"],
        ),
    ] = None,
    state: Annotated[Literal["missing", "stale"] | None, Query(examples=["stale"])] = None,
) -> Response:
    """Every text missing in Swedish or English and every translation whose Finnish changed
    after it was written, per journey (its draft's texts when it has one), with the field's
    editor page."""
    only = translations_service.Filter(lang=lang, journey=journey, state=state)
    return private_json(
        translations_service.worklist(session=session, published=published, only=only)
    )


@router.post(
    "/translations/confirmations",
    operation_id="confirm_translation",
    status_code=204,
    responses=BASE | problems(400, 404, 409, 413),
    openapi_extra=EDITOR_ONLY,
)
def confirm_translation(
    editor: EditorDep,
    session: SessionDep,
    published: PublishedDep,
    data: Annotated[TranslationConfirm, Body()],
) -> Response:
    """Say a stale translation is still correct for the Finnish you saw (its `source` from the
    worklist): it leaves the worklist until the Finnish changes again."""
    translations_service.confirm(
        session=session,
        published=published,
        editor=editor,
        journey=data.journey,
        place=data.place,
        lang=data.lang,
        source=data.source,
    )
    return Response(status_code=204, headers={"Cache-Control": PRIVATE})
