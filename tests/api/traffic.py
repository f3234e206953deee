"""Requests full of personal data and secrets, as people, portals and editors send them: the
answers in plan addresses and bodies, saved checklists (their private ids) made, read and ticked
through the API and the pages, and tokens. The tests of what the logs (tests/api/test_logs.py)
and the trace spans (tests/api/test_tracing.py) keep send these and then search for every secret.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from tests.pages.test_saved import Forms

# Every invalid answer carries this, so one search finds any of them.
MARK = "zqxv"
EVENT_DATE = "2027-06-17"
MOVING = {
    "moving_to": "other_municipality",
    "children": "no",
    "moving_housing_allowance": "no",
}
MOVING_QUERY = "&".join(f"{k}={v}" for k, v in MOVING.items()) + f"&event_date={EVENT_DATE}"
BIRTH_YEAR = "1957"
# A secret is found when it stands alone: "1957" inside a timestamp's microseconds is not it.
ALONE = r"(?<![0-9A-Za-z_-]){}(?![0-9A-Za-z_-])"


class Answer(Protocol):
    status: int
    headers: Mapping[str, str]  # lower-case names

    @property
    def text(self) -> str: ...


# (method, path, JSON body, form fields, headers) -> the answer, redirects not followed
Send = Callable[[str, str, Any, list[tuple[str, str]] | None, Mapping[str, str] | None], Answer]


@dataclass
class Traffic:
    answers: list[Answer] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)

    def found_in(self, text: str) -> list[str]:
        """The secrets that appear in `text`."""
        return sorted(s for s in self.secrets if re.search(ALONE.format(re.escape(s)), text))


def send_personal_traffic(
    send: Send, *, editor_token: str, metrics_token: str | None = None
) -> Traffic:
    traffic = Traffic()

    def request(
        method: str,
        path: str,
        *,
        body: Any = None,
        form: list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        expect: int | tuple[int, ...] = 200,
    ) -> Answer:
        answer = send(method, path, body, form, headers)
        expected = (expect,) if isinstance(expect, int) else expect
        assert answer.status in expected, (method, path, answer.status, answer.text[:500])
        traffic.answers.append(answer)
        query = urlsplit(path).query
        if query:
            traffic.secrets.add(query)
        return answer

    # Plans through the API: answers in the query and in bodies, valid and not.
    request("GET", f"/v1/journeys/moving/plan?{MOVING_QUERY}")
    request("GET", f"/v1/journeys/retirement/plan?retirement_birth_year={BIRTH_YEAR}")
    request("GET", f"/v1/journeys/moving/plan?moving_to={MARK}-in-a-query", expect=422)
    request(
        "POST",
        "/v1/journeys/moving/plan",
        body={"answers": {"moving_to": f"{MARK}-in-a-body"}, "event_date": EVENT_DATE},
        expect=422,
    )
    # The pages: a question with a wrong answer, the plan, saving it and ticking a step.
    request("GET", f"/en/moving/questions?moving_to={MARK}-on-a-page", expect=(200, 400))
    plan = request("GET", f"/en/moving/plan?{MOVING_QUERY}")
    save = Forms(plan.text).posting_to(r"/save$")
    saved = request("POST", save.action, form=save.fields, expect=303)
    link = urlsplit(saved.headers["location"]).path
    page = request("GET", link)
    tick = Forms(page.text).posting_to(r"/steps/moving/")
    request("POST", tick.action, form=tick.fields, expect=303)
    traffic.secrets.add(link.rsplit("/", 1)[1])  # the private id
    traffic.secrets.update(value for name, value in save.fields + tick.fields if name == "csrf")
    # A saved checklist through the API.
    made = request(
        "POST",
        "/v1/checklists",
        body={"journey": "moving", "answers": MOVING, "event_date": EVENT_DATE},
        expect=201,
    )
    checklist = made.headers["location"]
    traffic.secrets.add(checklist.rsplit("/", 1)[1])
    request("GET", checklist)
    request("PUT", f"{checklist}/steps/moving/notify-dvv", body={"done": True})
    request(
        "PATCH",
        checklist,
        body={"answers": {"moving_to": f"{MARK}-patched"}},
        expect=(422, 428),
    )
    request("DELETE", checklist, expect=204)
    # Editors and operators, with tokens good and bad.
    request("GET", "/v1/editor/drafts", headers={"Authorization": f"Bearer {editor_token}"})
    wrong = f"{MARK}-not-a-token-0123456789abcdef"
    request("GET", "/v1/editor/drafts", headers={"Authorization": f"Bearer {wrong}"}, expect=401)
    traffic.secrets.update({editor_token, wrong})
    if metrics_token is not None:
        request("GET", "/metrics", headers={"Authorization": f"Bearer {metrics_token}"})
        traffic.secrets.add(metrics_token)

    traffic.secrets.update({MARK, EVENT_DATE, BIRTH_YEAR, *MOVING, "other_municipality"})
    return traffic
