"""The public reads and plans, on SQLite and PostgreSQL, with the real bundled journeys."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import problem

ABROAD = {
    "moving_to": "abroad",
    "moving_destination": "other",
    "moving_abroad_length": "over_6_months",
    "moving_finnish_citizen": "yes",
    "children": "yes",
    "moving_children_ages": ["school_age"],
    "moving_housing_allowance": "no",
}
WITHIN = {"moving_to": "other_municipality", "children": "no", "moving_housing_allowance": "no"}


def keys(plan: dict[str, Any]) -> set[str]:
    return {step["key"] for step in plan["steps"] + plan["automatic"]}


class TestJourneys:
    def test_the_list_shows_the_bundled_journeys_in_the_requested_language(
        self, client: TestClient
    ) -> None:
        response = client.get("/v1/journeys", params={"lang": "sv"})
        assert response.status_code == 200
        body = response.json()
        assert body["lang"] == "sv"
        titles = {j["slug"]: j["title"] for j in body["journeys"]}
        assert set(titles) >= {"moving", "death-of-a-loved-one"}
        assert titles["death-of-a-loved-one"] == "När en närstående dör"
        assert response.headers["content-language"] == "sv"

    def test_accept_language_picks_the_language_and_finnish_is_the_default(
        self, client: TestClient
    ) -> None:
        english = client.get("/v1/journeys", headers={"Accept-Language": "de, en;q=0.8"})
        assert english.json()["lang"] == "en"
        default = client.get("/v1/journeys", headers={"Accept-Language": "de"})
        assert default.json()["lang"] == "fi"

    def test_the_list_filters_by_kind_life_event_and_text(self, client: TestClient) -> None:
        def slugs(**params: str) -> list[str]:
            return [j["slug"] for j in client.get("/v1/journeys", params=params).json()["journeys"]]

        assert "moving" in slugs(kind="life")
        assert slugs(kind="business") == [
            "becoming-an-employer",
            "closing-a-business",
            "starting-a-business",
        ]
        assert "closing-a-business" not in slugs(kind="life")
        assert slugs(life_event="KE14") == ["death-of-a-loved-one"]
        assert "moving" in slugs(life_event="KE4")  # KE4 covers its subclasses
        # Best first: "muutto" is the moving journey's own word, then journeys with a move in them.
        assert slugs(q="MUUTTO") == [
            "moving",
            "moving-in-together-or-marrying",
            "moving-to-finland",
            "starting-full-time-studies",
        ]

    def test_the_text_filter_is_the_pages_search_in_any_language(self, client: TestClient) -> None:
        body = client.get("/v1/journeys", params={"q": "työttömänä", "lang": "en"}).json()
        assert [j["title"] for j in body["journeys"]] == ["Losing your job"]
        divorce = client.get("/v1/journeys", params={"q": "ero"}).json()["journeys"]
        assert [j["slug"] for j in divorce] == ["divorce-or-separation"]
        filtered = client.get("/v1/journeys", params={"q": "pension", "kind": "business"})
        assert [j["slug"] for j in filtered.json()["journeys"]] == ["starting-a-business"]

    def test_one_journey_has_its_definition_owner_sources_and_version(
        self, client: TestClient
    ) -> None:
        body = client.get("/v1/journeys/moving?lang=en").json()
        assert body["slug"] == "moving"
        assert body["version"] == 1
        assert len(body["content_hash"]) == 64
        assert body["owner"]["id"] == "dvv"
        assert body["sources"]
        assert body["last_reviewed"] == "2026-11-28"
        notify = next(s for s in body["steps"] if s["id"] == "notify-dvv")
        assert notify["deadline_rule"] == "within 1 week after the moving day"
        assert any(q["id"] == "children" for q in body["questions"])

    def test_an_unknown_journey_is_a_404_problem(self, client: TestClient) -> None:
        response = client.get("/v1/journeys/no-such-journey")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == problem("unknown-journey")

    def test_organisations_and_life_events_with_the_journeys_covering_them(
        self, client: TestClient
    ) -> None:
        organisations = client.get("/v1/organisations?lang=en").json()["organisations"]
        assert {"dvv", "kela", "vero"} <= {o["id"] for o in organisations}
        events = {e["code"]: e for e in client.get("/v1/life-events?lang=sv").json()["life_events"]}
        assert events["KE14"]["journeys"] == ["death-of-a-loved-one"]
        assert "moving" in events["KE4.3"]["journeys"]
        assert events["KE4.3"]["label"] == "Flyttning från Finland"  # corrected label
        assert events["KE4.3"]["note"]


class TestPlans:
    def test_moving_abroad_and_within_finland_differ_as_the_journey_says(
        self, client: TestClient
    ) -> None:
        abroad = client.post("/v1/journeys/moving/plan", json={"answers": ABROAD, "lang": "en"})
        within = client.post("/v1/journeys/moving/plan", json={"answers": WITHIN, "lang": "en"})
        assert abroad.status_code == within.status_code == 200
        a, w = abroad.json(), within.json()
        assert a["complete"]
        assert w["complete"]
        assert {"moving/notify-kela-abroad", "moving/three-year-rule"} <= keys(a) - keys(w)
        assert {"moving/voting-after-move"} <= keys(w) - keys(a)
        assert "moving/notify-dvv" in keys(a) & keys(w)

    def test_get_with_answers_in_the_query_gives_the_same_plan_as_post(
        self, client: TestClient
    ) -> None:
        query = {
            **ABROAD,
            "moving_children_ages": "school_age",
            "lang": "en",
            "event_date": "2027-06-18",
            "today": "2027-06-01",
        }
        got = client.get("/v1/journeys/moving/plan", params=query)
        posted = client.post(
            "/v1/journeys/moving/plan",
            json={
                "answers": ABROAD,
                "lang": "en",
                "event_date": "2027-06-18",
                "today": "2027-06-01",
            },
        )
        assert got.status_code == 200
        assert got.json() == posted.json()

    def test_due_dates_move_off_holidays_and_past_ones_are_overdue(
        self, client: TestClient
    ) -> None:
        # 18 June 2027 + 1 week = Friday 25 June, Midsummer Eve: due Monday 28 June.
        plan = client.post(
            "/v1/journeys/moving/plan",
            json={"answers": WITHIN, "event_date": "2027-06-18", "today": "2027-06-30"},
        ).json()
        notify = next(s for s in plan["steps"] if s["id"] == "notify-dvv")
        assert notify["due"] == "2027-06-28"
        assert notify["opens"] == "2027-05-18"
        assert notify["overdue"] is True

    def test_partial_answers_give_the_next_questions(self, client: TestClient) -> None:
        plan = client.post("/v1/journeys/moving/plan", json={"answers": {}}).json()
        assert plan["complete"] is False
        assert plan["questions"][0]["id"] == "moving_to"

    def test_a_chained_journey_is_included_with_the_same_answers(self, client: TestClient) -> None:
        plan = client.post(
            "/v1/journeys/death-of-a-loved-one/plan",
            json={"answers": {"survivor_moves": "yes"}, "lang": "en"},
        ).json()
        assert [c["journey"] for c in plan["included"]] == ["moving"]
        asked = [q["id"] for q in plan["questions"]]
        assert asked.count("children") == 1

    def test_invalid_answers_are_a_422_listing_each_by_question_id(
        self, client: TestClient
    ) -> None:
        response = client.post(
            "/v1/journeys/moving/plan",
            json={"answers": {"moving_to": "mars", "children": True, "nope": "x"}},
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["type"] == problem("invalid-answers")
        assert sorted((a["question"], a["code"]) for a in body["answers"]) == [
            ("children", "wrong_type"),
            ("moving_to", "unknown_option"),
            ("nope", "unknown_question"),
        ]

    def test_invalid_answers_in_the_query_are_a_422_too(self, client: TestClient) -> None:
        response = client.get("/v1/journeys/moving/plan", params={"moving_to": "x" * 500})
        assert response.status_code == 422
        assert response.json()["answers"][0]["code"] == "too_long"

    def test_a_number_in_the_query_is_what_json_takes_as_a_number_and_nothing_else(
        self, client: TestClient
    ) -> None:
        # float() reads all of these; a JSON body could send none of them as a number.
        codes = {}
        for text in ["１９６０", "1_960", " 1960 ", "+1960", "nan", "inf", "1960e0", "0x7a8"]:
            response = client.get(
                "/v1/journeys/retirement/plan", params={"retirement_birth_year": text}
            )
            codes[text] = [(a["question"], a["code"]) for a in response.json().get("answers", [])]
        assert codes == {text: [("retirement_birth_year", "wrong_type")] for text in codes}
        for text in ["1960", "1960.0"]:
            response = client.get(
                "/v1/journeys/retirement/plan", params={"retirement_birth_year": text}
            )
            assert response.status_code == 200, text

    def test_the_bundled_journeys_need_no_finnish_fallback_in_swedish(
        self, client: TestClient
    ) -> None:
        # The fallback itself is tested on a fixture with a missing text (tests/engine).
        plan = client.post("/v1/journeys/moving/plan", json={"answers": WITHIN, "lang": "sv"})
        assert plan.json()["fallback"] is False  # the bundled journeys are complete
