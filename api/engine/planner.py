"""Plan assembly: a person's answers, event date and language in; the questions still to ask and
the ordered, explained, dated steps out.

A `Planner` is built once from a validated catalogue (`api.engine.prepare`) and then plans many
times without touching files or a database. The same inputs always give the same plan. What a
plan is: `api.engine.plan`; its texts: `api.engine.texts`; its order: `api.engine.ordering`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from api.engine import phrases
from api.engine.answers import Answer, AnswerProblem, AnswersRefused, check_answers
from api.engine.catalogue import Catalogue
from api.engine.conditions import (
    FALSE,
    PENDING,
    TRUE,
    UNSURE,
    Evaluator,
    State,
    compile_condition,
    questions_in,
    telling_answers,
)
from api.engine.deadlines import first_day, last_day
from api.engine.model import (
    EVENT_DATE,
    LANGS,
    TIMING_ORDER,
    CountedDay,
    Journey,
    Question,
    StepKind,
    Timing,
)
from api.engine.ordering import SortKey, in_order, sort_key
from api.engine.plan import ChainView, Plan, PlanStep, QuestionView
from api.engine.prepare import Prepared, PreparedChain, PreparedJourney, prepare_catalogue
from api.engine.texts import PlanTexts

# The event dates a plan accepts: deadlines of up to ten years either side stay in the calendar.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


class JourneyNotInCatalogue(LookupError):
    """The engine's own: the API answers it with `api.errors.UnknownJourney` (404)."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"there is no journey '{slug}'")
        self.slug = slug


@dataclass(slots=True)
class _Membership:
    state: State  # how sure it is that the journey applies (TRUE or UNSURE once included)
    timing: Timing | None  # when its event happens relative to the plan's event; None: the plan's
    via: list[tuple[str, PreparedChain, State]]  # (including journey, chain, how sure)


class _Context:
    """Answers plus a memo of which questions are asked, for evaluating conditions."""

    __slots__ = ("_asked", "_asked_when", "answers")

    def __init__(self, answers: Mapping[str, Answer], asked_when: Mapping[str, Evaluator]) -> None:
        self.answers = answers
        self._asked_when = asked_when
        self._asked: dict[str, State] = {}

    def asked(self, question: str) -> State:
        state = self._asked.get(question)
        if state is None:
            state = self._asked_when[question](self)
            self._asked[question] = state
        return state


