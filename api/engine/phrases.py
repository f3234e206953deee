"""The few sentences the engine writes itself (reasons and deadline rules), in each language.

They are data of the engine, not interface strings: the engine composes them with the journey's own
texts, so they live beside it and stay free of any web framework's translation machinery.
"""

from __future__ import annotations

import datetime as dt

from api.engine.model import Period

YOU_SAID = {
    "fi": "Kerroit, että {said}.",
    "sv": "Du berättade att {said}.",
    "en": "You said {said}.",
}
YOU_ANSWERED = {
    "fi": "Vastasit kysymykseen ”{question}”: {answer}.",
    "sv": "Du svarade på frågan ”{question}”: {answer}.",
    "en": "You answered “{question}”: {answer}.",
}
NOT_SURE = {
    "fi": "Vastasit kysymykseen ”{question}”, että et ole varma.",
    "sv": "Du svarade att du inte är säker på frågan ”{question}”.",
    "en": "You said you are not sure about “{question}”.",
}
NOT_SURE_LABEL = {"fi": "En ole varma", "sv": "Jag är inte säker", "en": "Not sure"}
EVERYONE = {
    "fi": "Tämä koskee kaikkia tässä tilanteessa.",
    "sv": "Det här gäller alla i den här situationen.",
    "en": "This applies to everyone in this situation.",
}
INCLUDED = {
    "fi": "Osa polkua ”{journey}”: {reason}",
    "sv": "Ingår i vägen ”{journey}”: {reason}",
    "en": "Part of “{journey}”: {reason}",
}
MAYBE = {
    "fi": "Tarkista, koskeeko tämä sinua. {said}",
    "sv": "Kontrollera om det här gäller dig. {said}",
    "en": "Check whether this applies to you. {said}",
}
NO_EVENT_DATE = {
    "fi": "Tämä riippuu päivämäärästä ”{label}”, jota et ole vielä antanut.",
    "sv": "Det här beror på datumet ”{label}”, som du inte har angett ännu.",
    "en": "This depends on the “{label}”, which you have not given yet.",
}
# Joins the last two of a list of clauses: "A, B and C".
AND = {"fi": "ja", "sv": "och", "en": "and"}
YES_NO = {
    "yes": {"fi": "Kyllä", "sv": "Ja", "en": "Yes"},
    "no": {"fi": "Ei", "sv": "Nej", "en": "No"},
}

# Deadline rules in words, used when there is no event date and beside every date.
DEADLINE_AFTER = {
    "fi": "viimeistään {period} {event}",
    "sv": "senast {period} {event}",
    "en": "within {period} {event}",
}
DEADLINE_BEFORE = {
    "fi": "viimeistään {period} {event}",
    "sv": "senast {period} {event}",
    "en": "no later than {period} {event}",
}
# A deadline of 0 days: the event date itself is the last day.
DEADLINE_ON = {
    "fi": "viimeistään päivänä ”{label}”",
    "sv": "senast dagen ”{label}”",
    "en": "no later than the day “{label}”",
}
EARLIEST = {
    "fi": "aikaisintaan {period} {event}",
    "sv": "tidigast {period} {event}",
    "en": "at the earliest {period} {event}",
}

_UNITS = {
    "fi": {
        "days": ("päivä", "päivää"),
        "weeks": ("viikko", "viikkoa"),
        "months": ("kuukausi", "kuukautta"),
        "years": ("vuosi", "vuotta"),
    },
    "sv": {
        "days": ("dag", "dagar"),
        "weeks": ("vecka", "veckor"),
        "months": ("månad", "månader"),
        "years": ("år", "år"),
    },
    "en": {
        "days": ("day", "days"),
        "weeks": ("week", "weeks"),
        "months": ("month", "months"),
        "years": ("year", "years"),
    },
}


def and_list(items: list[str], lang: str) -> str:
    """`A`, `A and B`, `A, B and C` (no serial comma: Finnish and Swedish never use one)."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {AND[lang]} {items[-1]}"


def period_words(period: Period, lang: str) -> str:
    """`1 week`, `3 kuukautta`, `2 veckor`."""
    singular, plural = _UNITS[lang][period.unit]
    return f"{period.count} {singular if period.count == 1 else plural}"


_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: object, lang: str) -> str:
    """A date as people write it: 12.4.2027 in Finnish and Swedish, 12 April 2027 in English."""
    if not isinstance(day, dt.date):
        return str(day)
    if lang == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"
