"""Every table, imported in one place for Alembic and the tests."""

from api.catalogue.models import CatalogueState, JourneyRecord, JourneyVersion, SharedDocument
from api.checklists.models import Checklist

__all__ = ["CatalogueState", "Checklist", "JourneyRecord", "JourneyVersion", "SharedDocument"]
