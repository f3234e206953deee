"""The translation report over what is published: which texts lack Swedish or English."""

from __future__ import annotations

from api.catalogue.service import Published
from api.editor.content import pointer
from api.editor.schemas import TranslationJourney, TranslationReport
from api.engine.validate import translation_report, validate


def report(*, published: Published) -> TranslationReport:
    """The same report as `polku journeys translations`, over what is published."""
    rows = translation_report(published.catalogue, validate(published.catalogue))
    return TranslationReport(
        journeys=[
            TranslationJourney(
                name=row.name,
                texts=row.texts,
                missing_sv=[pointer(p.path[:-1]) for p in row.missing_in("sv")],
                missing_en=[pointer(p.path[:-1]) for p in row.missing_in("en")],
            )
            for row in rows
        ],
        missing=sum(len(row.missing) for row in rows),
    )
