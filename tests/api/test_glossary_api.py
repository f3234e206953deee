"""GET /v1/glossary and the terms a plan marks, with the real bundled journeys and glossary."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import problem

WITHIN = {"moving_to": "other_municipality", "children": "no", "moving_housing_allowance": "no"}


def test_the_glossary_lists_every_term_with_an_explanation_and_a_source(
    client: TestClient,
) -> None:
    response = client.get("/v1/glossary?lang=sv")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    body = response.json()
    assert body["lang"] == "sv"
    assert body["fallback"] is False
    terms = {t["id"]: t for t in body["terms"]}
    inventory = terms["estate-inventory"]
    assert inventory["term"] == "bouppteckning"
    assert inventory["forms"][0] == "bouppteckning"
    assert "bouppteckningen" in inventory["forms"]
    assert inventory["explanation"].startswith("Ett möte")
    assert inventory["source"]["url"].startswith("https://www.vero.fi/")
    names = [t["term"] for t in body["terms"]]
    assert names == sorted(names, key=str.casefold)


def test_the_glossary_answers_304_to_its_etag(client: TestClient) -> None:
    first = client.get("/v1/glossary?lang=en")
    again = client.get("/v1/glossary?lang=en", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_an_unknown_language_is_a_problem_document(client: TestClient) -> None:
    response = client.get("/v1/glossary?lang=de")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == problem("invalid-request")


def test_a_plan_step_marks_the_first_use_of_each_term_in_its_body(client: TestClient) -> None:
    plan = client.post("/v1/journeys/moving/plan", json={"answers": WITHIN, "lang": "fi"}).json()
    step = next(s for s in plan["steps"] if s["id"] == "notify-dvv")
    uses = [u for u in step["terms"] if u["id"] == "notification-of-move"]
    assert len(uses) == 1
    (use,) = uses
    assert step["body"][use["start"] : use["end"]] == use["text"] == "Muuttoilmoitus"
    # The same in the GET form of the plan.
    query = "&".join(f"{k}={v}" for k, v in WITHIN.items())
    got = client.get(f"/v1/journeys/moving/plan?lang=fi&{query}").json()
    assert next(s for s in got["steps"] if s["id"] == "notify-dvv")["terms"] == step["terms"]
