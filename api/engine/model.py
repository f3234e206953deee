"""The journey file format, as strict pydantic models.

These models are the single definition of the format: the loader validates files with them and the
JSON Schema in `journeys/schema/` is generated from them. Unknown keys are rejected everywhere, so a
typo in a journey file is an error with a place, never a silently ignored field.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

LANGS: tuple[str, ...] = ("fi", "sv", "en")
# A named alias, so the OpenAPI has one `Lang` schema that every operation refers to (and a
# generated client one enum), not an inline enum per field and parameter.
Lang = TypeAliasType(
    "Lang",
    Annotated[
        Literal["fi", "sv", "en"],
        Field(description="A language: Finnish, Swedish or English", examples=["fi"]),
    ],
)

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
STEP_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# A "comes after" reference: a step id in the same journey, or `journey-slug/step-id`.
STEP_REF_PATTERN = r"^([a-z0-9]+(-[a-z0-9]+)*/)?[a-z0-9]+(-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://[^\s]+$"
LIFE_EVENT_PATTERN = r"^KE[0-9]+(\.[0-9]+)?$"

# The literal answer a person gives when a question offers "not sure".
NOT_SURE = "not_sure"
# Conditions may compare the event date itself, as if it were a date question with this id.
EVENT_DATE = "event_date"

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Identifier = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
StepId = Annotated[str, Field(pattern=STEP_ID_PATTERN, max_length=80)]
StepRef = Annotated[str, Field(pattern=STEP_REF_PATTERN, max_length=161)]
Url = Annotated[str, Field(pattern=URL_PATTERN, max_length=2000)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Base for every format model: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Finnish, Swedish and English. Finnish is required; the check reports a missing
    Swedish or English text so that it is written before publishing."""

    fi: NonEmpty
    sv: NonEmpty | None = None
    en: NonEmpty | None = None

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to Finnish."""
        value: str | None = getattr(self, lang, None)
        return value if value is not None else self.fi

    def has(self, lang: str) -> bool:
        return getattr(self, lang, None) is not None


class LocalUrl(Strict):
    """An address per language, for pages that exist in several languages."""

    fi: Url
    sv: Url | None = None
    en: Url | None = None

    def get(self, lang: str) -> tuple[str, str]:
        """The address for `lang` and the language that address is actually in."""
        value: str | None = getattr(self, lang, None)
        return (value, lang) if value is not None else (self.fi, "fi")


class Organisation(Strict):
    id: Identifier
    name: Text
    url: LocalUrl
    ptv_id: str | None = Field(None, description="Suomi.fi service catalogue (PTV) organisation id")


class OrganisationsFile(Strict):
    organisations: list[Organisation]


HOST_PATTERN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"
# A path prefix in a domain's language sections, matched whole segment by segment: `/sv`
# matches `/sv` and `/sv/...`, never `/sv_SE`.
PATH_PREFIX_PATTERN = r"^/[^\s?#]*$"
Host = Annotated[str, Field(pattern=HOST_PATTERN, max_length=253)]
PathPrefix = Annotated[str, Field(pattern=PATH_PREFIX_PATTERN, max_length=200)]


class DomainKind(StrEnum):
    authority = "authority"
    court = "court"
    legal_database = "legal_database"
    wellbeing_county = "wellbeing_county"
    municipality = "municipality"
    parish = "parish"
    non_official = "non_official"


class Domain(Strict):
    """A domain links may point to (with its subdomains), whose it is and how its addresses
    show a page's language."""

    domain: Host
    owner: NonEmpty = Field(description="Who runs the site, by its official name")
    kind: DomainKind
    reason: NonEmpty | None = Field(
        None, description="Why a non-official source is linked (required for non_official)"
    )
    languages: dict[Lang, list[PathPrefix]] = Field(
        default_factory=dict,
        description="Path prefixes of the site's Finnish, Swedish and English sections",
    )
    default_language: Lang | None = Field(
        None, description="The language of a page under none of the prefixes"
    )
    other_languages: list[PathPrefix] = Field(
        default_factory=list,
        description="Path prefixes of sections in other languages; never linked",
    )

    @model_validator(mode="after")
    def _reason_when_non_official(self) -> Self:
        if (self.kind == DomainKind.non_official) != (self.reason is not None):
            raise ValueError(
                "a non_official domain needs a reason, and only a non_official one has one"
            )
        return self


