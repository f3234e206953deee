"""The "Was this useful?" form under a plan: what it shows, and reading what was sent.

The form carries the person's answers as hidden fields only so that the redirect after it can
lead back to the same plan (its address holds them); they are never stored with the feedback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fastapi import Request
from starlette.datastructures import FormData

from api.feedback.service import COMMENT_MAX, clean_comment
from api.pages.forms import TOKEN_FIELD, form_token
from api.pages.i18n import translations
from api.pages.render import Site

# On the plan's address after the form: say thank you (once, in place of the form).
SENT = "feedback"
# The form's own fields; everything else in it is the plan's query.
OWN_FIELDS = frozenset({TOKEN_FIELD, "version", "useful", "comment"})
ANSWERS = {"yes": True, "no": False}


@dataclass
class FeedbackForm:
    action: str
    token: str
    version: int
    hidden: Sequence[tuple[str, str]]
    sent: bool = False
    useful: str = ""  # what was chosen, kept on an error
    comment: str = ""  # what was typed, kept on an error
    errors: dict[str, str] = field(default_factory=dict)  # field id -> message
    max_length: int = COMMENT_MAX


def action(site: Site, slug: str) -> str:
    # Under the plan: no /v1/ address has this shape, so an API path never lands here.
    return site.url(f"{slug}/plan/feedback")


def plan_form(
    request: Request, site: Site, slug: str, version: int, hidden: Sequence[tuple[str, str]]
) -> FeedbackForm:
    """The form as a plan page shows it; a thank-you instead once it was sent."""
    path = action(site, slug)
    return FeedbackForm(
        action=path,
        token=form_token(request, path),
        version=version,
        hidden=hidden,
        sent=request.query_params.get(SENT) == "sent",
    )


@dataclass(frozen=True)
class Sent:
    useful: bool
    comment: str


def read(form: FormData, shown: FeedbackForm, lang: str) -> Sent | None:
    """What was sent, or None with `shown` holding the errors and what was typed."""
    _ = translations(lang).gettext
    useful = str(form.get("useful", ""))
    comment = clean_comment(str(form.get("comment", "")))
    shown.useful = useful if useful in ANSWERS else ""
    shown.comment = comment
    if useful not in ANSWERS:
        shown.errors["feedback-useful"] = _("Select yes or no")
    if len(comment) > COMMENT_MAX:
        shown.errors["feedback-comment"] = _(
            "The comment must be %(max)d characters or fewer: it is %(length)d"
        ) % {"max": COMMENT_MAX, "length": len(comment)}
    if shown.errors:
        return None
    return Sent(ANSWERS[useful], comment)
