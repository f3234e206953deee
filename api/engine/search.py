"""Finding a journey by what people type, in any of the three languages on any site.

Each journey's title, keywords, life-event classes and summary are cut into words and stemmed
with the Snowball stemmer of their language, once per published catalogue (`build_index`). A
query is stemmed with all three stemmers, since people type Finnish on the English site too,
and each language's stems are compared with that language's texts: `kuolemasta` and `kuolema`
meet at `kuolem`, `died` and `dies` at `die`. Ranking: the journeys matching most of the query's
words first, then those where the words stand together as typed, then by where they matched
(a title or keyword outweighs a summary).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import snowballstemmer

from api.engine.catalogue import Catalogue
from api.engine.model import LANGS, Journey, Text

_ALGORITHMS = {"fi": "finnish", "sv": "swedish", "en": "english"}

# Where a word matched, by how much it says about the journey.
TITLE = KEYWORD = 3.0
LIFE_EVENT = 2.0
SUMMARY = 1.0
# A query word found whole nowhere may begin a longer word (someone still typing, or the first
# part of a compound: `muuttoilm`): that counts half, and only from this many letters on. A word
# found whole somewhere is not looked for as a beginning: `muutto` finds moving, not also the
# `muutokset` (changes) of another summary.
PREFIX_FACTOR = 0.5
PREFIX_MIN = 4
# Words of a query looked at: enough for any question, and a long query stays quick.
MAX_WORDS = 10

# Words that say nothing about a situation. Left out of texts and queries alike, so that "the"
# or "och" never finds a journey and "flytta till Finland" stands together with "Flytt till
# Finland". A list of function words, not stemming rules.
_STOP = {
    "fi": "ja tai on ei en et se ne että kun jos mitä mikä minä sinä hän me te he minun sinun "
    "oma omat olen olet ovat ole joka jotka kanssa sekä myös vai nyt kuin",
    "sv": "och eller att i på av en ett den det de som är var för med till från om har jag du han "
    "hon vi ni min mitt mina din ditt dina sin sitt sina så när hur vad",
    "en": "a an the and or of to in on at for from with by is are was were be been my your his her "
    "our their i you he she we they it its as so if what when how do does did can not",
}
STOP_WORDS = frozenset(word for text in _STOP.values() for word in text.split())

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_local = threading.local()


def _stemmer(lang: str) -> snowballstemmer.Stemmer:
    """This thread's stemmer for `lang`: a Snowball stemmer keeps state while it works, and
    the index is built in a worker thread while the event loop's thread searches."""
    stemmers: dict[str, snowballstemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {
            lang: snowballstemmer.stemmer(name) for lang, name in _ALGORITHMS.items()
        }
    return stemmers[lang]


def _fold(word: str) -> str:
    """Without accents, so that `tyoton` typed on a foreign keyboard still meets `työtön`."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a text, lower case, without the small words."""
    return [w for w in (m.group().casefold() for m in _WORD.finditer(text)) if w not in STOP_WORDS]


def stems(text: str, lang: str) -> tuple[str, ...]:
    stemmer = _stemmer(lang)
    return tuple(_fold(stemmer.stemWord(w)) for w in words(text))


@dataclass(frozen=True)
class _Field:
    weight: float
    stems: tuple[str, ...]  # in order, for words that stand together
    stem_set: frozenset[str]

    @classmethod
    def of(cls, weight: float, stems: tuple[str, ...]) -> _Field:
        return cls(weight, stems, frozenset(stems))


@dataclass(frozen=True)
class _Word:
    """A query word stemmed in one language, and the longer stems it may begin."""

    stem: str
    beginnings: frozenset[str]


@dataclass(frozen=True)
class SearchIndex:
    """The stemmed texts of every journey, per language, built once per published catalogue."""

    fields: dict[str, dict[str, tuple[_Field, ...]]]  # slug -> language -> fields
    vocabulary: dict[str, frozenset[str]]  # language -> every stem in its texts

    def search(self, query: str) -> list[str]:
        """The slugs of the journeys that match `query`, best first; [] when none does."""
        typed = list(dict.fromkeys(words(query)))[:MAX_WORDS]
        if not typed:
            return []
        stemmed = {lang: [_fold(_stemmer(lang).stemWord(w)) for w in typed] for lang in LANGS}
        whole = [
            any(stemmed[lang][i] in self.vocabulary[lang] for lang in LANGS)
            for i in range(len(typed))
        ]
        wanted = {
            lang: [
                _Word(stem, self._beginnings(lang, stem) if not whole[i] else frozenset())
                for i, stem in enumerate(stems)
            ]
            for lang, stems in stemmed.items()
        }
        ranked: list[tuple[tuple[float, ...], str]] = []
        for slug, per_lang in self.fields.items():
            rank = _rank(per_lang, wanted)
            if rank is not None:
                ranked.append((rank, slug))
        ranked.sort(key=lambda item: (tuple(-x for x in item[0]), item[1]))
        return [slug for _, slug in ranked]

    def _beginnings(self, lang: str, stem: str) -> frozenset[str]:
        if len(stem) < PREFIX_MIN:
            return frozenset()
        return frozenset(s for s in self.vocabulary[lang] if s.startswith(stem))


def _rank(
    per_lang: dict[str, tuple[_Field, ...]], query: dict[str, list[_Word]]
) -> tuple[float, ...] | None:
    """(words matched, words together, weight, how much of a field they cover) or None."""
    count = len(query["fi"])
    best = [0.0] * count
    together = 0.0
    cover = 0.0
    for lang, fields in per_lang.items():
        wanted = query[lang]
        phrase = tuple(word.stem for word in wanted)
        for field in fields:
            hits = 0
            for i, word in enumerate(wanted):
                score = _match(word, field) * field.weight
                if score:
                    hits += 1
                    best[i] = max(best[i], score)
            if hits and count > 1 and _contains(field.stems, phrase):
                together = max(together, field.weight)
            if hits:
                cover = max(cover, hits / len(field.stems) * field.weight)
    matched = sum(1 for score in best if score)
    if not matched:
        return None
    return (float(matched), together, sum(best), cover)


def _match(word: _Word, field: _Field) -> float:
    if word.stem in field.stem_set:
        return 1.0
    if not word.beginnings.isdisjoint(field.stem_set):
        return PREFIX_FACTOR
    return 0.0


def _contains(field: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(field[i : i + n] == phrase for i in range(len(field) - n + 1))


def build_index(catalogue: Catalogue) -> SearchIndex:
    """Stem every journey's texts once: done when a catalogue is published or loaded."""
    fields = {
        slug: _journey_fields(catalogue, journey) for slug, journey in catalogue.journeys.items()
    }
    vocabulary = {
        lang: frozenset(
            stem for per_lang in fields.values() for f in per_lang[lang] for stem in f.stems
        )
        for lang in LANGS
    }
    return SearchIndex(fields, vocabulary)


def _journey_fields(catalogue: Catalogue, journey: Journey) -> dict[str, tuple[_Field, ...]]:
    labels = [
        catalogue.life_events[code].label
        for code in journey.life_events
        if code in catalogue.life_events
    ]
    out: dict[str, tuple[_Field, ...]] = {}
    for lang in LANGS:
        keywords: Iterable[str] = getattr(journey.keywords, lang) if journey.keywords else ()
        texts = [
            (TITLE, _in(journey.title, lang)),
            *((KEYWORD, word) for word in keywords),
            *((LIFE_EVENT, _in(label, lang)) for label in labels),
            (SUMMARY, _in(journey.summary, lang)),
        ]
        fields = (_Field.of(weight, stems(text, lang)) for weight, text in texts if text)
        out[lang] = tuple(field for field in fields if field.stems)
    return out


def _in(text: Text, lang: str) -> str | None:
    """The text written in `lang`, never a fallback: Finnish is stemmed as Finnish only."""
    value: str | None = getattr(text, lang, None)
    return value
