"""Every table, imported in one place for Alembic and the tests."""

from api.catalogue.models import (
    CatalogueState,
    JourneyRecord,
    JourneyVersion,
    SharedDocument,
    TranslationFingerprint,
)
from api.checklists.models import Checklist
from api.editor.models import AuditEntry, Draft, EditorToken
from api.editor_pages.models import EditorSession
from api.feedback.models import FeedbackComment, FeedbackCount

__all__ = [
    "AuditEntry",
    "CatalogueState",
    "Checklist",
    "Draft",
    "EditorSession",
    "EditorToken",
    "FeedbackComment",
    "FeedbackCount",
    "JourneyRecord",
    "JourneyVersion",
    "SharedDocument",
    "TranslationFingerprint",
]
