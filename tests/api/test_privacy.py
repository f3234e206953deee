"""A person's answers are personal data: no request writes them to the logs."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

SECRET_DATE = "1971-03-14"


def test_plan_and_checklist_requests_log_none_of_the_answers(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = {
        "relationship_to_deceased": "spouse",
        "survivor_moves": "not_sure",
        "death_place": "abroad",
    }
    client.get(
        "/v1/journeys/death-of-a-loved-one/plan", params={**answers, "event_date": SECRET_DATE}
    )
    client.post(
        "/v1/journeys/death-of-a-loved-one/plan",
        json={"answers": answers, "event_date": SECRET_DATE},
    )
    client.post(
        "/v1/journeys/death-of-a-loved-one/plan",
        json={"answers": {"relationship_to_deceased": "ex-spouse-abroad"}},
    )
    made = client.post(
        "/v1/checklists",
        json={"journey": "death-of-a-loved-one", "answers": answers, "event_date": SECRET_DATE},
    )
    checklist_id = made.json()["id"]
    client.get(f"/v1/checklists/{checklist_id}")
    client.patch(f"/v1/checklists/{checklist_id}", json={"answers": {"death_place": "mars"}})
    client.delete(f"/v1/checklists/{checklist_id}")

    # Everything the server side logged (the test's own HTTP client logs its URLs: not ours).
    logged = "\n".join(
        record.getMessage()
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))
    )
    assert "POST /v1/journeys/{slug}/plan 200" in logged  # the access log did run
    assert "GET /v1/checklists/{checklist_id} 200" in logged
    for secret in ("spouse", "not_sure", "abroad", "mars", SECRET_DATE, checklist_id):
        assert secret not in logged, f"{secret!r} was logged"
