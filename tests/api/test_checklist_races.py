"""Writes to one saved checklist at the same moment, against a real server with two workers on a
database of each kind: every change a client was told succeeded is in the checklist afterwards.

Every write is a read-modify-write of one row. Python's sqlite3 driver reads outside a
transaction, so on SQLite a lock taken while reading protects nothing: two ticks that read the
same `done` list used to both answer 200, and the one written last dropped the other's tick.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from tests.pages.test_saved import Forms
from tests.server import LiveServer, running_server

CLIENTS = 7
ROUNDS = 30
SECRET = {"POLKU_SECRET_KEY": "k" * 40}  # two workers must accept each other's form tokens
WITHIN = {"moving_to": "other_municipality", "children": "no", "moving_housing_allowance": "no"}


@dataclass(frozen=True)
class Sent:
    method: str
    path: str
    body: bytes
    content_type: str


def at_once(server: LiveServer, requests: list[Sent]) -> list[int]:
    """Send `requests` in threads released together (each connection already open), and return
    the statuses in the same order."""
    barrier = threading.Barrier(len(requests))

    def send(sent: Sent) -> int:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
        try:
            connection.connect()
            barrier.wait(timeout=30)
            connection.request(
                sent.method,
                sent.path,
                body=sent.body,
                headers={"Connection": "close", "Content-Type": sent.content_type},
            )
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, requests))


def tick(location: str, key: str, done: bool) -> Sent:
    return Sent(
        "PUT", f"{location}/steps/{key}", json.dumps({"done": done}).encode(), "application/json"
    )


@pytest.fixture(scope="module")
def server(
    shared_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One server per database kind for the tests below (starting one costs seconds)."""
    directory = tmp_path_factory.mktemp("races")
    with running_server(shared_database_url, directory / "server", workers=2, env=SECRET) as live:
        yield live


def test_ticks_of_different_steps_sent_at_once_are_all_kept(server: LiveServer) -> None:
    """Seven clients tick (then untick) seven different steps of one checklist at once, thirty
    times: every tick or untick that got a 2xx shows in the checklist afterwards."""
    made = server.request("POST", "/v1/checklists", body={"journey": "moving", "answers": WITHIN})
    assert made.status == 201, made.body
    location = made.headers["location"]
    plan = made.json()["plan"]
    keys = [f"{s['journey']}/{s['id']}" for s in plan["steps"] + plan["automatic"]][:CLIENTS]
    assert len(keys) == CLIENTS
    lost = 0
    for round_ in range(ROUNDS):
        done = round_ % 2 == 0
        statuses = at_once(server, [tick(location, key, done) for key in keys])
        assert all(200 <= status < 300 for status in statuses), statuses
        kept = set(server.get(location).json()["done"])
        lost += sum((key in kept) != done for key in keys)
    assert lost == 0, f"{lost} of {CLIENTS * ROUNDS} acknowledged ticks were lost"


def test_a_page_tick_and_an_api_change_at_once_keep_each_others_change(
    server: LiveServer,
) -> None:
    """A tick from the page and a PATCH of the answers at the same moment: the answers change,
    the tick stays, and the tick of the step the new answers took away goes."""
    with_allowance = {**WITHIN, "moving_housing_allowance": "yes"}
    gone = "moving/review-housing-allowance"  # only with housing allowance
    for _ in range(15):
        made = server.request(
            "POST", "/v1/checklists", body={"journey": "moving", "answers": with_allowance}
        )
        assert made.status == 201, made.body
        location = made.headers["location"]
        checklist_id = location.rsplit("/", 1)[1]
        assert server.request("PUT", f"{location}/steps/{gone}", body={"done": True}).status == 200
        page = server.get(f"/en/checklist/{checklist_id}")
        assert page.status == 200
        form = Forms(page.body.decode()).posting_to("/steps/moving/notify-dvv$")
        assert ("done", "1") in form.fields
        statuses = at_once(
            server,
            [
                Sent(
                    "POST",
                    form.action,
                    urlencode(form.fields).encode(),
                    "application/x-www-form-urlencoded",
                ),
                Sent(
                    "PATCH",
                    location,
                    json.dumps({"answers": WITHIN}).encode(),
                    "application/json",
                ),
            ],
        )
        assert statuses == [303, 200]
        after = server.get(location).json()
        assert after["answers"] == WITHIN
        assert after["done"] == ["moving/notify-dvv"]
