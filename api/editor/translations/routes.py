"""The translation report under /v1/editor/translations."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import PublishedDep
from api.editor.auth import EDITOR_ONLY, EditorDep
from api.editor.http import BASE, private_json
from api.editor.schemas import TranslationReport
from api.editor.translations import service as translations_service

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