class RefusedDomain(Strict):
    """A domain links must not point to: a press-release mirror or a closed agency's site."""

    domain: Host
    why: Literal["press_release_mirror", "legacy"]
    reason: NonEmpty = Field(description="What it is and what to link instead")
    successor: Host | None = Field(None, description="Where a legacy site's content moved")


class DomainsFile(Strict):
    domains: list[Domain]
    refused: list[RefusedDomain] = Field(default_factory=list)


class LifeEvent(Strict):
    code: Annotated[str, Field(pattern=LIFE_EVENT_PATTERN)]
    parent: Annotated[str, Field(pattern=LIFE_EVENT_PATTERN)] | None = None
    label: Text
    uri: Url
    note: str | None = Field(None, description="Why a label differs from the published code list")


class LifeEventsFile(Strict):
    life_events: list[LifeEvent]
    common: list[Slug] = Field(
        default_factory=list,
        description=(
            "Journeys offered as common life events when a search finds nothing, in this order: "
            "an editorial choice, not a usage count"
        ),
    )


class TermForms(Strict):
    """The words that stand for a term in running text, per language: the term itself and its
    inflected and variant forms (Finnish inflects: perunkirjoitus, perunkirjoituksen,
    perunkirjoitukseen). Matched as whole words; a form in capitals (an acronym such as YEL)
    only in capitals, any other in any case."""

    fi: list[NonEmpty] = Field(default_factory=list)
    sv: list[NonEmpty] = Field(default_factory=list)
    en: list[NonEmpty] = Field(default_factory=list)


class TermSource(Strict):
    """The official page an explanation rests on."""

    title: Text
    url: LocalUrl


class Term(Strict):
    """A word of official life that people meet in the steps, explained plainly."""

    id: Slug = Field(description="The term's anchor on the glossary pages, e.g. estate-inventory")
    term: Text = Field(description="The term as a heading, e.g. perunkirjoitus")
    forms: TermForms = Field(
        default_factory=TermForms,
        description="Other forms to recognise in step texts (the term itself always is)",
    )
    explanation: Text = Field(description="What it means, in plain words, one or two sentences")
    source: TermSource

    def forms_in(self, lang: str) -> list[str]:
        """Every form to look for in a text in `lang`, the term itself first."""
        own = [self.term.get(lang)] if self.term.has(lang) else []
        return list(dict.fromkeys([*own, *getattr(self.forms, lang)]))


class GlossaryFile(Strict):
    terms: list[Term]


# --- conditions ---------------------------------------------------------------------------------

COMPARISONS: tuple[str, ...] = (
    "equals",
    "one_of",
    "includes",
    "answered",
    "less_than",
    "at_most",
    "more_than",
    "at_least",
    "before",
    "on_or_before",
    "after",
    "on_or_after",
)
NUMBER_COMPARISONS = ("less_than", "at_most", "more_than", "at_least")
DATE_COMPARISONS = ("before", "on_or_before", "after", "on_or_after")

ConditionValue = bool | int | float | dt.date | str


