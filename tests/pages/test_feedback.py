""" "Was this useful?" under a plan: a yes or no and an optional comment, posted without any
script; counted per journey and version, the comment kept with the day only, nothing of the
person stored or logged; the plan says thank you; what cannot be taken is explained."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import inspect, select

from api.clock import today_in_finland
from api.db import make_engine, make_sessions, transaction
from api.feedback import service as feedback_service
from api.feedback.models import FeedbackComment, FeedbackCount
from tests.pages.conftest import app_client
from tests.pages.test_saved import Forms, post

ANSWERS = "moving_to=other_municipality&children=no&moving_housing_allowance=no"
PLAN = f"/en/moving/plan?{ANSWERS}&event_date=2027-06-18"
COMMENT = "The school part was hard to find, Matti Meikäläinen 010203-123X"


def feedback_form(client: TestClient, plan: str = PLAN) -> list[tuple[str, str]]:
    form = Forms(client.get(plan).text).posting_to(r"/feedback$")
    return [("__action__", form.action), *form.fields]


def send(
    client: TestClient,
    fields: list[tuple[str, str]],
    *extra: tuple[str, str],
    headers: dict[str, str] | None = None,
    follow_redirects: bool = True,
) -> Response:
    """Post the feedback form (its action first in `fields`) with `extra` fields."""
    action = fields[0][1]
    return post(client, action, [*fields[1:], *extra], headers, follow_redirects)


def stored(client: TestClient) -> tuple[list[FeedbackCount], list[FeedbackComment]]:
    sessions = client.app.state.sessions
    with sessions() as session:
        counts = list(session.scalars(select(FeedbackCount)))
        comments = list(session.scalars(select(FeedbackComment)))
    return counts, comments


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("fi", "Oliko tästä muistilistasta hyötyä?"),
        ("sv", "Var den här checklistan till nytta?"),
        ("en", "Was this checklist useful?"),
    ],
)
def test_the_plan_asks_whether_it_was_useful_and_warns_against_personal_data(
    client: TestClient, lang: str, question: str
) -> None:
    html = client.get(f"/{lang}/moving/plan?{ANSWERS}&event_date=2027-06-18").text
    assert question in html
    form = Forms(html).posting_to(r"/feedback$")
    assert form.action == f"/{lang}/moving/plan/feedback"
    fields = dict(form.fields)
    assert fields["csrf"]
    version = client.app.state.catalogue.current.versions["moving"].number
    assert fields["version"] == str(version)
    assert fields["moving_to"] == "other_municipality"  # only to lead back to the same plan
    assert 'name="comment"' in html
    assert 'aria-describedby="feedback-comment-hint"' in html
    hint = {"fi": "henkilötunnuksia", "sv": "personbeteckningar", "en": "personal identity codes"}
    assert hint[lang] in html


def test_a_yes_with_a_comment_is_counted_and_the_plan_says_thank_you(client: TestClient) -> None:
    fields = feedback_form(client)
    response = send(client, fields, ("useful", "yes"), ("comment", COMMENT), follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    path = urlsplit(location)
    assert path.path == "/en/moving/plan"
    assert path.fragment == "feedback"
    query = dict(parse_qsl(path.query))
    assert query["moving_to"] == "other_municipality"  # the answers stay in the plan's address
    assert query["event_date"] == "2027-06-18"
    assert query["feedback"] == "sent"
    assert "comment" not in location
    assert "school" not in location.lower()

    thanked = client.get(location)
    assert thanked.status_code == 200
    assert thanked.headers["cache-control"] == "private, no-store"
    assert "Thank you for your feedback" in thanked.text
    assert 'action="/en/moving/plan/feedback"' not in thanked.text  # said once: no second form
    # The rest of the plan is unchanged: the feedback flag is not an answer.
    assert "Some answers in the address were not understood" not in thanked.text

    counts, comments = stored(client)
    version = client.app.state.catalogue.current.versions["moving"].number
    assert [(c.slug, c.version, c.useful, c.count) for c in counts] == [
        ("moving", version, True, 1)
    ]
    (comment,) = comments
    assert (comment.slug, comment.version, comment.useful) == ("moving", version, True)
    assert comment.comment == COMMENT
    assert comment.day == today_in_finland()


def test_a_no_without_a_comment_is_counted_and_keeps_no_empty_comment(client: TestClient) -> None:
    fields = feedback_form(client)
    for _ in range(2):
        send(client, fields, ("useful", "no"), ("comment", "  \r\n "))
    send(client, fields, ("useful", "yes"))
    counts, comments = stored(client)
    assert sorted((c.useful, c.count) for c in counts) == [(False, 2), (True, 1)]
    assert comments == []


def test_the_tables_hold_nothing_that_could_point_at_a_person(client: TestClient) -> None:
    sessions = client.app.state.sessions
    with sessions() as session:
        inspector = inspect(session.get_bind())
        columns = {
            table: {c["name"] for c in inspector.get_columns(table)}
            for table in ("feedback_counts", "feedback_comments")
        }
    assert columns == {
        "feedback_counts": {"slug", "version", "useful", "count"},
        "feedback_comments": {"id", "slug", "version", "useful", "comment", "day"},
    }


def test_no_choice_is_explained_and_what_was_typed_is_kept(client: TestClient) -> None:
    fields = feedback_form(client)
    response = send(client, fields, ("comment", "Too <b>long</b> list"))
    assert response.status_code == 400
    html = response.text
    assert response.headers["cache-control"] == "private, no-store"
    assert "<title>Error: Was this checklist useful? – Polku</title>" in html
    assert "There is a problem" in html
    assert '<a href="#feedback-useful">Select yes or no</a>' in html
    assert "Too &lt;b&gt;long&lt;/b&gt; list</textarea>" in html  # kept, escaped
    assert 'aria-describedby="feedback-useful-error"' in html
    # Sending again from this page still leads back to the plan with its answers.
    again = Forms(html).posting_to(r"/feedback$")
    assert ("moving_to", "other_municipality") in again.fields
    plan = f"/en/moving/plan?{ANSWERS}&event_date=2027-06-18".replace("&", "&amp;")
    assert f'href="{plan}"' in html
    assert stored(client) == ([], [])
    ok = post(client, again.action, [*again.fields, ("useful", "yes")], follow_redirects=False)
    assert ok.status_code == 303


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fi", "Kommentissa saa olla enintään 500 merkkiä: siinä on nyt 501"),
        ("sv", "Kommentaren får ha högst 500 tecken: den har nu 501"),
        ("en", "The comment must be 500 characters or fewer: it is 501"),
    ],
)
def test_a_comment_too_long_names_the_limit(client: TestClient, lang: str, message: str) -> None:
    fields = feedback_form(client, f"/{lang}/moving/plan?{ANSWERS}")
    response = send(client, fields, ("useful", "yes"), ("comment", "x" * 501))
    assert response.status_code == 400
    assert f'<a href="#feedback-comment">{message}</a>' in response.text
    assert 'value="yes" id="feedback-useful" checked' in response.text
    assert stored(client) == ([], [])
    exactly = send(client, fields, ("useful", "yes"), ("comment", "x" * 500))
    assert exactly.status_code == 200


def test_the_embedded_plan_posts_and_comes_back_inside_the_frame(client: TestClient) -> None:
    fields = feedback_form(client, f"/embed/sv/moving/plan?{ANSWERS}")
    assert fields[0] == ("__action__", "/embed/sv/moving/plan/feedback")
    response = send(client, fields, ("useful", "no"), follow_redirects=False)
    assert response.headers["location"].startswith("/embed/sv/moving/plan?")
    assert "Tack för din respons" in client.get(response.headers["location"]).text


@pytest.mark.parametrize(
    "change",
    [
        lambda f: [(k, v) for k, v in f if k != "csrf"],  # no token
        lambda f: [(k, "x" + v if k == "csrf" else v) for k, v in f],  # a forged one
        lambda f: [(k, "99999" if k == "version" else v) for k, v in f],  # no such version
        lambda f: [(k, "one" if k == "version" else v) for k, v in f],
        lambda f: [(k, "¹" if k == "version" else v) for k, v in f],  # isdigit(), not int()
    ],
)
def test_a_form_that_is_not_ours_counts_nothing(client: TestClient, change: object) -> None:
    fields = feedback_form(client)
    response = send(client, change(fields), ("useful", "yes"))  # type: ignore[operator]
    assert response.status_code == 400
    assert stored(client) == ([], [])


def test_a_form_from_another_site_counts_nothing(client: TestClient) -> None:
    fields = feedback_form(client)
    response = send(client, fields, ("useful", "yes"), headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 400
    assert stored(client) == ([], [])


def test_a_token_of_another_journey_is_refused(client: TestClient) -> None:
    fields = feedback_form(client)
    other = [("__action__", "/en/death/plan/feedback"), *fields[1:]]
    assert send(client, other, ("useful", "yes")).status_code == 400


def test_the_comment_and_the_answers_are_never_logged(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    fields = feedback_form(client)
    with caplog.at_level(logging.DEBUG):
        send(client, fields, ("useful", "yes"), ("comment", COMMENT))
        send(client, fields, ("comment", COMMENT))  # refused: still not logged
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert caplog.records  # the access log did write
    assert "Meikäläinen" not in logged
    assert "010203" not in logged


def test_too_many_answers_from_one_client_are_refused(database_url: str) -> None:
    with app_client(database_url, limit_feedback="2/hour") as client:
        fields = feedback_form(client)
        for _ in range(2):
            assert send(client, fields, ("useful", "yes")).status_code == 200
        refused = send(client, fields, ("useful", "yes"))
        assert refused.status_code == 429
        assert "retry-after" in refused.headers
        counts, _ = stored(client)
        assert [c.count for c in counts] == [2]


def test_answers_at_the_same_moment_are_all_counted(database_url: str) -> None:
    """One statement adds one (insert, or add on conflict): no answer is lost to another that
    read the same count, on either database."""
    engine = make_engine(database_url)
    try:
        sessions = make_sessions(engine)
        senders = 8
        barrier = threading.Barrier(senders)
        failures: list[BaseException] = []

        def answer(useful: bool) -> None:
            try:
                with transaction(sessions) as session:
                    barrier.wait(timeout=30)
                    feedback_service.record(
                        session=session,
                        slug="moving",
                        version=1,
                        useful=useful,
                        comment="",
                        day=dt.date(2026, 12, 4),
                    )
            except BaseException as exc:  # reported below, in the test's thread
                failures.append(exc)

        threads = [threading.Thread(target=answer, args=(i % 2 == 0,)) for i in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        with sessions() as session:
            counts = {c.useful: c.count for c in session.scalars(select(FeedbackCount))}
        assert counts == {True: senders // 2, False: senders // 2}
    finally:
        engine.dispose()
