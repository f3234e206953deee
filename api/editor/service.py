"""Transitional: the editors' services now live one room per concern (`drafts`, `preview`,
`publishing`, `history`, `translations`, each with its `service.py`; `checks` is shared).
This module only re-exports them under their old names so that code written against it keeps
importing until the merge; it is to be removed then. Import from the rooms instead."""

from api.editor.checks import InvalidDraft, check, from_yaml, parse, places, scenarios
from api.editor.drafts.service import (
    DraftExists,
    Edit,
    UnknownDraft,
    discard,
    draft_read,
    etag,
    expected_revision,
    list_drafts,
    load,
    read,
    start,
    write,
)
from api.editor.history.service import (
    UnknownVersion,
    audit_page,
    diff_versions,
    version,
    versions,
)
from api.editor.preview.service import NotPlannable, planner
from api.editor.preview.service import diff as preview_diff
from api.editor.preview.service import plan as preview_plan
from api.editor.preview.service import scenarios as preview_scenarios
from api.editor.publishing.service import (
    NothingToPublish,
    PublishBlocked,
    PublishedMeanwhile,
    publish,
    rollback,
)
from api.editor.translations.service import report as translations

__all__ = [
    "DraftExists",
    "Edit",
    "InvalidDraft",
    "NotPlannable",
    "NothingToPublish",
    "PublishBlocked",
    "PublishedMeanwhile",
    "UnknownDraft",
    "UnknownVersion",
    "audit_page",
    "check",
    "diff_versions",
    "discard",
    "draft_read",
    "etag",
    "expected_revision",
    "from_yaml",
    "list_drafts",
    "load",
    "parse",
    "places",
    "planner",
    "preview_diff",
    "preview_plan",
    "preview_scenarios",
    "publish",
    "read",
    "rollback",
    "scenarios",
    "start",
    "translations",
    "version",
    "versions",
    "write",
]
