"""HEAD is answered wherever GET is: the same status and headers, and no body."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.checklists.service import calendar_token
from api.pages.render import static_url
from tests.routes import route_table

ANSWERS = "moving_to=other_municipality&household=alone&housing=rent&children=no"
# What each path parameter is filled with; the editor routes answer 401 without a token, which
# is as good a GET to compare with as any.
VALUES = {
    "lang": "en",
    "slug": "moving",
    "number": "1",
    "name": "unknown-journey",
    "step_id": "notify-dvv",
    "question_id": "moving_to",
}
QUERIES = {
    "/v1/journeys/{slug}/plan": ANSWERS,
    "/{lang}/{slug}/check": ANSWERS,
    "/{lang}/{slug}/plan": ANSWERS + "&event_date=2027-06-18",
    "/{lang}/{slug}/plan.ics": ANSWERS + "&event_date=2027-06-18",
    "/v1/editor/journeys/{slug}/diff": "from=1&to=1",
}
# Differ from one response to the next whatever the method.
VARYING = {"date", "x-request-id"}
# Every read of a saved checklist moves its expiry, so its ETag changes from read to read.
READ_CHANGES = {"/v1/checklists/{checklist_id}"}


def _address(template: str, checklist_id: str) -> str:
    values = {**VALUES, "checklist_id": checklist_id, "token": calendar_token(checklist_id)}
    if template == "/static/{version}/{name}":
        return static_url("polku.css")
    path = re.sub(r"\{(\w+)\}", lambda m: values[m[1]], template)
    query = QUERIES.get(template.removeprefix("/embed"), "")
    return f"{path}?{query}" if query else path


def test_every_get_route_answers_head_with_the_same_headers_and_no_body(
    client: TestClient,
) -> None:
    made = client.post("/v1/checklists", json={"journey": "moving"})
    assert made.status_code == 201
    templates = [path for path, methods in route_table(client.app.routes) if "GET" in methods]
    assert len(templates) > 30
    for template in templates:
        address = _address(template, made.json()["id"])
        got = client.get(address, follow_redirects=False)
        head = client.head(address, follow_redirects=False)
        assert head.status_code == got.status_code, address
        assert head.content == b"", address
        varying = VARYING | ({"etag"} if template in READ_CHANGES else set())
        same = {k: v for k, v in got.headers.items() if k not in varying}
        assert {k: v for k, v in head.headers.items() if k not in varying} == same, address
        assert got.status_code != 405, address


def test_a_method_not_allowed_names_head_beside_get(client: TestClient) -> None:
    response = client.delete("/v1/journeys")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
