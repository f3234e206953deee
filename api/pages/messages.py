"""What an error on a question says: the question's own words from its journey file where it
has them, else the general ones; a range error always names the range."""

from __future__ import annotations

import datetime as dt

from babel.numbers import format_decimal

from api.engine.model import EVENT_DATE, QuestionErrors
from api.engine.phrases import format_date
from api.engine.plan import QuestionView
from api.engine.texts import TextLookup
from api.pages.i18n import translations


def error_message(view: QuestionView, code: str, own: QuestionErrors | None, lang: str) -> str:
    """The message for error `code` (flow.read's codes) on the question `view` shows."""
    _ = translations(lang).gettext
    texts = TextLookup(lang)
    if code == "missing":
        if own is not None and own.missing is not None:
            return texts.get(own.missing)
        if view.id == EVENT_DATE:
            return _("Enter the date, or choose “I don't know yet”")
        general = {
            "multiple": _("Select at least one answer"),
            "number": _("Enter a number"),
            "date": _("Enter a date, for example 27 3 2027"),
        }
        return general.get(view.type, _("Select an answer"))
    if code == "out_of_range":
        low, high = _limit(view.minimum, lang), _limit(view.maximum, lang)
        if own is not None and own.out_of_range is not None:
            text = texts.get(own.out_of_range)
            return text.replace("{minimum}", low or "").replace("{maximum}", high or "")
        return _range(view.type, low, high, lang)
    if code in ("date", "wrong_type"):
        if own is not None and own.invalid is not None:
            return texts.get(own.invalid)
        if view.type == "date":
            return _("Enter a real date, for example 27 3 2027")
        if view.type == "number":
            if view.integer:
                return _("Enter a whole number, for example 3")
            return _("Enter a number, for example 2.5")
    if code == "too_long":
        return _("The answer is too long")
    return _("Select one of the answers")


def _range(kind: str, low: str | None, high: str | None, lang: str) -> str:
    _ = translations(lang).gettext
    if kind == "date":
        if low and high:
            return _("Enter a date between %(minimum)s and %(maximum)s") % {
                "minimum": low,
                "maximum": high,
            }
        if low:
            return _("Enter a date on or after %(minimum)s") % {"minimum": low}
        return _("Enter a date on or before %(maximum)s") % {"maximum": high}
    if low and high:
        return _("Enter a number between %(minimum)s and %(maximum)s") % {
            "minimum": low,
            "maximum": high,
        }
    if low:
        return _("Enter a number that is %(minimum)s or more") % {"minimum": low}
    return _("Enter a number that is %(maximum)s or less") % {"maximum": high}


def _limit(value: int | float | dt.date | None, lang: str) -> str | None:
    """A minimum or maximum as people write it: 1950 (no thousands separator), 2,5, 12.4.2027."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return format_date(value, lang)
    return format_decimal(value, locale=lang, group_separator=False)
