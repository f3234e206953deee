"""The glossary: recognising its terms in step texts, and checking that journeys use them alike in
every language.

A term is recognised by the forms its entry lists (Finnish inflects, so `perunkirjoituksen` is
listed beside `perunkirjoitus`: a stemmer would join words the glossary does not mean), as whole
words, outside Markdown links, code and bare addresses, so that nothing is ever linked inside a
link. Pure: the pages and the API both read what is found here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import get_args, get_origin

from pydantic import BaseModel

from api.engine.catalogue import GLOSSARY_FILE, Catalogue
from api.engine.model import LANGS, Journey, Term, Text
from api.engine.problems import Path, Problem, ProblemList
from api.engine.reuse import ByIdentity, each_journey

LANGUAGE_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}

# Markdown that is a link, an image, code or a bare address: never looked into.
_NOT_PROSE = re.compile(r"!?\[[^\]]*\]\([^)]*\)|<[^>\s]+>|`[^`]*`|https?://\S+|mailto:\S+")


@dataclass(frozen=True, slots=True)
class TermUse:
    """Where a term first appears in a text: its id, the words as written, and their place
    (character offsets in the Markdown source)."""

    id: str
    text: str
    start: int
    end: int


class Glossary:
    """The catalogue's terms, ready to find in texts: one matcher per language."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms: dict[str, Term] = {term.id: term for term in terms}
        self._matchers: dict[str, _Matcher | None] = {
            lang: _matcher(
                tuple(
                    (form, term.id) for term in self.terms.values() for form in term.forms_in(lang)
                )
            )
            for lang in LANGS
        }

    def uses(self, text: str, lang: str) -> tuple[TermUse, ...]:
        """Every use of a term in a Markdown text in `lang`, in order."""
        matcher = self._matchers.get(lang)
        return matcher.uses(text) if matcher else ()

    def first_uses(self, text: str, lang: str) -> tuple[TermUse, ...]:
        """The first use of each term in a text, in the order they appear."""
        seen: dict[str, TermUse] = {}
        for use in self.uses(text, lang):
            seen.setdefault(use.id, use)
        return tuple(seen.values())


class _Matcher:
    """One language's term forms as one pattern, and the term each form names.

    The uses found in each text are kept: every catalogue prepared (at each publish, and for
    each check of a draft) looks for terms in every text of every step, about half the time it
    takes, and mostly in the texts the last catalogue had. Texts are published or draft
    content, never a person's answers."""

    def __init__(self, forms: tuple[tuple[str, str], ...]) -> None:
        self._owner: dict[str, str] = {}
        for form, term_id in forms:
            self._owner.setdefault(_key(form), term_id)
        # Longest first, so that `estate inventory` wins over `estate`.
        ordered = sorted((form for form, _ in forms), key=len, reverse=True)
        alternatives = "|".join(_alternative(form) for form in ordered)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        self.uses = functools.lru_cache(maxsize=8192)(self._find)

    def _find(self, text: str) -> tuple[TermUse, ...]:
        found: list[TermUse] = []
        start = 0
        for skipped in (*_NOT_PROSE.finditer(text), None):
            end = skipped.start() if skipped else len(text)
            for match in self._pattern.finditer(text, start, end):
                term = self._owner[_key(match.group())]
                found.append(TermUse(term, match.group(), match.start(), match.end()))
            if skipped:
                start = skipped.end()
        return tuple(found)


@functools.lru_cache(maxsize=8)
def _matcher(forms: tuple[tuple[str, str], ...]) -> _Matcher | None:
    """The matcher of these (form, term id) pairs, shared by every glossary that has them."""
    return _Matcher(forms) if forms else None


def _key(form: str) -> str:
    return " ".join(form.split()).casefold()


def _alternative(form: str) -> str:
    words = r"\s+".join(re.escape(word) for word in form.split())
    # An acronym only in capitals: `ETA` is not the `eta` of another word.
    return words if form.isupper() else f"(?i:{words})"


