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

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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


def known_by_journey(session: Session) -> dict[str, Known]:
    """Every journey's fingerprints, in one query."""
    out: dict[str, Known] = {}
    for row in session.scalars(select(TranslationFingerprint)):
        out.setdefault(row.slug, {})[(row.place, row.lang)] = row
    return out


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
) -> bool:
    """A translator says the translation at `place` is still right for the Finnish they saw
    (`seen`: its digest): it is fingerprinted against that Finnish. True when this call
    recorded it; False when the fingerprint said so already (another translator's confirmation
    of the same moment won: compare-and-set, so two at once record one confirmation)."""
    text = dict(texts_of(content)).get(place)
    if text is None or lang not in TRANSLATED or lang not in text:
        raise NoSuchTranslation(f"'{place[:200]}' has no {lang} text")
    if digest(text["fi"]) != seen:
        raise FinnishChangedAgain(f"the Finnish of '{place[:200]}' changed meanwhile")
    values = {
        "source_hash": seen,
        "translation_hash": digest(text[lang]),
        "recorded_at": utcnow(),
        "recorded_by": by[:120],
    }
    key = (
        TranslationFingerprint.slug == slug,
        TranslationFingerprint.place == place,
        TranslationFingerprint.lang == lang,
    )
    row = session.execute(
        select(TranslationFingerprint.source_hash, TranslationFingerprint.translation_hash).where(
            *key
        )
    ).one_or_none()
    if row is None:
        # Nothing to compare with: an insert that does nothing if another got there first.
        insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgres_insert
        result = session.execute(
            insert(TranslationFingerprint)
            .values(slug=slug, place=place, lang=lang, **values)
            .on_conflict_do_nothing()
        )
    elif tuple(row) == (values["source_hash"], values["translation_hash"]):
        return False
    else:
        result = session.execute(
            update(TranslationFingerprint)
            .where(
                *key,
                TranslationFingerprint.source_hash == row.source_hash,
                TranslationFingerprint.translation_hash == row.translation_hash,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


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