class Planner:
    """A validated catalogue, prepared for planning."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.questions: dict[str, Question] = dict(catalogue.questions)
        for journey in catalogue.journeys.values():
            for entry in journey.questions:
                if isinstance(entry, Question):
                    self.questions[entry.id] = entry
        self.asked_when = {q.id: compile_condition(q.asked_when) for q in self.questions.values()}
        self.asked_when[EVENT_DATE] = compile_condition(None)
        self._journeys = prepare_catalogue(catalogue, self.questions)
        self._most_questions: dict[str, int] = {}
        # Catalogue words only (no answers), kept with this planner: a publish makes a new one.
        self._question_views: dict[tuple[str, str, str], QuestionView] = {}

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(self._journeys)

    def journey(self, slug: str) -> Journey:
        return self._get(slug).journey

    def universe(self, slug: str) -> Mapping[str, Question]:
        """Every question a journey may ask, its included journeys' too, in asking order."""
        return self._get(slug).universe

    def _get(self, slug: str) -> PreparedJourney:
        try:
            return self._journeys[slug]
        except KeyError:
            raise JourneyNotInCatalogue(slug) from None

    # -- planning --

    def plan(
        self,
        slug: str,
        answers: Mapping[str, Any],
        *,
        event_date: dt.date | None = None,
        today: dt.date | None = None,
        lang: str = "fi",
    ) -> Plan:
        """The plan for one person. Raises JourneyNotInCatalogue, or AnswersRefused listing every
        answer that is not valid for this journey and an event date outside the calendar."""
        root = self._get(slug)
        if lang not in LANGS:
            raise ValueError(f"unknown language '{lang}'")
        # Every problem at once, the answers' and the event date's: a caller that drops what
        # was refused and plans again must not meet a new problem on the second pass.
        problems: list[AnswerProblem] = []
        try:
            checked = check_answers(root.universe, answers)
        except AnswersRefused as invalid:
            problems += invalid.problems
        if event_date is not None and not EARLIEST_DATE <= event_date <= LATEST_DATE:
            # Deadlines are counted from it: keep the arithmetic inside the calendar.
            problems.append(
                AnswerProblem(
                    EVENT_DATE,
                    "out_of_range",
                    f"the event date must be between {EARLIEST_DATE} and {LATEST_DATE}",
                )
            )
        if problems:
            raise AnswersRefused(problems)
        # The event date can be compared in conditions, but only in the journey it belongs to:
        # an included journey's event (a move after a death) has a date of its own.
        own_ctx = _Context(
            {**checked, EVENT_DATE: event_date} if event_date else checked, self.asked_when
        )
        ctx = _Context(checked, self.asked_when)
        texts = PlanTexts(lang, self.questions, own_ctx.answers, root.journey)

        members = self._members(root, own_ctx, ctx)
        questions, answered = self._questions(list(members), own_ctx, texts)

        # Every step that applies, with the answers that explain it and its sort key. An included
        # journey's steps all sit at the timing of its own event.
        chosen: list[tuple[Prepared, State, tuple[str, ...]]] = []
        keys: list[SortKey] = []
        for position, (member, membership) in enumerate(members.items()):
            member_ctx = own_ctx if member == slug else ctx
            reach = membership.state
            fixed = None if membership.timing is None else TIMING_ORDER[membership.timing]
            for prepared in self._journeys[member].steps:
                state, qids = prepared.explain(member_ctx)
                state = min(state, reach)
                if state >= UNSURE:
                    outer = prepared.timing if fixed is None else fixed
                    chosen.append((prepared, state, qids))
                    keys.append(
                        sort_key(timing=outer, journey_position=position, file_rank=prepared.rank)
                    )

        # "Part of ..." reasons, written once per included journey.
        part_of = {
            member: [
                phrases.INCLUDED[lang].format(
                    journey=texts.get(self._journeys[owner].journey.title),
                    reason=self._chain_reason(
                        chain, reach, own_ctx if owner == slug else ctx, texts
                    ),
                )
                for owner, chain, reach in membership.via
            ]
            for member, membership in members.items()
        }
        steps: list[PlanStep] = []
        automatic: list[PlanStep] = []
        fallback = texts.fell_back
        for i in in_order([prepared for prepared, _, _ in chosen], keys):
            prepared, state, qids = chosen[i]
            own = prepared.journey == slug
            step = self._dated(
                prepared,
                state,
                qids,
                texts,
                part_of[prepared.journey],
                event_date if own else None,
                own_ctx if own else None,
                today,
                members[prepared.journey].timing,
            )
            fallback = fallback or prepared.fallback[lang]
            (automatic if prepared.step.kind is StepKind.automatic else steps).append(step)

        included = tuple(
            ChainView(
                member,
                texts.get(self._journeys[member].journey.title),
                tuple(
                    self._chain_reason(c, reach, own_ctx if owner == slug else ctx, texts)
                    for owner, c, reach in m.via
                ),
                m.state == UNSURE,
                {},
            )
            for member, m in members.items()
            if member != slug
        )
        suggestions: dict[str, ChainView] = {}
        for member, membership in members.items():
            member_ctx = own_ctx if member == slug else ctx
            for chain in self._journeys[member].suggests:
                target = chain.chain.journey
                state = min(membership.state, chain.applies(member_ctx))
                if state < UNSURE or target in members:
                    continue
                previous = suggestions.get(target)
                reason = self._chain_reason(chain, state, member_ctx, texts)
                suggestions[target] = ChainView(
                    target,
                    texts.get(self._journeys[target].journey.title),
                    (*(previous.reasons if previous else ()), reason),
                    state == UNSURE and (previous is None or previous.check),
                    self.carry_over(target, checked),
                )
        return Plan(
            journey=slug,
            lang=lang,
            event_date=event_date,
            today=today,
            questions=questions,
            answered=answered,
            steps=tuple(steps),
            automatic=tuple(automatic),
            included=included,
            chains=tuple(suggestions.values()),
            fallback=fallback or texts.fell_back,
        )

    def _members(
        self, root: PreparedJourney, own_ctx: _Context, ctx: _Context
    ) -> dict[str, _Membership]:
        """The journeys taking part in a plan, in closure order: how sure it is that each
        applies, when its event happens, and every chain that brought it in."""
        slug = root.journey.slug
        members: dict[str, _Membership] = {slug: _Membership(TRUE, None, [])}
        for member in root.closure:
            membership = members.get(member)
            if membership is None or membership.state < UNSURE:
                continue
            for chain in self._journeys[member].includes:
                reach = min(membership.state, chain.applies(own_ctx if member == slug else ctx))
                if reach < UNSURE:
                    continue
                timing = membership.timing or chain.chain.timing or Timing.after
                target = members.setdefault(chain.chain.journey, _Membership(FALSE, timing, []))
                target.state = max(target.state, reach)
                target.via.append((member, chain, reach))
        return {m: members[m] for m in root.closure if m in members and members[m].state >= UNSURE}

    def _chain_reason(
        self, chain: PreparedChain, state: State, ctx: _Context, texts: PlanTexts
    ) -> str:
        """The chain's own reason; or, when it rests on a "not sure", the answers it rests on."""
        if state == UNSURE:
            said = " ".join(texts.reasons(chain.explain(ctx)[1]))
            return phrases.MAYBE[texts.lang].format(said=said).strip()
        return texts.get(chain.chain.reason)

    def question_view(self, qid: str, lang: str, journey: str) -> QuestionView:
        """One question in one language, as a plan shows it (for pages that ask it again)."""
        key = (qid, lang, journey)
        view = self._question_views.get(key)
        if view is None:
            texts = PlanTexts(lang, self.questions, {}, self._get(journey).journey)
            view = self._question_views[key] = texts.question(self.questions[qid], journey)
        return view

    def carry_over(self, target: str, answers: Mapping[str, Answer]) -> dict[str, Any]:
        """The answers another journey also asks: "tell us once"."""
        universe = self._get(target).universe
        return {qid: _as_json(answer) for qid, answer in answers.items() if qid in universe}

    def _questions(
        self, members: list[str], ctx: _Context, texts: PlanTexts
    ) -> tuple[tuple[QuestionView, ...], tuple[str, ...]]:
        """The questions still to ask, and those answered that apply to this person."""
        to_ask, answered = self._question_ids(members, ctx)
        views = tuple(texts.question(self.questions[qid], member) for qid, member in to_ask)
        return views, answered

    def _question_ids(
        self, members: list[str], ctx: _Context
    ) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
        """(question id, journey asking it) still to ask, and the ids answered that apply."""
        to_ask: list[tuple[str, str]] = []
        answered: list[str] = []
        seen: set[str] = set()
        for member in members:
            for qid in self._journeys[member].question_ids:
                if qid in seen:
                    continue
                seen.add(qid)
                if ctx.asked(qid) >= UNSURE:
                    if qid in ctx.answers:
                        answered.append(qid)
                    else:
                        to_ask.append((qid, member))
        return to_ask, tuple(answered)

    def most_questions(self, slug: str) -> int:
        """The most questions anyone is asked in a journey, its included journeys' too (not
        counting the event date): every answer that changes what is asked next is followed to
        the end of the questions, and the longest way counted. Worked out once per journey."""
        most = self._most_questions.get(slug)
        if most is None:
            most = self._most_questions[slug] = self._longest_way(self._get(slug))
        return most

    def _longest_way(self, root: PreparedJourney) -> int:
        # What decides which questions come next: their own conditions and those of the
        # chains that include journeys. Any other answer stands for all (telling_answers).
        leaves = [
            leaf for q in root.universe.values() for _, leaf in questions_in(q.asked_when)
        ] + [
            leaf
            for member in root.closure
            for chain in self._journeys[member].includes
            for _, leaf in questions_in(chain.chain.when)
        ]
        choices = {qid: telling_answers(q, leaves) for qid, q in root.universe.items()}

        def longest(answers: dict[str, Answer]) -> int:
            ctx = _Context(answers, self.asked_when)
            to_ask, answered = self._question_ids(list(self._members(root, ctx, ctx)), ctx)
            if not to_ask:
                return len(answered)
            qid = to_ask[0][0]
            return max(longest({**answers, qid: answer}) for answer in choices[qid])

        return longest({})

    def _dated(
        self,
        prepared: Prepared,
        state: State,
        qids: tuple[str, ...],
        texts: PlanTexts,
        part_of: list[str],
        event_date: dt.date | None,
        own_ctx: _Context | None,
        today: dt.date | None,
        timing: Timing | None,
    ) -> PlanStep:
        view = prepared.views[texts.lang]
        deadline_from = _counted_from(prepared.step.deadline, event_date, own_ctx)
        earliest_from = _counted_from(prepared.step.earliest, event_date, own_ctx)
        due = (
            last_day(deadline_from, prepared.deadline)
            if deadline_from and prepared.deadline
            else None
        )
        opens = (
            first_day(earliest_from, prepared.earliest)
            if earliest_from and prepared.earliest
            else None
        )
        reasons = [*part_of, *texts.reasons(qids)]
        if not reasons:
            reasons.append(phrases.EVERYONE[texts.lang])
        return PlanStep(
            key=view.key,
            id=view.id,
            journey=view.journey,
            kind=view.kind,
            timing=view.timing if timing is None else timing.value,
            title=view.title,
            body=view.body,
            terms=view.terms,
            organisation=view.organisation,
            links=view.links,
            sources=view.sources,
            deadline_rule=view.deadline_rule,
            earliest_rule=view.earliest_rule,
            due=due,
            opens=opens,
            overdue=bool(due and today and due < today),
            check=state == UNSURE,
            reasons=tuple(reasons),
            ptv_service=view.ptv_service,
        )


def _counted_from(
    limit: CountedDay | None, event_date: dt.date | None, own_ctx: _Context | None
) -> dt.date | None:
    """The day a limit is counted from: the event date, or the answer to the date question it
    names when that question is asked and answered. None for an included journey's step
    (`own_ctx` None there: its days belong to another event)."""
    if limit is None or own_ctx is None:
        return None
    if limit.counted_from is None:
        return event_date
    question = limit.counted_from.question
    day = own_ctx.answers.get(question)
    # Inside the calendar the event date is kept in, so the arithmetic cannot overflow.
    if (
        isinstance(day, dt.date)
        and EARLIEST_DATE <= day <= LATEST_DATE
        and own_ctx.asked(question) == TRUE
    ):
        return day
    return None


def _as_json(answer: Answer) -> Any:
    if isinstance(answer, tuple):
        return list(answer)
    if isinstance(answer, dt.date):
        return answer.isoformat()
    return answer


__all__ = ["PENDING", "JourneyNotInCatalogue", "Planner"]
