"""Plan assembly: a person's answers, event date and language in; the questions still to ask and
the ordered, explained, dated steps out.

A `Planner` is built once from a validated catalogue (conditions compiled, texts resolved per
language, include closures and orders computed) and then plans many times without touching files
or a database. The same inputs always give the same plan.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from api.engine import phrases
from api.engine.answers import Answer, AnswerProblem, InvalidAnswers, check_answers
from api.engine.catalogue import Catalogue
from api.engine.conditions import (
    FALSE,
    PENDING,
    TRUE,
    UNSURE,
    Evaluator,
    Explainer,
    State,
    compile_condition,
    compile_explainer,
)
from api.engine.deadlines import Limit, first_day, last_day
from api.engine.model import (
    EVENT_DATE,
    LANGS,
    NOT_SURE,
    TIMING_ORDER,
    Chain,
    ChainMode,
    CountedDay,
    Journey,
    Question,
    QuestionType,
    SharedQuestion,
    Step,
    StepKind,
    Text,
    Timing,
    event_date_question,
    split_step_ref,
)

# The event dates a plan accepts: deadlines of up to ten years either side stay in the calendar.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


class UnknownJourney(LookupError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"there is no journey '{slug}'")
        self.slug = slug


# --- the plan ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OptionView:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class QuestionView:
    id: str
    type: str
    label: str
    hint: str | None
    options: tuple[OptionView, ...]
    not_sure: bool
    minimum: Any
    maximum: Any
    integer: bool
    journey: str


@dataclass(frozen=True, slots=True)
class OrganisationView:
    id: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class LinkView:
    label: str
    url: str
    lang: str  # the language the linked page is in; differs from the plan's when none exists
    e_service: bool


@dataclass(frozen=True, slots=True)
class SourceView:
    id: str
    title: str
    url: str
    law: bool


# Not frozen: a plan builds hundreds of these, and frozen dataclasses set each field through
# object.__setattr__, which made this the costliest line of planning.
@dataclass(slots=True)
class PlanStep:
    key: str  # journey/step-id: unique in a plan
    id: str
    journey: str
    kind: str
    timing: str
    title: str
    body: str  # markdown, to be rendered and sanitised by whoever shows it
    organisation: OrganisationView | None
    links: tuple[LinkView, ...]
    sources: tuple[SourceView, ...]
    deadline_rule: str | None  # the rule in words, e.g. "within 1 week after the moving day"
    earliest_rule: str | None
    due: dt.date | None
    opens: dt.date | None
    overdue: bool
    check: bool  # depends on a "not sure" answer: "check whether this applies to you"
    reasons: tuple[str, ...]
    ptv_service: str | None


@dataclass(frozen=True, slots=True)
class ChainView:
    journey: str
    title: str
    reasons: tuple[str, ...]
    check: bool
    answers: Mapping[str, Any]  # the answers that carry over into the follow-on journey


@dataclass(frozen=True, slots=True)
class Plan:
    journey: str
    lang: str
    event_date: dt.date | None
    today: dt.date | None
    questions: tuple[QuestionView, ...]  # still to ask, next first
    answered: tuple[str, ...]  # the questions answered that apply, in asking order
    steps: tuple[PlanStep, ...]  # things to do and advice, in order
    automatic: tuple[PlanStep, ...]  # what happens without the person doing anything
    included: tuple[ChainView, ...]  # journeys whose steps are part of this plan
    chains: tuple[ChainView, ...]  # follow-on journeys suggested
    fallback: bool  # some text was not available in `lang` and is shown in Finnish

    @property
    def complete(self) -> bool:
        return not self.questions

    def all_steps(self) -> tuple[PlanStep, ...]:
        return self.steps + self.automatic


# --- prepared form -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Prepared:
    journey: str
    step: Step
    timing: int  # its own timing, as in TIMING_ORDER
    rank: int  # its own timing, then its position in its file, as one sortable number
    explain: Explainer  # the condition's value and the answers behind it
    deadline: Limit | None
    earliest: Limit | None
    after: tuple[tuple[str, str], ...]
    views: Mapping[str, PlanStep]  # the step's static parts per language
    fallback: Mapping[str, bool]
    uid: int = -1  # the step's number in the catalogue, for ordering
    after_uids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _PreparedChain:
    chain: Chain
    applies: Evaluator
    explain: Explainer


@dataclass(frozen=True)
class _PreparedJourney:
    journey: Journey
    question_ids: tuple[str, ...]
    steps: tuple[_Prepared, ...]
    includes: tuple[_PreparedChain, ...]
    suggests: tuple[_PreparedChain, ...]
    closure: tuple[str, ...]  # itself and every journey it may include, parents before children
    universe: Mapping[str, Question]  # every question it may ask, in asking order


@dataclass(slots=True)
class _Membership:
    state: State  # how sure it is that the journey applies (TRUE or UNSURE once included)
    timing: Timing | None  # when its event happens relative to the plan's event; None: the plan's
    via: list[tuple[str, _PreparedChain, State]]  # (including journey, chain, how sure)


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
        self._journeys: dict[str, _PreparedJourney] = {}
        for slug in catalogue.journeys:
            self._journeys[slug] = self._prepare(catalogue.journeys[slug])
        # Number every step, and resolve "comes after" to those numbers once.
        uids = {
            (p.journey, p.step.id): uid
            for uid, p in enumerate(p for j in self._journeys.values() for p in j.steps)
        }
        for slug, prepared in self._journeys.items():
            steps = tuple(
                replace(
                    p,
                    uid=uids[p.journey, p.step.id],
                    after_uids=tuple(uids[ref] for ref in p.after if ref in uids),
                )
                for p in prepared.steps
            )
            self._journeys[slug] = replace(prepared, steps=steps)
        for slug, prepared in self._journeys.items():
            closure = self._closure(slug)
            universe: dict[str, Question] = {}
            for member in closure:
                for qid in self._journeys[member].question_ids:
                    universe.setdefault(qid, self.questions[qid])
            self._journeys[slug] = replace(prepared, closure=closure, universe=universe)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(self._journeys)

    def journey(self, slug: str) -> Journey:
        return self._get(slug).journey

    def universe(self, slug: str) -> Mapping[str, Question]:
        """Every question a journey may ask, its included journeys' too, in asking order."""
        return self._get(slug).universe

    def _get(self, slug: str) -> _PreparedJourney:
        try:
            return self._journeys[slug]
        except KeyError:
            raise UnknownJourney(slug) from None

    # -- preparing --

    def _prepare(self, journey: Journey) -> _PreparedJourney:
        question_ids = tuple(
            entry.shared if isinstance(entry, SharedQuestion) else entry.id
            for entry in journey.questions
        )
        steps = []
        for index, step in enumerate(journey.steps):
            views = {lang: self._view(journey, step, TextLookup(lang)) for lang in LANGS}
            steps.append(
                _Prepared(
                    journey=journey.slug,
                    step=step,
                    timing=TIMING_ORDER[step.timing],
                    rank=TIMING_ORDER[step.timing] << 24 | index,
                    explain=compile_explainer(step.when),
                    deadline=Limit.of(step.deadline) if step.deadline else None,
                    earliest=Limit.of(step.earliest) if step.earliest else None,
                    after=tuple(split_step_ref(ref, journey.slug) for ref in step.after),
                    views={lang: view for lang, (view, _) in views.items()},
                    fallback={lang: fell_back for lang, (_, fell_back) in views.items()},
                )
            )
        chains = [
            _PreparedChain(chain, compile_condition(chain.when), compile_explainer(chain.when))
            for chain in journey.chains
        ]
        return _PreparedJourney(
            journey,
            question_ids,
            tuple(steps),
            tuple(c for c in chains if c.chain.mode is ChainMode.include),
            tuple(c for c in chains if c.chain.mode is ChainMode.suggest),
            (),
            {},
        )

    def _closure(self, slug: str) -> tuple[str, ...]:
        """The journey and all it may include, each after every journey that includes it."""
        reached: list[str] = []
        stack = [slug]
        while stack:
            current = stack.pop(0)
            if current not in reached:
                reached.append(current)
                stack.extend(c.chain.journey for c in self._journeys[current].includes)
        parents: dict[str, set[str]] = {s: set() for s in reached}
        for s in reached:
            for c in self._journeys[s].includes:
                parents[c.chain.journey].add(s)
        ordered: list[str] = []
        while len(ordered) < len(reached):  # acyclic: validation rejects include cycles
            ordered.append(
                next(s for s in reached if s not in ordered and parents[s] <= set(ordered))
            )
        return tuple(ordered)

    def _view(self, journey: Journey, step: Step, texts: TextLookup) -> tuple[PlanStep, bool]:
        """The parts of a step that do not depend on the person, in one language, and whether
        any of them fell back to Finnish."""
        lang = texts.lang
        org = self.catalogue.organisations.get(step.organisation or "")
        sources = {s.id: s for s in journey.sources}
        deadlines = [d.source for d in (step.deadline, step.earliest) if d is not None]
        cited = [sources[i] for i in dict.fromkeys([*step.sources, *deadlines]) if i in sources]
        view = PlanStep(
            key=f"{journey.slug}/{step.id}",
            id=step.id,
            journey=journey.slug,
            kind=step.kind.value,
            timing=step.timing.value,
            title=texts.get(step.title),
            body=texts.get(step.body),
            organisation=OrganisationView(org.id, texts.get(org.name), org.url.get(lang)[0])
            if org
            else None,
            links=tuple(
                LinkView(texts.get(link.label), *link.url.get(lang), link.e_service)
                for link in step.links
            ),
            sources=tuple(SourceView(s.id, texts.get(s.title), s.url, s.law) for s in cited),
            deadline_rule=rule_in_words(journey, step.deadline, texts, earliest=False),
            earliest_rule=rule_in_words(journey, step.earliest, texts, earliest=True),
            due=None,
            opens=None,
            overdue=False,
            check=False,
            reasons=(),
            ptv_service=step.ptv_service,
        )
        return view, texts.fell_back

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
        """The plan for one person. Raises UnknownJourney, or InvalidAnswers listing every
        answer that is not valid for this journey and an event date outside the calendar."""
        root = self._get(slug)
        if lang not in LANGS:
            raise ValueError(f"unknown language '{lang}'")
        # Every problem at once, the answers' and the event date's: a caller that drops what
        # was refused and plans again must not meet a new problem on the second pass.
        problems: list[AnswerProblem] = []
        try:
            checked = check_answers(root.universe, answers)
        except InvalidAnswers as invalid:
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
            raise InvalidAnswers(problems)
        # The event date can be compared in conditions, but only in the journey it belongs to:
        # an included journey's event (a move after a death) has a date of its own.
        own_ctx = _Context(
            {**checked, EVENT_DATE: event_date} if event_date else checked, self.asked_when
        )
        ctx = _Context(checked, self.asked_when)
        texts = _Texts(lang, self, own_ctx, root.journey)

        members = self._members(root, own_ctx, ctx)
        questions, answered = self._questions(list(members), own_ctx, texts)

        # Every step that applies, with the answers that explain it and one sortable number for
        # (timing relative to the plan's event, journey, own timing, file order). An included
        # journey's steps all sit at the timing of its own event.
        chosen: list[tuple[_Prepared, State, int, tuple[str, ...]]] = []
        for position, (member, membership) in enumerate(members.items()):
            member_ctx = own_ctx if member == slug else ctx
            reach = membership.state
            fixed = None if membership.timing is None else TIMING_ORDER[membership.timing]
            for prepared in self._journeys[member].steps:
                state, qids = prepared.explain(member_ctx)
                state = min(state, reach)
                if state >= UNSURE:
                    outer = prepared.timing if fixed is None else fixed
                    key = (outer << 16 | position) << 26 | prepared.rank
                    chosen.append((prepared, state, key, qids))

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
        for prepared, state, qids in _ordered(chosen):
            own = prepared.journey == slug
            step = self._dated(
                prepared,
                state,
                qids,
                texts,
                part_of[prepared.journey],
                event_date if own else None,
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
        self, root: _PreparedJourney, own_ctx: _Context, ctx: _Context
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
        self, chain: _PreparedChain, state: State, ctx: _Context, texts: _Texts
    ) -> str:
        """The chain's own reason; or, when it rests on a "not sure", the answers it rests on."""
        if state == UNSURE:
            said = " ".join(texts.answer(q) for q in chain.explain(ctx)[1])
            return phrases.MAYBE[texts.lang].format(said=said).strip()
        return texts.get(chain.chain.reason)

    def question_view(self, qid: str, lang: str, journey: str) -> QuestionView:
        """One question in one language, as a plan shows it (for pages that ask it again)."""
        texts = _Texts(lang, self, _Context({}, self.asked_when), self._get(journey).journey)
        return texts.question(self.questions[qid], journey)

    def carry_over(self, target: str, answers: Mapping[str, Answer]) -> dict[str, Any]:
        """The answers another journey also asks: "tell us once"."""
        universe = self._get(target).universe
        return {qid: _as_json(answer) for qid, answer in answers.items() if qid in universe}

    def _questions(
        self, members: list[str], ctx: _Context, texts: _Texts
    ) -> tuple[tuple[QuestionView, ...], tuple[str, ...]]:
        """The questions still to ask, and those answered that apply to this person."""
        to_ask: list[QuestionView] = []
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
                        to_ask.append(texts.question(self.questions[qid], member))
        return tuple(to_ask), tuple(answered)

    def _dated(
        self,
        prepared: _Prepared,
        state: State,
        qids: tuple[str, ...],
        texts: _Texts,
        part_of: list[str],
        event_date: dt.date | None,
        today: dt.date | None,
        timing: Timing | None,
    ) -> PlanStep:
        view = prepared.views[texts.lang]
        due = last_day(event_date, prepared.deadline) if event_date and prepared.deadline else None
        opens = (
            first_day(event_date, prepared.earliest) if event_date and prepared.earliest else None
        )
        reasons = [*part_of, *(texts.answer(qid) for qid in qids)]
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