class Condition(Strict):
    """One condition: `all`, `any` or `not` over other conditions, or a question with exactly one
    comparison. Conditions are data: they are checked against the questions, never executed."""

    all: list[Condition] | None = Field(None, description="True when every condition is true")
    any: list[Condition] | None = Field(None, description="True when at least one is true")
    not_: Condition | None = Field(None, alias="not", description="True when the condition is not")
    question: Identifier | None = Field(None, description="The question this comparison reads")
    equals: ConditionValue | None = Field(None, description="The answer is this option or value")
    one_of: list[str] | None = Field(None, description="The answer is one of these options")
    includes: str | None = Field(None, description="A multiple-choice answer includes this option")
    answered: Literal[True] | None = Field(
        None,
        description=(
            "The person answered the question; a 'not sure' answer leaves the step in the plan "
            "marked 'check whether this applies to you'"
        ),
    )
    less_than: int | float | None = None
    at_most: int | float | None = None
    more_than: int | float | None = None
    at_least: int | float | None = None
    before: dt.date | None = None
    on_or_before: dt.date | None = None
    after: dt.date | None = None
    on_or_after: dt.date | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("equals")
    @classmethod
    def _iso_date(cls, value: ConditionValue | None) -> ConditionValue | None:
        # JSON has no dates: "2027-01-01" in a condition read from JSON means the date. Option
        # ids start with a letter, so no option is mistaken for one.
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        return value

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        groups = [name for name in ("all", "any", "not_") if getattr(self, name) is not None]
        comparisons = [name for name in COMPARISONS if getattr(self, name) is not None]
        if self.question is not None:
            if groups:
                raise ValueError(
                    "a condition is either a group (all, any, not) or a question, not both"
                )
            if len(comparisons) != 1:
                raise ValueError(
                    "a question condition needs exactly one comparison, one of: "
                    + ", ".join(COMPARISONS)
                )
            return self
        if comparisons:
            raise ValueError(f"'{comparisons[0]}' needs a 'question' beside it")
        if len(groups) != 1:
            raise ValueError("a condition needs exactly one of: all, any, not, or question")
        if groups[0] in ("all", "any") and not getattr(self, groups[0]):
            raise ValueError(f"'{groups[0]}' needs at least one condition")
        return self

    @property
    def comparison(self) -> str:
        """The name of this question condition's comparison."""
        return next(name for name in COMPARISONS if getattr(self, name) is not None)


# --- questions ----------------------------------------------------------------------------------


class QuestionType(StrEnum):
    choice = "choice"
    multiple = "multiple"
    yes_no = "yes_no"
    date = "date"
    number = "number"


