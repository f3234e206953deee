"""A deadline in the text is a date in the plan: a step whose body states a time limit ("no later
than", "within 3 months", "viimeistään", "senast") but carries no `deadline` shows the person the
words without the date. A heuristic, so a step may opt out with `deadline_in_text: <reason>` (the
limit is counted from a day the plan does not know, say).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from api.engine.model import LANGS, Step

_NUMBER = {
    "fi": r"(?:\d+|yhden|kahden|kolmen|neljän|viiden|kuuden|seitsemän|kahdeksan|yhdeksän|kymmenen)",
    "sv": r"(?:\d+|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio)",
    "en": r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)",
}
# Phrases that state a last day, per language. Kept narrow: each false alarm costs an opt-out.
_PHRASES = {
    "fi": [
        r"viimeistään",
        rf"(?:{_NUMBER['fi']}\s+)?(?:päivän|viikon|kuukauden|vuoden)\s+kuluessa",
    ],
    "sv": [
        r"senast",
        rf"inom\s+{_NUMBER['sv']}\s+(?:dag|dagar|vecka|veckor|månad|månader|år)\b",
    ],
    "en": [
        r"no later than",
        r"at the latest",
        rf"within\s+{_NUMBER['en']}\s+(?:days?|weeks?|months?|years?)\b",
    ],
}
_PATTERNS = {
    lang: re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)
    for lang, phrases in _PHRASES.items()
}


def deadline_phrases(step: Step) -> Iterator[tuple[str, str]]:
    """(language, the phrase found) for the first phrase in each language's body that reads as a
    deadline."""
    for lang in LANGS:
        if not step.body.has(lang):
            continue
        found = _PATTERNS[lang].search(step.body.get(lang))
        if found is not None:
            yield lang, found.group(0)


def check_deadline_text(step: Step) -> Iterator[tuple[tuple[str, ...], str]]:
    """(place under the step, message) for a body that states a deadline the step does not carry,
    and for an opt-out that has nothing to opt out of."""
    phrases = list(deadline_phrases(step))
    if step.deadline is None and step.deadline_in_text is None and phrases:
        # One message per step, at the first body that states it, quoting each language's words.
        quoted = ", ".join(f"'{phrase}'" for _, phrase in phrases)
        yield (
            ("body", phrases[0][0]),
            f"step '{step.id}' states a deadline ({quoted}) but has none: add a deadline "
            "counted from the event date, or, if the limit is counted from another day or is "
            "not the person's to keep, say why in deadline_in_text: <reason> "
            "(journeys/README.md, A deadline in the text)",
        )
    elif step.deadline_in_text is not None and step.deadline is not None:
        yield (
            ("deadline_in_text",),
            f"step '{step.id}' carries a deadline: remove deadline_in_text",
        )
    elif step.deadline_in_text is not None and not phrases:
        yield (
            ("deadline_in_text",),
            f"nothing in step '{step.id}' reads as a deadline any more: remove deadline_in_text",
        )