def _ordered(
    chosen: list[tuple[_Prepared, State, int, tuple[str, ...]]],
) -> list[tuple[_Prepared, State, tuple[str, ...]]]:
    """Timing first, then "comes after", then file order: Kahn's algorithm that always takes the
    earliest-ranked step whose predecessors are placed. Predecessors not in the plan are ignored."""
    index = {prepared.uid: i for i, (prepared, _, _, _) in enumerate(chosen)}
    waiting = [0] * len(chosen)
    followers: list[list[int]] = [[] for _ in chosen]
    for i, (prepared, _, _, _) in enumerate(chosen):
        for uid in prepared.after_uids:
            j = index.get(uid)
            if j is not None:
                waiting[i] += 1
                followers[j].append(i)
    ready = [(chosen[i][2], i) for i in range(len(chosen)) if not waiting[i]]
    heapq.heapify(ready)
    out: list[tuple[_Prepared, State, tuple[str, ...]]] = []
    while ready:
        _, i = heapq.heappop(ready)
        prepared, state, _, qids = chosen[i]
        out.append((prepared, state, qids))
        for j in followers[i]:
            waiting[j] -= 1
            if not waiting[j]:
                heapq.heappush(ready, (chosen[j][2], j))
    return out  # complete: validation rejects cycles in "comes after"