class Option(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
    label: Text | None = Field(None, description="Required except on yes/no questions")
    you_said: Text | None = Field(
        None,
        description=(
            "What the person said, to complete 'You said ...' in a step's reasons, e.g. "
            "'you are moving abroad'"
        ),
    )


class QuestionErrors(Strict):
    """A question's own error messages, written for it, in place of the general ones."""

    missing: Text | None = Field(
        None,
        description="No answer was given, e.g. 'Select whether you are moving abroad'",
    )
    invalid: Text | None = Field(
        None,
        description=(
            "Date and number questions: the answer is not a date or a number, e.g. 'Enter the "
            "year you were born as a number, like 1960'"
        ),
    )
    out_of_range: Text | None = Field(
        None,
        description=(
            "Date and number questions: the answer is outside minimum and maximum; write "
            "{minimum} and {maximum} where they go, e.g. 'Enter a year between {minimum} and "
            "{maximum}'"
        ),
    )


class Question(Strict):
    id: Identifier
    type: QuestionType
    label: Text
    hint: Text | None = None
    options: list[Option] = Field(default_factory=list)
    not_sure: bool = Field(False, description="Offer a 'not sure' answer")
    asked_when: Condition | None = Field(None, description="Ask only when this holds")
    minimum: int | float | dt.date | None = Field(None, description="Number or date questions")
    maximum: int | float | dt.date | None = None
    integer: bool = Field(True, description="Number questions: whole numbers only")
    you_said: Text | None = Field(
        None,
        description="Date and number questions: 'You said ...' text with {answer} in it",
    )
    errors: QuestionErrors | None = Field(
        None, description="Error messages written for this question, instead of the general ones"
    )

    @model_validator(mode="after")
    def _options_fit_type(self) -> Self:
        ids = [option.id for option in self.options]
        if len(ids) != len(set(ids)):
            raise _coded("option_ids_twice", "option ids must be unique within a question")
        if NOT_SURE in ids:
            raise _coded(
                "option_not_sure_reserved", f"'{NOT_SURE}' is reserved; set not_sure: true instead"
            )
        if self.type in (QuestionType.choice, QuestionType.multiple):
            if len(self.options) < 2:
                raise _coded(
                    "options_two_needed",
                    "a {type} question needs at least two options",
                    type=self.type.value,
                )
            if any(option.label is None for option in self.options):
                raise _coded("option_label_needed", "every option of a choice needs a label")
        elif self.type is QuestionType.yes_no:
            if ids and sorted(ids) != ["no", "yes"]:
                raise _coded(
                    "options_yes_no", "a yes_no question's options, if given, are 'yes' and 'no'"
                )
        elif self.options:
            raise _coded("options_none", "a {type} question has no options", type=self.type.value)
        if self.type is not QuestionType.number and (
            isinstance(self.minimum, int | float) or isinstance(self.maximum, int | float)
        ):
            raise ValueError("numeric minimum and maximum are for number questions")
        if self.type is not QuestionType.date and (
            isinstance(self.minimum, dt.date) or isinstance(self.maximum, dt.date)
        ):
            raise ValueError("date minimum and maximum are for date questions")
        return self


def _coded(code: str, message: str, **context: str) -> PydanticCustomError:
    """A refusal whose English message is as before, with a code and values the checker keeps
    (api.engine.catalogue) so that the editor pages can say it in their language."""
    return PydanticCustomError(f"polku_{code}", message, context)


class SharedQuestion(Strict):
    """A reference to a question defined once in `shared/questions.yaml`."""

    shared: Identifier


def _question_entry_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "SharedQuestion" if "shared" in value else "Question"
    return type(value).__name__


# A journey lists its own questions and references to shared ones, in the order they are asked.
QuestionEntry = Annotated[
    Annotated[Question, Tag("Question")] | Annotated[SharedQuestion, Tag("SharedQuestion")],
    Discriminator(_question_entry_kind),
]


class QuestionsFile(Strict):
    questions: list[Question]


# --- steps, chains, scenarios -------------------------------------------------------------------


class Period(Strict):
    """A length of time: exactly one of days, weeks, months or years."""

    # 0 days: the event date itself (a deadline "no later than on the first day of unemployment").
    days: Annotated[int, Field(ge=0, le=3650)] | None = None
    weeks: Annotated[int, Field(ge=1, le=520)] | None = None
    months: Annotated[int, Field(ge=1, le=120)] | None = None
    years: Annotated[int, Field(ge=1, le=10)] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [
            unit for unit in ("days", "weeks", "months", "years") if getattr(self, unit) is not None
        ]
        if len(given) != 1:
            raise ValueError("a period is exactly one of: days, weeks, months, years")
        return self

    @property
    def unit(self) -> str:
        return next(u for u in ("days", "weeks", "months", "years") if getattr(self, u) is not None)

    @property
    def count(self) -> int:
        value: int = getattr(self, self.unit)
        return value


class CountedFrom(Strict):
    """Another day than the event date that a limit is counted from: the answer to a date question
    (the day of the estate inventory meeting, say)."""

    question: Identifier = Field(description="A date question this journey asks")
    after: Text = Field(
        description="e.g. 'after the estate inventory meeting' in 'within 1 month after ...'"
    )
    before: Text | None = Field(None, description="e.g. 'before the meeting', for `before` limits")


class CountedDay(Strict):
    """A day counted from the event date, after it or before it, citing the rule's source. As
    `earliest`, the first day a step can be done: never moved off a day off."""

    after: Period | None = Field(None, description="Counted forwards from the event date")
    before: Period | None = Field(None, description="Counted backwards from the event date")
    counted_from: CountedFrom | None = Field(
        None,
        description=(
            "Counted from the answer to a date question instead of the event date; no date "
            "until the person gives it"
        ),
    )
    source: Identifier = Field(
        description="The id of the source (in the journey's sources) that sets it"
    )

    @model_validator(mode="after")
    def _one_direction(self) -> Self:
        if (self.after is None) == (self.before is None):
            raise ValueError("a deadline is exactly one of: after, before")
        if self.before is not None and self.counted_from and self.counted_from.before is None:
            raise ValueError("a limit before another day needs counted_from.before: the words")
        return self

    @property
    def direction(self) -> Literal["after", "before"]:
        return "after" if self.after is not None else "before"

    @property
    def period(self) -> Period:
        period = self.after if self.after is not None else self.before
        assert period is not None  # guaranteed by the validator
        return period


class Deadline(CountedDay):
    """The last day to act. Whether it moves off a weekend or holiday is the editor's decision,
    never a default: a wrong `true` shows a later date than the law allows."""

    working_day_rule: bool = Field(
        description=(
            "true: a last day on a weekend or holiday moves to the next working day (Act 150/1930 "
            "§ 5), for limits set by law and observed at a court or an authority. false: the day "
            "stays, for limits among private parties, an authority's advice, or when unsure."
        ),
    )


class StepKind(StrEnum):
    task = "task"
    advice = "advice"
    automatic = "automatic"


class Timing(StrEnum):
    before = "before"
    around = "around"
    after = "after"


# Steps are shown before the event, around it, then after it.
TIMING_ORDER = {Timing.before: 0, Timing.around: 1, Timing.after: 2}


class Link(Strict):
    label: Text
    url: LocalUrl
    e_service: bool = Field(False, description="The link is the e-service where the step is done")


class Source(Strict):
    id: Identifier
    title: Text
    url: Url
    law: bool = Field(False, description="The source is a statute (Finlex)")


class Step(Strict):
    id: StepId
    kind: StepKind
    title: Text
    body: Text = Field(description="Plain-language markdown")
    organisation: Identifier | None = None
    links: list[Link] = Field(default_factory=list)
    when: Condition | None = Field(
        None, description="Whom the step applies to; everyone if left out"
    )
    timing: Timing
    deadline: Deadline | None = None
    earliest: CountedDay | None = Field(None, description="The first day the step can be done")
    after: list[StepRef] = Field(default_factory=list, description="Steps this one comes after")
    sources: list[Identifier] = Field(default_factory=list)
    ptv_service: str | None = Field(None, description="Suomi.fi service catalogue (PTV) service id")
    deadline_in_text: str | None = Field(
        None,
        description=(
            "Why the body states a time limit the step carries no deadline for (it is counted "
            "from a day the plan does not know, say); for the editors, never shown"
        ),
    )

    @field_validator("deadline_in_text")
    @classmethod
    def _a_reason(cls, value: str | None) -> str | None:
        if value is not None and len(value.split()) < 3:
            raise ValueError(
                "deadline_in_text needs a reason in words: why this step's limit cannot be a "
                "deadline counted from the event date, e.g. 'counted from the inventory "
                "meeting, which the plan does not know'"
            )
        return value


class ChainMode(StrEnum):
    include = "include"
    suggest = "suggest"


class Chain(Strict):
    journey: Slug
    mode: ChainMode
    when: Condition | None = None
    reason: Text
    timing: Timing | None = Field(
        None,
        description=(
            "include only: when the included journey's event happens relative to this one's "
            "(default after); its steps are shown there, in their own order"
        ),
    )


class Keywords(Strict):
    """Words people use for the situation, per language, for search: synonyms, everyday and
    inflected forms the stemmer does not join (e.g. työtön and työttömänä), parts of compounds
    (ero in avioero)."""

    fi: list[NonEmpty] = Field(default_factory=list)
    sv: list[NonEmpty] = Field(default_factory=list)
    en: list[NonEmpty] = Field(default_factory=list)


class EventDate(Strict):
    """How the event date is asked for and named in deadline rules."""

    label: Text = Field(description="The date asked for, e.g. 'Moving day'")
    question: Text | None = Field(
        None,
        description=(
            "The date as the question pages ask it, e.g. 'When are you moving?' (the label "
            "if left out)"
        ),
    )
    hint: Text | None = Field(
        None,
        description=(
            "Why the date is asked, under the question, e.g. 'The deadlines are counted from "
            "the moving day.' (the pages add an example date)"
        ),
    )
    after: Text = Field(
        description="e.g. 'after the moving day' in 'within 1 week after the moving day'"
    )
    before: Text = Field(description="e.g. 'before the moving day'")


class TimingHeadings(Strict):
    """The plan's headings for its steps by timing, written for the event ("Ennen muuttoa",
    "Muuttopäivänä", "Muuton jälkeen"); a timing left out gets a general heading."""

    before: Text | None = None
    around: Text | None = None
    after: Text | None = None


class Expectations(Strict):
    steps: list[StepRef] = Field(default_factory=list, description="Steps the person must get")
    not_steps: list[StepRef] = Field(default_factory=list, description="Steps they must not get")
    check: list[StepRef] = Field(
        default_factory=list, description="Steps marked 'check whether this applies to you'"
    )
    due: dict[StepRef, dt.date] = Field(default_factory=dict, description="Due dates they must see")
    overdue: list[StepRef] = Field(default_factory=list, description="Steps marked overdue")
    chains: list[Slug] = Field(default_factory=list, description="Follow-on journeys offered")
    not_chains: list[Slug] = Field(default_factory=list)
    included: list[Slug] = Field(
        default_factory=list, description="Journeys whose steps are included"
    )
    not_included: list[Slug] = Field(
        default_factory=list, description="Journeys whose steps must not be included"
    )
    questions: list[Identifier] | None = Field(
        None, description="Exactly the questions still to ask, in order ([] when complete)"
    )


class Scenario(Strict):
    name: NonEmpty = Field(description="A sentence describing the person")
    answers: dict[str, Any] = Field(default_factory=dict)
    event_date: dt.date | None = None
    today: dt.date | None = None
    expect: Expectations


class Journey(Strict):
    slug: Slug
    kind: Literal["life", "business"]
    life_events: list[Annotated[str, Field(pattern=LIFE_EVENT_PATTERN)]] = Field(
        default_factory=list
    )
    title: Text
    summary: Text
    keywords: Keywords | None = Field(
        None, description="Search words and synonyms per language, besides title and summary"
    )
    you_will_need: Text | None = Field(None, description="What to have at hand, markdown")
    owner: Identifier = Field(description="The organisation that owns this content")
    last_reviewed: dt.date
    sources: Annotated[list[Source], Field(min_length=1)]
    event_date: EventDate
    timing_headings: TimingHeadings | None = Field(
        None, description="Headings for the plan's steps before, around and after the event"
    )
    questions: list[QuestionEntry] = Field(default_factory=list)
    steps: Annotated[list[Step], Field(min_length=1)]
    chains: list[Chain] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)


def event_date_question(journey: Journey) -> Question:
    """The event date as a date question, for conditions and reasons."""
    return Question(id=EVENT_DATE, type=QuestionType.date, label=journey.event_date.label)


def split_step_ref(ref: str, journey: str) -> tuple[str, str]:
    """`step-id` or `journey/step-id` as (journey, step id)."""
    if "/" in ref:
        owner, step = ref.split("/", 1)
        return owner, step
    return journey, ref


def is_slug(value: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, value) is not None
