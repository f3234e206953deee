"""Fingerprints of translations: the Finnish each Swedish and English text was written against,
so a translation whose Finnish changed later shows as stale until a translator saves it again
or confirms that it is still correct.

A fingerprint is a pair of SHA-256 hashes, (the Finnish, the translation), per journey, place and
language. It is recorded whenever a translation is new or changed: a draft save, a publish, an
import. A translation this edit did not change was written, at best, against the Finnish it
stood beside before the edit, so that is the Finnish recorded for it when it has no fingerprint
yet (content from before fingerprints, a file edited by hand): an import of an unchanged file
flags nothing, and one that changes only the Finnish flags the translations beside it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.catalogue.content import texts_of
from api.catalogue.models import TranslationFingerprint
from api.db import utcnow
from api.engine.model import LANGS

TRANSLATED = LANGS[1:]
Known = dict[tuple[str, str], TranslationFingerprint]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def known(session: Session, slug: str) -> Known:
    """A journey's fingerprints by (place, language)."""
    rows = session.scalars(
        select(TranslationFingerprint).where(TranslationFingerprint.slug == slug)
    )
    return {(row.place, row.lang): row for row in rows}


def record(
    session: Session, *, slug: str, before: dict[str, Any] | None, after: dict[str, Any], by: str
) -> None:
    """Fingerprint the translations of `after` that have none yet for their text (`before`:
    the same journey as it was until this change, or None for a new one)."""
    kept = known(session, slug)
    earlier = dict(texts_of(before)) if before is not None else {}
    for place, text in texts_of(after):
        for lang in TRANSLATED:
            translation = text.get(lang)
            row = kept.get((place, lang))
            if translation is None or (row and row.translation_hash == digest(translation)):
                continue
            was = earlier.get(place)
            source = was["fi"] if was is not None and was.get(lang) == translation else text["fi"]
            _put(
                session,
                row,
                slug=slug,
                place=place,
                lang=lang,
                by=by,
                source=source,
                translation=translation,
            )


def stale(content: dict[str, Any], kept: Known) -> list[tuple[str, str]]:
    """The (place, language) of each translation whose Finnish changed after it was written."""
    return [
        (place, lang)
        for place, text in texts_of(content)
        for lang in TRANSLATED
        if lang in text
        and (row := kept.get((place, lang))) is not None
        and row.translation_hash == digest(text[lang])
        and row.source_hash != digest(text["fi"])
    ]


class NoSuchTranslation(LookupError):
    """The place has no text, or the text no translation in that language."""


class FinnishChangedAgain(ValueError):
    """The Finnish is no longer the one the translator looked at."""


def confirm(
    session: Session,
    *,
    slug: str,
    content: dict[str, Any],
    place: str,
    lang: str,
    seen: str,
    by: str,
) -> None:
    """A translator says the translation at `place` is still right for the Finnish they saw
    (`seen`: its digest): it is fingerprinted against that Finnish."""
    text = dict(texts_of(content)).get(place)
    if text is None or lang not in TRANSLATED or lang not in text:
        raise NoSuchTranslation(f"'{place[:200]}' has no {lang} text")
    if digest(text["fi"]) != seen:
        raise FinnishChangedAgain(f"the Finnish of '{place[:200]}' changed meanwhile")
    _put(
        session,
        known(session, slug).get((place, lang)),
        slug=slug,
        place=place,
        lang=lang,
        by=by,
        source=text["fi"],
        translation=text[lang],
    )


def _put(
    session: Session,
    row: TranslationFingerprint | None,
    *,
    slug: str,
    place: str,
    lang: str,
    by: str,
    source: str,
    translation: str,
) -> None:
    if row is None:
        row = TranslationFingerprint(slug=slug, place=place, lang=lang)
        session.add(row)
    row.source_hash = digest(source)
    row.translation_hash = digest(translation)
    row.recorded_at = utcnow()
    row.recorded_by = by[:120]
