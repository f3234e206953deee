"""Translations: which texts lack Swedish or English (the report over what is published), and
the translators' worklist: every text missing in Swedish or English, and every translation
whose Finnish changed after it was written (api.catalogue.fingerprints), in each journey's
draft when it has one (that is where a translator works), else as published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from api.catalogue import fingerprints
from api.catalogue.content import normalised, texts_of
from api.catalogue.fingerprints import TRANSLATED
from api.catalogue.service import Published, catalogue_documents
from api.db import utcnow
from api.editor import repository
from api.editor.content import pointer
from api.editor.models import AuditEntry
from api.editor.schemas import (
    TranslationJourney,
    TranslationReport,
    TranslationWorklist,
    WorklistItem,
    WorklistJourney,
)
from api.editor.tokens import Editor
from api.engine.catalogue import SHARED_FILES
from api.engine.validate import translation_report, validate
from api.errors import Conflict, NotFound

STATES = ("stale", "missing")


class UnknownText(NotFound):
    type = "/problems/unknown-text"
    title = "No such translation"


class FinnishChanged(Conflict):
    type = "/problems/finnish-changed"
    title = "The Finnish text changed meanwhile"


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


@dataclass(frozen=True)
class Filter:
    """Which part of the worklist to show; None: all."""

    lang: str | None = None
    journey: str | None = None
    state: str | None = None


def field_address(slug: str, place: str, lang: str) -> str:
    """The draft editor's address of a text's field: a step's or a question's own page with
    the field as its fragment (`/editor/journeys/moving/draft/steps/notify-dvv#title-sv`),
    the journey's page for its other texts (`.../draft#event_date-label-sv`)."""
    parts = place.split("/")
    base = f"/editor/journeys/{quote(slug)}/draft"
    if parts[0] in ("steps", "questions") and len(parts) > 2:
        base += f"/{parts[0]}/{quote(parts[1], safe='')}"
        parts = parts[2:]
    return f"{base}#{quote('-'.join(parts), safe='')}-{lang}"


def worklist(*, session: Session, published: Published, only: Filter) -> TranslationWorklist:
    """Every missing or stale translation, per journey (drafts first, as published otherwise),
    then the shared files (edited as files: missing texts only, without a field to link to)."""
    documents = {slug: normalised(j) for slug, j in published.catalogue.journeys.items()}
    drafts = {row.slug: row.content for row in repository.drafts(session)}
    journeys: list[WorklistJourney] = []
    for slug in sorted(documents.keys() | drafts.keys()):
        if only.journey not in (None, slug):
            continue
        content = drafts[slug] if slug in drafts else documents[slug]
        stale = set(fingerprints.stale(content, fingerprints.known(session, slug)))
        items = _items(content, only, stale, slug=slug)
        if items:
            journeys.append(
                WorklistJourney(
                    journey=slug, title=content.get("title"), in_draft=slug in drafts, items=items
                )
            )
    shared = catalogue_documents(published.catalogue)
    for name in SHARED_FILES:
        if only.journey not in (None, name) or name not in shared:
            continue
        items = _items(shared[name], only, set(), slug=None)
        if items:
            journeys.append(WorklistJourney(journey=name, title=None, in_draft=False, items=items))
    every = [item for journey in journeys for item in journey.items]
    return TranslationWorklist(
        journeys=journeys,
        missing=sum(item.state == "missing" for item in every),
        stale=sum(item.state == "stale" for item in every),
    )


def stale_counts(*, session: Session, published: Published) -> dict[str, dict[str, int]]:
    """Per journey, its stale Swedish and English translations (in its draft when it has one,
    as published otherwise): the worklist's numbers, for the dashboard."""
    drafts = {row.slug: row.content for row in repository.drafts(session)}
    kept = fingerprints.known_by_journey(session)
    counts = {}
    for slug in sorted(published.catalogue.journeys.keys() | drafts.keys()):
        content = drafts[slug] if slug in drafts else normalised(published.catalogue.journeys[slug])
        found = fingerprints.stale(content, kept.get(slug, {}))
        counts[slug] = {lang: sum(1 for _, of in found if of == lang) for lang in TRANSLATED}
    return counts


def _items(
    content: dict[str, Any], only: Filter, stale: set[tuple[str, str]], *, slug: str | None
) -> list[WorklistItem]:
    items = []
    for place, text in texts_of(content):
        for lang in fingerprints.TRANSLATED:
            state = "missing" if lang not in text else "stale" if (place, lang) in stale else None
            if state is None or only.lang not in (None, lang) or only.state not in (None, state):
                continue
            items.append(
                WorklistItem(
                    place=place,
                    lang=lang,
                    state=state,
                    finnish=text["fi"],
                    translation=text.get(lang),
                    source=fingerprints.digest(text["fi"]),
                    field=field_address(slug, place, lang) if slug is not None else None,
                )
            )
    return items


def confirm(
    *,
    session: Session,
    published: Published,
    editor: Editor,
    journey: str,
    place: str,
    lang: str,
    source: str,
) -> bool:
    """The translation at `place` is still right for the Finnish the translator saw (`source`,
    its digest as the worklist gave it): it is no longer stale, and the audit log says who said
    so. False (and no entry) when it was confirmed already, by another at the same moment."""
    draft = repository.draft(session, journey)
    published_journey = published.catalogue.journeys.get(journey)
    if draft is not None:
        content = draft.content
    elif published_journey is not None:
        content = normalised(published_journey)
    else:
        raise UnknownText(f"there is no journey '{journey[:80]}'")
    try:
        recorded = fingerprints.confirm(
            session,
            slug=journey,
            content=content,
            place=place,
            lang=lang,
            seen=source,
            by=editor.name,
        )
    except fingerprints.NoSuchTranslation as exc:
        raise UnknownText(str(exc)) from None
    except fingerprints.FinnishChangedAgain as exc:
        raise FinnishChanged(
            f"{exc}: read the worklist again and check the translation against the new Finnish"
        ) from None
    if recorded:
        # history.record is on this room's layer: the entry is written the same way, here.
        version = published.versions.get(journey)
        repository.audit(
            session,
            AuditEntry(
                at=utcnow(),
                actor=editor.name,
                action="translation.confirm",
                slug=journey,
                version=version.number if version else None,
                change_note="",
                detail={"place": place, "lang": lang},
            ),
        )
    return recorded
