"""Plan assembly on the made-up fixture catalogue (tests/engine/fixtures/catalogue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from api.engine.answers import AnswersRefused
from api.engine.planner import JourneyNotInCatalogue, Planner
from tests.engine.conftest import Build, choice, journey, planned, step

FAMILY: dict[str, Any] = {
    "where": "far",
    "kids": "yes",
    "kid_ages": ["baby", "school"],
    "people": 6,
    "born": "1990-05-05",
    "pet": "yes",
}
DEPARTURE = dt.date(2027, 6, 30)


def keys(plan: Any) -> list[str]:
    return [s.key for s in plan.steps]


class TestQuestionFlow:
    def test_the_first_questions_come_in_file_order(self, planner: Planner) -> None:
        plan = planner.plan("trip", {})
        assert [q.id for q in plan.questions] == ["where", "kids", "people", "born"]
        assert plan.questions[0].not_sure

    def test_a_question_is_asked_only_when_its_condition_holds(self, planner: Planner) -> None:
        home = planner.plan("trip", {"where": "home", "kids": "no"})
        assert [q.id for q in home.questions] == ["people", "born"]
        abroad = planner.plan("trip", {"where": "eu", "kids": "yes"})
        assert [q.id for q in abroad.questions] == ["kid_ages", "people", "born", "pet"]

    def test_a_full_set_of_answers_completes_the_plan(self, planner: Planner) -> None:
        plan = planner.plan("trip", FAMILY)
        assert plan.complete
        assert plan.answered == ("where", "kids", "kid_ages", "people", "born", "pet")

    def test_a_shared_question_answered_once_is_not_asked_again(self, planner: Planner) -> None:
        plan = planner.plan("trip", FAMILY)
        holiday = next(c for c in plan.chains if c.journey == "holiday")
        assert holiday.answers == {"kids": "yes"}
        assert planner.plan("holiday", holiday.answers).complete

    def test_not_sure_is_offered_only_where_the_question_allows_it(self, planner: Planner) -> None:
        with pytest.raises(AnswersRefused) as error:
            planner.plan("trip", {"where": "eu", "pet": "not_sure"})
        assert [(p.question, p.code) for p in error.value.problems] == [
            ("pet", "not_sure_not_offered")
        ]


class TestNotSure:
    def test_a_step_that_depends_on_not_sure_stays_marked_check(self, planner: Planner) -> None:
        plan = planner.plan(
            "trip",
            {"where": "not_sure", "kids": "no", "people": 1, "born": "1980-01-01"},
            lang="en",
        )
        marked = {s.id: s.check for s in plan.steps}
        assert marked["passport"] is True
        assert marked["postcard"] is True
        assert marked["pack"] is False
        passport = next(s for s in plan.steps if s.id == "passport")
        assert passport.reasons == ("You said you are not sure about “Where to?”.",)

    def test_an_included_journey_reached_through_not_sure_is_marked_check(
        self, planner: Planner
    ) -> None:
        plan = planner.plan("trip", {"where": "not_sure"})
        form = next(s for s in plan.steps if s.key == "paperwork/form")
        assert form.check
        assert [c.journey for c in plan.included if c.check] == ["paperwork"]


class TestOrder:
    def test_steps_are_ordered_by_timing_then_after_then_file_order(self, planner: Planner) -> None:
        plan = planner.plan("trip", FAMILY, event_date=DEPARTURE)
        assert keys(plan) == [
            # before: file order, but passport after book and pet papers after passport
            "trip/pack",
            "trip/book",
            "trip/passport",
            "trip/school-note",
            "trip/group-deal",
            "trip/pet-papers",
            # around
            "trip/baby-seat",
            "trip/unpack",
            # after: the journey's own steps, then each included journey's in its own order
            "trip/postcard",
            "trip/report",
            "trip/claim",
            "paperwork/form",
            "tidy/sweep",
            "common/shared-step",
        ]
        assert [s.key for s in plan.automatic] == ["trip/insurance-notice"]
        # Included journeys happen after the trip (the default), whatever their own timing.
        assert {s.key: s.timing for s in plan.steps}["tidy/sweep"] == "after"

    def test_comes_after_reorders_within_a_timing(self, build: Build) -> None:
        result = build(journey(steps=[step("a", after=["c"]), step("b"), step("c")]))
        assert keys(planned(result).plan("j", {})) == ["j/b", "j/c", "j/a"]

    def test_a_step_whose_predecessor_is_not_in_the_plan_keeps_its_place(
        self, build: Build
    ) -> None:
        questions = [choice("q", "x", "y")]
        steps = [
            step("a", after=["b"]),
            step("b", when={"question": "q", "equals": "x"}),
            step("c"),
        ]
        result = build(journey(questions=questions, steps=steps))
        assert keys(planned(result).plan("j", {"q": "y"})) == ["j/a", "j/c"]
        assert keys(planned(result).plan("j", {"q": "x"})) == ["j/b", "j/a", "j/c"]


class TestChains:
    def test_an_included_journey_adds_its_steps_when_its_condition_holds(
        self, planner: Planner
    ) -> None:
        home = planner.plan("trip", {**FAMILY, "where": "home"})
        assert "paperwork/form" not in keys(home)
        assert [c.journey for c in home.included] == ["tidy", "common"]
        abroad = planner.plan("trip", FAMILY)
        assert "paperwork/form" in keys(abroad)
        assert [c.journey for c in abroad.included] == ["paperwork", "tidy", "common"]

    def test_a_step_reached_twice_appears_once_with_both_reasons(self, planner: Planner) -> None:
        plan = planner.plan("trip", FAMILY, lang="en")
        shared = [s for s in plan.steps if s.key == "common/shared-step"]
        assert len(shared) == 1
        assert shared[0].reasons == (
            "Part of “Paperwork”: papers need it",
            "Part of “Tidying”: tidiness needs it",
        )

    def test_a_follow_on_journey_is_suggested_with_its_reason(self, planner: Planner) -> None:
        plan = planner.plan("trip", FAMILY, lang="sv")
        assert [(c.journey, c.title, c.reasons) for c in plan.chains] == [
            ("holiday", "Semester", ("barn på semester",))
        ]
        assert planner.plan("trip", {**FAMILY, "kids": "no"}).chains == ()

    def test_an_included_journey_can_happen_before_the_event(self, build: Build) -> None:
        reason = {"fi": "x", "sv": "x", "en": "x"}
        chain = {"journey": "prep", "mode": "include", "timing": "before", "reason": reason}
        main = journey("main", steps=[step("early", timing="before"), step("late")], chains=[chain])
        prep = journey("prep", steps=[step("p-after"), step("p-before", timing="before")])
        plan = planned(build(main, prep)).plan("main", {})
        assert [(s.key, s.timing) for s in plan.steps] == [
            ("main/early", "before"),
            ("prep/p-before", "before"),
            ("prep/p-after", "before"),
            ("main/late", "after"),
        ]

    def test_an_include_that_rests_on_not_sure_says_so_instead_of_its_reason(
        self, planner: Planner
    ) -> None:
        plan = planner.plan("trip", {"where": "not_sure"}, lang="en")
        form = next(s for s in plan.steps if s.key == "paperwork/form")
        assert form.reasons == (
            "Part of “Trip”: Check whether this applies to you. You said you are not sure "
            "about “Where to?”.",
        )
        assert plan.included[0].reasons == (
            "Check whether this applies to you. You said you are not sure about “Where to?”.",
        )

    def test_conditions_can_compare_the_event_date(self, build: Build) -> None:
        new_rule = step("new-rule", when={"question": "event_date", "on_or_after": "2026-01-01"})
        old_rule = step("old-rule", when={"question": "event_date", "before": "2026-01-01"})
        result = build(journey(steps=[new_rule, old_rule]))
        planner = planned(result)
        after = planner.plan("j", {}, event_date=dt.date(2026, 3, 1), lang="en")
        assert [(s.id, s.check) for s in after.steps] == [("new-rule", False)]
        assert after.steps[0].reasons == ("You answered “Day”: 1 March 2026.",)
        before = planner.plan("j", {}, event_date=dt.date(2025, 12, 31))
        assert [s.id for s in before.steps] == ["old-rule"]
        # Without the date both stay, marked "check whether this applies to you".
        unknown = planner.plan("j", {}, lang="en")
        assert [(s.id, s.check) for s in unknown.steps] == [("new-rule", True), ("old-rule", True)]
        assert unknown.steps[0].reasons == (
            "This depends on the “Day”, which you have not given yet.",
        )

    @pytest.mark.parametrize("reserved", ["event_date", "lang", "today"])
    def test_plan_parameters_are_not_question_ids(self, build: Build, reserved: str) -> None:
        question = choice(reserved, "a", "b")
        result = build(
            journey(
                questions=[question], steps=[step("s", when={"question": reserved, "equals": "a"})]
            )
        )
        assert (
            f"j.yaml: questions[0]: '{reserved}' is reserved (event_date, lang and today are "
            "plan parameters): choose another id"
        ) in [str(p) for p in result.problems]

    def test_included_steps_get_no_date_from_another_events_date(self, planner: Planner) -> None:
        plan = planner.plan("trip", FAMILY, event_date=DEPARTURE, lang="en")
        form = next(s for s in plan.steps if s.key == "paperwork/form")
        assert form.due is None
        assert form.deadline_rule == "within 2 weeks after the day"

    def test_a_chain_to_an_unknown_journey_or_in_a_circle_is_rejected(self, build: Build) -> None:
        def chain(to: str) -> list[dict[str, Any]]:
            return [{"journey": to, "mode": "include", "reason": {"fi": "x", "sv": "x", "en": "x"}}]

        result = build(
            journey("a", chains=chain("b")),
            journey("b", chains=chain("c")),
            journey("c", chains=chain("a")),
            journey("d", chains=chain("nowhere")),
        )
        messages = [str(p) for p in result.problems if p.kind != "coverage"]
        assert (
            "a.yaml: chains[0]: journeys cannot include each other in a circle: "
            "a -> b -> c -> a" in messages
        )
        assert "d.yaml: chains[0].journey: unknown journey 'nowhere'" in messages


class TestDeadlinesInPlans:
    def test_due_dates_are_real_dates_and_past_ones_are_overdue(self, planner: Planner) -> None:
        plan = planner.plan("trip", FAMILY, event_date=DEPARTURE, today=dt.date(2027, 6, 25))
        due = {s.id: (s.due, s.overdue) for s in plan.steps if s.journey == "trip" and s.due}
        assert due == {
            "pack": (dt.date(2027, 6, 23), True),
            "book": (dt.date(2027, 4, 30), True),
            "report": (dt.date(2027, 7, 5), False),  # Saturday 3 July moves to Monday
            "claim": (dt.date(2027, 7, 30), False),
        }
        book = next(s for s in plan.steps if s.id == "book")
        assert book.opens == dt.date(2026, 6, 30)

    def test_without_an_event_date_the_rule_is_given_in_words(self, planner: Planner) -> None:
        rules = {
            lang: {
                s.id: s.deadline_rule
                for s in planner.plan("trip", FAMILY, lang=lang).steps
                if s.id in ("pack", "claim")
            }
            for lang in ("fi", "sv", "en")
        }
        assert rules == {
            "fi": {
                "pack": "viimeistään 1 viikko ennen lähtöpäivää",
                "claim": "viimeistään 1 kuukausi lähtöpäivän jälkeen",
            },
            "sv": {
                "pack": "senast 1 vecka före avresedagen",
                "claim": "senast 1 månad efter avresedagen",
            },
            "en": {
                "pack": "no later than 1 week before the departure day",
                "claim": "within 1 month after the departure day",
            },
        }
        assert all(s.due is None and not s.overdue for s in planner.plan("trip", FAMILY).steps)

    def test_without_today_nothing_is_overdue(self, planner: Planner) -> None:
        plan = planner.plan("trip", FAMILY, event_date=dt.date(2000, 1, 1))
        assert not any(s.overdue for s in plan.steps)


class TestTexts:
    def test_reasons_quote_the_persons_own_answers(self, planner: Planner) -> None:
        plan = planner.plan("trip", FAMILY, lang="en")
        reasons = {s.id: s.reasons for s in plan.steps}
        assert reasons["school-note"] == (
            "You said you have kids.",
            "You answered “Ages?”: Baby and School child.",
        )
        assert reasons["group-deal"] == ("You said there are 6 of you.",)
        assert reasons["report"] == ("You answered “Where to?”: Far away.",)
        assert reasons["pack"] == ("This applies to everyone in this situation.",)
        assert reasons["claim"] == ("You answered “Birthday?”: 5 May 1990.",)

    def test_every_language_has_its_own_texts(self, planner: Planner) -> None:
        titles = {
            lang: planner.plan("trip", FAMILY, lang=lang).steps[0].title
            for lang in ("fi", "sv", "en")
        }
        assert titles == {"fi": "Pakkaa", "sv": "Packa", "en": "Pack"}

    def test_a_missing_translation_falls_back_to_finnish_and_says_so(
        self, planner: Planner
    ) -> None:
        en = planner.plan("trip", FAMILY, lang="en")
        pack = next(s for s in en.steps if s.id == "pack")
        assert (pack.links[0].url, pack.links[0].lang) == ("https://office.example/en/pack", "en")
        report = next(s for s in en.steps if s.id == "report")
        assert report.organisation is not None
        assert report.organisation.url == "https://bureau.example/"
        sv = planner.plan("trip", FAMILY, lang="sv")
        pack_sv = next(s for s in sv.steps if s.id == "pack")
        assert (pack_sv.links[0].url, pack_sv.links[0].lang) == (
            "https://office.example/fi/pack",
            "fi",
        )
        assert not en.fallback

    def test_missing_text_in_a_journey_marks_the_plan_as_fallen_back(self, build: Build) -> None:
        result = build(journey(steps=[step("s", title={"fi": "Vain suomeksi"})]))
        assert sorted(str(p) for p in result.problems if p.kind == "translation") == [
            "j.yaml: steps[0].title.en: the English text is missing",
            "j.yaml: steps[0].title.sv: the Swedish text is missing",
        ]
        assert result.planner is not None
        plan = result.planner.plan("j", {}, lang="en")
        assert plan.steps[0].title == "Vain suomeksi"
        assert plan.fallback


class TestErrors:
    def test_an_unknown_journey_is_an_error(self, planner: Planner) -> None:
        with pytest.raises(JourneyNotInCatalogue):
            planner.plan("nowhere", {})

    def test_every_invalid_answer_is_listed(self, planner: Planner) -> None:
        with pytest.raises(AnswersRefused) as error:
            planner.plan(
                "trip",
                {
                    "nope": 1,
                    "where": "moon",
                    "people": "six",
                    "born": "2027-02-30",
                    "kid_ages": "baby",
                    "kids": True,
                    "pet": "x" * 5000,
                },
            )
        assert sorted((p.question, p.code) for p in error.value.problems) == [
            ("born", "wrong_type"),
            ("kid_ages", "wrong_type"),
            ("kids", "wrong_type"),
            ("nope", "unknown_question"),
            ("people", "wrong_type"),
            ("pet", "too_long"),
            ("where", "unknown_option"),
        ]

    def test_numbers_and_dates_out_of_range_are_refused(self, planner: Planner) -> None:
        with pytest.raises(AnswersRefused) as error:
            planner.plan("trip", {"people": 0})
        assert error.value.problems[0].code == "out_of_range"
        with pytest.raises(AnswersRefused):
            planner.plan("trip", {"people": 2.5})


def test_an_event_date_outside_the_calendar_is_an_invalid_answer(planner: Planner) -> None:
    with pytest.raises(AnswersRefused) as error:
        planner.plan("trip", {}, event_date=dt.date(1, 1, 15))
    assert [(p.question, p.code) for p in error.value.problems] == [("event_date", "out_of_range")]


def test_an_invalid_answer_and_an_event_date_outside_the_calendar_are_refused_together(
    planner: Planner,
) -> None:
    # A caller that drops what was refused and plans again must not meet a new problem then.
    with pytest.raises(AnswersRefused) as error:
        planner.plan("trip", {"where": "moon"}, event_date=dt.date(9999, 12, 31))
    assert sorted((p.question, p.code) for p in error.value.problems) == [
        ("event_date", "out_of_range"),
        ("where", "unknown_option"),
    ]