class TextLookup:
    """Texts in one language, noting whether any fell back to Finnish."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.fell_back = False

    def get(self, text: Text) -> str:
        if not text.has(self.lang):
            self.fell_back = True
        return text.get(self.lang)


class _Texts(TextLookup):
    """The texts of one plan: questions, options and the sentence for each answer (written once
    and reused by every step it explains)."""

    def __init__(self, lang: str, planner: Planner, ctx: _Context, journey: Journey) -> None:
        super().__init__(lang)
        self.planner = planner
        self.ctx = ctx
        self.journey = journey
        self._answers: dict[str, str] = {}

    def optional(self, text: Text | None) -> str | None:
        return None if text is None else self.get(text)

    def question(self, question: Question, journey: str) -> QuestionView:
        ids: tuple[str, ...] = ("yes", "no") if question.type is QuestionType.yes_no else ()
        ids = ids or tuple(o.id for o in question.options)
        options = tuple(OptionView(i, self.option(question, i)) for i in ids)
        return QuestionView(
            question.id,
            question.type.value,
            self.get(question.label),
            self.optional(question.hint),
            options,
            question.not_sure,
            question.minimum,
            question.maximum,
            question.integer,
            journey,
        )

    def option(self, question: Question, option_id: str) -> str:
        """An option's label; yes/no questions have theirs built in."""
        option = next((o for o in question.options if o.id == option_id), None)
        if option is not None and option.label is not None:
            return self.get(option.label)
        return phrases.YES_NO.get(option_id, {}).get(self.lang, option_id)

    def answer(self, qid: str) -> str:
        """ "You said ..." for one answered question."""
        sentence = self._answers.get(qid)
        if sentence is None:
            question = self.planner.questions.get(qid) or event_date_question(self.journey)
            sentence = self._answers[qid] = self._answer(question)
        return sentence

    def _answer(self, question: Question) -> str:
        lang = self.lang
        label = self.get(question.label)
        if question.id not in self.ctx.answers:  # only the event date can be missing here
            return phrases.NO_EVENT_DATE[lang].format(label=label)
        value = self.ctx.answers[question.id]
        if value == NOT_SURE:
            return phrases.NOT_SURE[lang].format(question=label)
        if isinstance(value, dt.date | int | float):
            shown = phrases.format_date(value, lang)
            if question.you_said:
                said = self.get(question.you_said).replace("{answer}", shown)
                return phrases.YOU_SAID[lang].format(said=said)
            return phrases.YOU_ANSWERED[lang].format(question=label, answer=shown)
        chosen = list(value) if isinstance(value, tuple) else [value]
        said_texts = {o.id: o.you_said for o in question.options if o.you_said is not None}
        if chosen and all(c in said_texts for c in chosen):
            said = ", ".join(self.get(said_texts[c]) for c in chosen)
            return phrases.YOU_SAID[lang].format(said=said)
        labels = ", ".join(self.option(question, c) for c in chosen)
        return phrases.YOU_ANSWERED[lang].format(question=label, answer=labels)


def rule_in_words(
    journey: Journey, deadline: CountedDay | None, texts: TextLookup, *, earliest: bool
) -> str | None:
    if deadline is None:
        return None
    event = texts.get(
        journey.event_date.after if deadline.direction == "after" else journey.event_date.before
    )
    words = phrases.period_words(deadline.period, texts.lang)
    if earliest:
        template = phrases.EARLIEST
    elif deadline.direction == "after":
        template = phrases.DEADLINE_AFTER
    else:
        template = phrases.DEADLINE_BEFORE
    return template[texts.lang].format(period=words, event=event)


def _as_json(answer: Answer) -> Any:
    if isinstance(answer, tuple):
        return list(answer)
    if isinstance(answer, dt.date):
        return answer.isoformat()
    return answer


__all__ = ["PENDING", "Plan", "PlanStep", "Planner", "UnknownJourney"]
