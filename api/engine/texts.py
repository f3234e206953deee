"""Texts in one language: a journey's own words, the questions and options as a plan shows them,
"you said ..." for each answer, and deadlines in words. Finnish stands in for what is missing,
and the lookup notes that it did (a plan then says `fallback`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from api.engine import phrases
from api.engine.answers import Answer
from api.engine.model import (
    NOT_SURE,
    CountedDay,
    Journey,
    Question,
    QuestionType,
    Text,
    event_date_question,
)
from api.engine.plan import OptionView, QuestionView


class TextLookup:
    """Texts in one language, noting whether any fell back to Finnish."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.fell_back = False

    def get(self, text: Text) -> str:
        if not text.has(self.lang):
            self.fell_back = True
        return text.get(self.lang)


class PlanTexts(TextLookup):
    """The texts of one plan: questions, options and the sentence for each answer (written once
    and reused by every step it explains)."""

    def __init__(
        self,
        lang: str,
        questions: Mapping[str, Question],
        answers: Mapping[str, Answer],
        journey: Journey,
    ) -> None:
        super().__init__(lang)
        self.questions = questions
        self.answers = answers
        self.journey = journey
        self._answers: dict[str, str] = {}
        self._clauses: dict[str, tuple[str, ...] | None] = {}
        self._reasons: dict[tuple[str, ...], tuple[str, ...]] = {}

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
            said = self._said(qid)
            if said is not None:
                joined = phrases.and_list(list(said), self.lang)
                sentence = phrases.YOU_SAID[self.lang].format(said=joined)
            else:
                sentence = self._answer(self._question(qid))
            self._answers[qid] = sentence
        return sentence

    def reasons(self, qids: tuple[str, ...]) -> list[str]:
        """Why a step applies, from the answers it rests on, as few natural sentences: what
        the person said in their own words, gathered into one sentence where the first such
        answer stands ("You said A and B."), the other answers one sentence each."""
        # Steps resting on the same answers share their reasons: written once per plan.
        known = self._reasons.get(qids)
        if known is None:
            known = self._reasons[qids] = tuple(self._reasons_now(qids))
        return list(known)

    def _reasons_now(self, qids: tuple[str, ...]) -> list[str]:
        clauses = [(qid, self._said(qid)) for qid in qids]
        said = [part for _, clause in clauses if clause is not None for part in clause]
        out: list[str] = []
        for qid, clause in clauses:
            if clause is None:
                out.append(self.answer(qid))
            elif said:  # the first one: all of them, in one sentence
                joined = phrases.and_list(said, self.lang)
                out.append(phrases.YOU_SAID[self.lang].format(said=joined))
                said = []
        return out

    def _question(self, qid: str) -> Question:
        return self.questions.get(qid) or event_date_question(self.journey)

    def _said(self, qid: str) -> tuple[str, ...] | None:
        """The person's answer in the journey's own words ("you have children"), without the
        "You said", one clause per option chosen; None when the question has no such words
        for this answer."""
        if qid not in self._clauses:
            self._clauses[qid] = self._said_now(qid)
        return self._clauses[qid]

    def _said_now(self, qid: str) -> tuple[str, ...] | None:
        question = self._question(qid)
        if qid not in self.answers or self.answers[qid] == NOT_SURE:
            return None
        value = self.answers[qid]
        if isinstance(value, dt.date | int | float):
            if question.you_said is None:
                return None
            shown = phrases.format_date(value, self.lang)
            return (self.get(question.you_said).replace("{answer}", shown),)
        chosen = list(value) if isinstance(value, tuple) else [value]
        said_texts = {o.id: o.you_said for o in question.options if o.you_said is not None}
        if chosen and all(c in said_texts for c in chosen):
            return tuple(self.get(said_texts[c]) for c in chosen)
        return None

    def _answer(self, question: Question) -> str:
        """ "You answered ..." for an answer without words of its own."""
        lang = self.lang
        label = self.get(question.label)
        if question.id not in self.answers:  # only the event date can be missing here
            return phrases.NO_EVENT_DATE[lang].format(label=label)
        value = self.answers[question.id]
        if value == NOT_SURE:
            return phrases.NOT_SURE[lang].format(question=label)
        if isinstance(value, dt.date | int | float):
            shown = phrases.format_date(value, lang)
            return phrases.YOU_ANSWERED[lang].format(question=label, answer=shown)
        chosen = list(value) if isinstance(value, tuple) else [value]
        labels = phrases.and_list([self.option(question, c) for c in chosen], lang)
        return phrases.YOU_ANSWERED[lang].format(question=label, answer=labels)


def rule_in_words(
    journey: Journey, deadline: CountedDay | None, texts: TextLookup, *, earliest: bool
) -> str | None:
    if deadline is None:
        return None
    # The words for the day it is counted from: the event date's, or another date's.
    anchor = deadline.counted_from or journey.event_date
    words_for = anchor.after if deadline.direction == "after" else anchor.before
    assert words_for is not None  # the model requires `before` words for a `before` limit
    event = texts.get(words_for)
    words = phrases.period_words(deadline.period, texts.lang)
    if not earliest and deadline.period.count == 0 and deadline.counted_from is None:
        return phrases.DEADLINE_ON[texts.lang].format(label=texts.get(journey.event_date.label))
    if earliest:
        template = phrases.EARLIEST
    elif deadline.direction == "after":
        template = phrases.DEADLINE_AFTER
    else:
        template = phrases.DEADLINE_BEFORE
    return template[texts.lang].format(period=words, event=event)
