"""What the editors' pages show, from the published catalogue and the drafts: pure functions,
no HTML, no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

from api.catalogue.service import Published
from api.editor.models import Draft
from api.editor.schemas import TranslationReport
from api.engine.texts import TextLookup

TRANSLATED = ("sv", "en")
# What needs work, most urgent first: the dashboard lists journeys in this order.
# "stale": a translation whose Finnish changed after it was written.
ATTENTION = ("problems", "review", "translations", "stale", "unpublished")


@dataclass(frozen=True)
class DraftState:
    revision: int
    updated_by: str
    updated_at: dt.datetime
    problems: int  # what blocks publishing, missing translations apart


@dataclass(frozen=True)
class JourneyRow:
    slug: str
    title: str
    published_version: int | None
    published_at: dt.datetime | None
    draft: DraftState | None
    # Texts missing per language: on the draft where there is one, else on what is published.
    missing: Mapping[str, int]
    # Translations per language whose Finnish changed since (the worklist's count).
    stale: Mapping[str, int]
    last_reviewed: dt.date | None
    review_due: bool
    attention: tuple[str, ...]  # from ATTENTION, in its order

    @property
    def urgency(self) -> int:
        return ATTENTION.index(self.attention[0]) if self.attention else len(ATTENTION)


def dashboard(
    published: Published,
    drafts: Iterable[Draft],
    report: TranslationReport,
    stale: Mapping[str, Mapping[str, int]],
    *,
    lang: str,
    today: dt.date,
    review_months: int,
) -> list[JourneyRow]:
    """Every journey, published or only drafted, what needs work first (then by title)."""
    texts = TextLookup(lang)
    by_slug = {draft.slug: draft for draft in drafts}
    published_missing = {
        row.name: {"sv": len(row.missing_sv), "en": len(row.missing_en)} for row in report.journeys
    }
    review_before = today - relativedelta(months=review_months)
    rows = []
    for slug in sorted(set(published.catalogue.journeys) | set(by_slug)):
        journey = published.catalogue.journeys.get(slug)
        version = published.versions.get(slug)
        draft = by_slug.get(slug)
        if journey is not None:
            title = texts.get(journey.title)
            last_reviewed: dt.date | None = journey.last_reviewed
        else:
            assert draft is not None
            title = _draft_title(draft.content, lang, slug)
            last_reviewed = _date(draft.content.get("last_reviewed"))
        state = None
        if draft is not None:
            state = DraftState(
                revision=draft.revision,
                updated_by=draft.updated_by,
                updated_at=draft.updated_at,
                problems=sum(1 for p in draft.problems if p.get("kind") != "translation"),
            )
            missing = missing_translations(draft.problems)
        else:
            missing = published_missing.get(slug, dict.fromkeys(TRANSLATED, 0))
        stale_here = {lang: stale.get(slug, {}).get(lang, 0) for lang in TRANSLATED}
        review_due = last_reviewed is not None and last_reviewed < review_before
        attention = tuple(
            reason
            for reason, applies in (
                ("problems", state is not None and state.problems > 0),
                ("review", review_due),
                ("translations", any(missing.values())),
                ("stale", any(stale_here.values())),
                ("unpublished", state is not None),
            )
            if applies
        )
        rows.append(
            JourneyRow(
                slug=slug,
                title=title,
                published_version=version.number if version else None,
                published_at=version.published_at if version else None,
                draft=state,
                missing=missing,
                stale=stale_here,
                last_reviewed=last_reviewed,
                review_due=review_due,
                attention=attention,
            )
        )
    return sorted(rows, key=lambda row: (row.urgency, row.title.casefold(), row.slug))


def missing_translations(problems: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """A draft's missing Swedish and English texts, from the problems the check stored on it
    (each names the missing text's place, ending in its language)."""
    counts = dict.fromkeys(TRANSLATED, 0)
    for problem in problems:
        lang = str(problem.get("pointer", "")).rsplit("/", 1)[-1]
        if problem.get("kind") == "translation" and lang in counts:
            counts[lang] += 1
    return counts


def _draft_title(content: Mapping[str, Any], lang: str, slug: str) -> str:
    title = content.get("title")
    if isinstance(title, Mapping):
        text = title.get(lang) or title.get("fi")
        if isinstance(text, str) and text:
            return text
    return slug


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