def check_glossary(catalogue: Catalogue) -> list[Problem]:
    """A form claimed by two terms (missing translations are reported with every other text's)."""
    where = catalogue.problems_for(GLOSSARY_FILE)
    for lang in LANGS:
        owner: dict[str, str] = {}
        for index, term in enumerate(catalogue.glossary):
            for form in term.forms_in(lang):
                other = owner.setdefault(_key(form), term.id)
                if other != term.id:
                    own = term.term.has(lang) and form == term.term.get(lang)
                    where.add(
                        ("terms", index, "term" if own else "forms", lang),
                        f"'{form}' is also a form of the term '{other}': a form names one term",
                    )
    return where.items


def check_term_use(catalogue: Catalogue) -> list[Problem]:
    """A journey that uses a glossary term in one language's texts but not in another's: the
    reader of that language gets no explanation, or the texts say different things. Reported as
    a translation problem at the first use. An unchanged journey's are found once."""
    check = functools.partial(_check_journey_term_use, Glossary(catalogue.glossary))
    return each_journey(catalogue, _term_use, catalogue.glossary, check)


# A journey's term-use problems depend on it, its file (name and line map) and the glossary.
_term_use: ByIdentity[tuple[Problem, ...]] = ByIdentity(64)


def _check_journey_term_use(
    glossary: Glossary, journey: Journey, where: ProblemList
) -> tuple[Problem, ...]:
    first: dict[str, dict[str, Path]] = {}  # term -> language -> first place used
    written: set[str] = set()  # languages the journey has texts in
    for path, text in texts_of(journey):
        for lang in LANGS:
            value = getattr(text, lang)
            if value is None:
                continue
            written.add(lang)
            for use in glossary.uses(value, lang):
                first.setdefault(use.id, {}).setdefault(lang, (*path, lang))
    for term_id, places in sorted(first.items()):
        term = glossary.terms[term_id]
        missing = [
            lang for lang in LANGS if lang in written and lang not in places and term.term.has(lang)
        ]
        if not missing:
            continue
        used = next(lang for lang in LANGS if lang in places)
        wanted = ", ".join(f"{LANGUAGE_NAMES[lang]} ('{term.term.get(lang)}')" for lang in missing)
        where.add(
            places[used],
            f"the {LANGUAGE_NAMES[used]} texts use the glossary term "
            f"'{term.term.get(used)}' but the {wanted} texts do not: use the term there too, "
            f"or add the form they use to the term '{term_id}' in {GLOSSARY_FILE}",
            "translation",
        )
    return tuple(where.items)


@functools.cache
def _fields_with_texts(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """The fields of a model that can hold a text, with their names in the file: the walk
    skips the others (ids, numbers, dates, conditions), most of a journey."""
    if model.__name__ == "Scenario":
        return ()
    return tuple(
        (name, field.alias or name)
        for name, field in model.model_fields.items()
        if _may_hold_text(field.annotation)
    )


def _may_hold_text(annotation: object) -> bool:
    """A text, a model or a list of either (dicts are not walked); Any and the like may."""
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return True
        if annotation in (str, int, float, bool, bytes) or issubclass(annotation, Enum | date):
            return False
    origin = get_origin(annotation)
    if origin is dict or (isinstance(origin, type) and issubclass(origin, Mapping)):
        return False
    arguments = get_args(annotation)
    if arguments:
        return any(_may_hold_text(a) for a in arguments if a is not None)
    return not isinstance(annotation, type) or annotation is object


def texts_of(value: object, path: Path = ()) -> Iterator[tuple[Path, Text]]:
    """Every text in a journey or a shared definition, with its place; scenarios left out
    (they are not shown)."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, key in _fields_with_texts(type(value)):
            yield from texts_of(getattr(value, name), (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from texts_of(item, (*path, index))
