"""The journey checker's problems in the editor's language. The engine gives each problem an
English message and, for most, a stable code and the values in it (api.engine.problems.Coded);
here each code has its English sentence as a gettext message id, translated in the .po
catalogues. A problem without a code, or one stored before codes existed, stays English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.http.numbers import whole_number
from api.pages.i18n import translations


def N_(message: str) -> str:  # noqa: N802 (the name Babel looks for)
    """Marks a message for the catalogues (extracted by Babel) without translating it here."""
    return message


UNKNOWN_IN_JOURNEY = N_(
    "unknown question '%(question)s': it is not asked in this journey; define it in questions "
    "or add '- shared: <id>' for a shared question"
)
MESSAGES = {
    "unknown_question": UNKNOWN_IN_JOURNEY,
    "condition_use_includes": N_(
        "'%(question)s' is a %(type)s question: use 'includes' (one option) or 'one_of' "
        "(any of several)"
    ),
    "condition_yes_or_no": N_(
        "'%(question)s' is a %(type)s question: write the answer as 'yes' or 'no', not %(value)s"
    ),
    "condition_not_an_option": N_(
        "'%(value)s' is not an option of '%(question)s'; the options are: %(options)s"
    ),
    "condition_one_of_for_choices": N_(
        "'%(question)s' is a %(type)s question: 'one_of' is for choice questions; compare "
        "numbers or dates instead"
    ),
    "condition_number": N_("'%(question)s' is a %(type)s question: compare it with a number"),
    "condition_date": N_(
        "'%(question)s' is a %(type)s question: compare it with a date (YYYY-MM-DD)"
    ),
    "condition_includes_for_multiple": N_(
        "'%(question)s' is a %(type)s question: 'includes' is for multiple-choice questions; "
        "use 'equals'"
    ),
    "condition_compares_numbers_date": N_(
        "'%(question)s' is a %(type)s question: '%(comparison)s' compares numbers; use before, "
        "on_or_before, after or on_or_after"
    ),
    "condition_compares_numbers_choice": N_(
        "'%(question)s' is a %(type)s question: '%(comparison)s' compares numbers; use equals "
        "or one_of"
    ),
    "condition_compares_dates_number": N_(
        "'%(question)s' is a %(type)s question: '%(comparison)s' compares dates; use "
        "less_than, at_most, more_than or at_least"
    ),
    "condition_compares_dates_choice": N_(
        "'%(question)s' is a %(type)s question: '%(comparison)s' compares dates; use equals "
        "or one_of"
    ),
    "condition_never": N_(
        "this can never apply: it needs '%(question)s' to be two different answers at once"
    ),
    "unknown_step": N_("unknown step '%(step)s'"),
    "after_itself": N_("a step cannot come after itself"),
    "after_timing": N_(
        "this step is timed '%(timing)s' but comes after '%(step)s', timed '%(other_timing)s': "
        "change one timing"
    ),
    "deadline_before_timing": N_(
        "a deadline before the event needs timing: before, or people see it too late"
    ),
    "question_unused": N_(
        "no step, chain or question depends on '%(question)s': asking it wastes the person's "
        "time; use it in a condition or remove it"
    ),
    "questions_circle": N_("questions cannot depend on each other in a circle: %(circle)s"),
    "steps_circle": N_("steps cannot come after each other in a circle: %(circle)s"),
    "text_missing": N_("the %(language)s text is missing"),
    "step_id_twice": N_("the step id '%(id)s' is used twice"),
    "source_id_twice": N_("the source id '%(id)s' is used twice"),
    "unknown_organisation": N_(
        "unknown organisation '%(organisation)s': define it in shared/organisations.yaml"
    ),
    "journey_broken": N_(
        "the journey '%(journey)s' cannot be used until the problems in its file are fixed"
    ),
    "unknown_journey": N_("unknown journey '%(journey)s'"),
    "unknown_source": N_("unknown source '%(source)s': add it to this journey's sources"),
    "step_not_reached": N_(
        "no scenario reaches the step '%(key)s': add a scenario whose person gets it"
    ),
    "question_not_reached": N_(
        "no scenario reaches the question '%(key)s': add a scenario whose person gets it"
    ),
    "chain_not_reached": N_(
        "no scenario reaches the chain '%(key)s': add a scenario whose person gets it"
    ),
    "format_unknown_key": N_("unknown key '%(key)s'"),
    "format_unknown_key_hint": N_("unknown key '%(key)s'; did you mean '%(hint)s'?"),
    "format_missing": N_("'%(key)s' is required here"),
    "format_missing_working_day_rule": N_(
        "'working_day_rule' is required here: true if a law sets the limit and it is observed "
        "at a court or an authority (Act 150/1930 moves a last day off a weekend or holiday), "
        "false if not or if unsure (journeys/README.md, Deadlines)"
    ),
    "format_date": N_("expected a date as YYYY-MM-DD, not '%(value)s'"),
    "format_pattern_slug": N_(
        "'%(value)s' is not valid here: use lowercase letters and digits in words joined by "
        "single hyphens, e.g. moving-abroad or notify-dvv"
    ),
    "format_pattern_id": N_(
        "'%(value)s' is not a valid id: a lowercase letter, then lowercase letters, digits or "
        "_, e.g. moving_to"
    ),
    "format_pattern_step_ref": N_(
        "'%(value)s' is not a valid step reference: a step id such as notify-dvv, or "
        "journey/step-id such as moving/notify-dvv"
    ),
    "format_pattern_url": N_(
        "'%(value)s' is not a web address starting with https:// (or http://)"
    ),
    "format_pattern_life_event": N_(
        "'%(value)s' is not a Suomi.fi life-event code such as KE4 or KE4.2"
    ),
    "format_pattern_other": N_("'%(value)s' is not allowed here"),
    "format_literal_error": N_("must be %(expected)s"),
    "format_model_type": N_("expected keys and values (a mapping) here"),
    "format_dict_type": N_("expected keys and values (a mapping) here"),
    "format_model_attributes_type": N_("expected keys and values (a mapping) here"),
    "format_list_type": N_("expected a list here"),
    "format_string_type": N_("expected text here"),
    "format_string_too_short": N_("must not be empty"),
    "format_too_short": N_("needs at least %(min_length)s item(s)"),
    "format_int_type": N_("expected a whole number"),
    "format_int_parsing": N_("expected a whole number"),
    "format_int_from_float": N_("expected a whole number"),
    "format_greater_than_equal": N_("must be at least %(ge)s"),
    "format_less_than_equal": N_("must be at most %(le)s"),
    "format_string_too_long": N_("is too long (at most %(max_length)s characters)"),
    "format_bool_type": N_("expected true or false"),
    "format_bool_parsing": N_("expected true or false"),
    "unknown_life_event": N_("unknown life-event code '%(life_event)s'"),
    "unknown_life_event_parent": N_("unknown life event '%(life_event)s'"),
    "question_id_reserved": N_(
        "'%(question)s' is reserved (event_date, lang and today are plan parameters): choose "
        "another id"
    ),
    "question_twice": N_("the question '%(question)s' is listed twice"),
    "unknown_shared_question": N_("unknown shared question '%(question)s': define it in %(file)s"),
    "question_is_shared": N_(
        "'%(question)s' is a shared question: list it as '- shared: %(question)s' instead"
    ),
    "question_defined_differently": N_(
        "the question id '%(question)s' is already defined differently in %(file)s; answers "
        "are keyed by the id, so give this question another id, make the two definitions the "
        "same, or define it once in %(shared_file)s and share it"
    ),
    "shared_question_needs": N_(
        "the shared question '%(question)s' is asked only when '%(other)s' is answered, but "
        "this journey does not ask '%(other)s': add '- shared: %(other)s' before it"
    ),
    "counted_from_unknown": N_(
        "unknown question '%(question)s': a limit is counted from the answer to a date "
        "question this journey asks (leave counted_from out to count from the event date)"
    ),
    "counted_from_not_date": N_("'%(question)s' is not a date question: a limit needs a date"),
    "chain_timing_include_only": N_("timing is for included journeys only"),
    "chain_to_itself": N_("a journey cannot chain to itself"),
    "scenario_due_included": N_(
        "steps of an included journey get no date in this journey's plan (their own event "
        "date differs); expect a date only for this journey's steps"
    ),
    "you_said_on_options": N_("put you_said on each option of a choice question"),
    "you_said_answer": N_("write {answer} where the answer goes"),
    "journeys_circle": N_("journeys cannot include each other in a circle: %(circle)s"),
    "journey_twice": N_("the journey '%(journey)s' is listed twice"),
    "option_ids_twice": N_("option ids must be unique within a question"),
    "option_not_sure_reserved": N_("'not_sure' is reserved; set not_sure: true instead"),
    "options_two_needed": N_("a %(type)s question needs at least two options"),
    "option_label_needed": N_("every option of a choice needs a label"),
    "options_yes_no": N_("a yes_no question's options, if given, are 'yes' and 'no'"),
    "options_none": N_("a %(type)s question has no options"),
}
# Values that are words of the format, shown in the editor's language.
LANGUAGE_NAMES = {"sv": N_("Swedish"), "en": N_("English"), "fi": N_("Finnish")}
QUESTION_TYPES = {
    "choice": N_("choice"),
    "multiple": N_("multiple"),
    "yes_no": N_("yes_no"),
    "date": N_("date"),
    "number": N_("number"),
}
TIMINGS = {"before": N_("before"), "around": N_("around"), "after": N_("after")}


def message(problem: Mapping[str, Any] | Any, lang: str) -> str:
    """A stored or answered problem's message (a mapping or a ContentPlaceRead) in `lang`,
    its English one when it has no code."""

    def get(key: str) -> Any:
        if isinstance(problem, Mapping):
            return problem.get(key)
        return getattr(problem, key, None)

    english = str(get("message") or "")
    template = MESSAGES.get(str(get("code") or ""))
    params = get("params")
    if template is None or not isinstance(params, dict):
        return english
    _ = translations(lang).gettext
    values = {str(k): str(v) for k, v in params.items()}
    if "language" not in values and "lang" in values:
        values["language"] = _(LANGUAGE_NAMES.get(values["lang"], values["lang"]))
    for key, words in (("type", QUESTION_TYPES), ("timing", TIMINGS), ("other_timing", TIMINGS)):
        if key in values and values[key] in words:
            values[key] = _(words[values[key]])
    try:
        return _(template) % values
    except (KeyError, ValueError, TypeError):  # a message stored by another version
        return english


# The editor forms' field names (api.editor_pages.step_form) as the words their labels use, so
# that the error summary names the field each problem is at. A prefix such as `link-0` numbers
# a row; the parts after it are read in that row's words.
_ROWS = {
    "link": N_("Link %(number)d"),
    "option": N_("Option %(number)d"),
    "source": N_("Source %(number)d"),
    "chain": N_("Other journey %(number)d"),
}
_WORDS: dict[str, dict[str, str]] = {
    "": {
        "id": N_("Id"),
        "kind": N_("Kind"),
        "type": N_("Kind"),
        "timing": N_("Timing"),
        "organisation": N_("Organisation"),
        "owner": N_("Organisation that owns the journey"),
        "after": N_("Comes after"),
        "title": N_("Title"),
        "body": N_("Text (Markdown)"),
        "label": N_("Question"),
        "hint": N_("Hint"),
        "summary": N_("Summary"),
        "you_will_need": N_("What to have at hand (Markdown)"),
        "keywords": N_("Search keywords"),
        "deadline": N_("Deadline"),
        "earliest": N_("Earliest day"),
        "event_date": N_("The day of the event"),
        "today": N_("Today in the scenario"),
        "when": N_("Condition"),
    },
    "deadline": {
        "amount": N_("Amount"),
        "unit": N_("Unit"),
        "source": N_("Source that sets it"),
        "working_day_rule": N_("Working-day rule"),
    },
    "link": {"label": N_("Link text"), "url": N_("Address")},
    "option": {"id": N_("Id"), "label": N_("Answer"), "you_said": N_("You said …")},
    "source": {"id": N_("Id"), "url": N_("Address"), "title": N_("Title")},
    "chain": {
        "journey": N_("Journey"),
        "mode": N_("How"),
        "timing": N_("Timing"),
        "reason": N_("Why it is offered"),
        "when": N_("Whom it applies to (a condition in YAML; empty for everyone)"),
    },
    "when": {
        "question": N_("Question"),
        "operator": N_("Comparison"),
        "value": N_("Value"),
        "yaml": N_("Or the condition in YAML"),
        "group": N_("Which must hold"),
    },
}
_WORDS["earliest"] = _WORDS["deadline"]


def field_label(name: str, lang: str) -> str:
    """A form field's name (`deadline.amount`, `link-0.url.sv`, `when.0.1.value`) in the words
    of its labels in `lang`, e.g. "Deadline, Amount"; empty for a name it does not know."""
    _ = translations(lang).gettext
    parts = name.split(".")
    head, _dash, index = parts[0].partition("-")
    words: list[str] = []
    row = whole_number(index)
    if head in _ROWS and row is not None:
        words.append(_(_ROWS[head]) % {"number": row + 1})
        context = head
    elif parts[0] in _WORDS[""]:
        words.append(_(_WORDS[""][parts[0]]))
        context = parts[0]
    else:
        return ""
    numbers = [str(n + 1) for p in parts[1:] if (n := whole_number(p)) is not None]
    if numbers and context == "when":
        number = ".".join(numbers)
        rule = parts[-1] != "group"
        words[-1] = _(N_("Rule %(number)s") if rule else N_("Group %(number)s")) % {
            "number": number
        }
    for part in parts[1:]:
        if part in _WORDS.get(context, {}):
            words.append(_(_WORDS[context][part]))
        elif part in LANGUAGE_NAMES:
            words.append(_(LANGUAGE_NAMES[part]))
    return ", ".join(words)
