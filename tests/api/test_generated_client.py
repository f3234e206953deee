"""The committed contract is usable by portals: a typed Python client generated from openapi.yaml
with openapi-python-client (offline) does a portal's whole round against a real server.

Generation fails the test on any generator warning (a part of the contract it could not
express); the client is imported from a temporary directory and removed again afterwards.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import httpx
import pytest

from tests.conftest import BUNDLED, ROOT
from tests.server import LiveServer, running_server

PACKAGE = "polku_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")

TODAY = dt.date(2026, 5, 4)
MOVING_DAY = dt.date(2026, 6, 1)
ABROAD = {
    "moving_to": "abroad",
    "moving_destination": "eu_eea",
    "moving_abroad_length": "over_6_months",
    "moving_finnish_citizen": "yes",
    "children": "no",
}

MODULES = {
    "list_journeys": "api.journeys.list_journeys",
    "get_journey": "api.journeys.get_journey",
    "plan_journey": "api.journeys.plan_journey",
    "get_plan": "api.journeys.get_plan",
    "list_organisations": "api.journeys.list_organisations",
    "create_checklist": "api.checklists.create_checklist",
    "get_checklist": "api.checklists.get_checklist",
    "update_checklist": "api.checklists.update_checklist",
    "set_step_done": "api.checklists.set_step_done",
    "delete_checklist": "api.checklists.delete_checklist",
    "readyz": "api.health.readyz",
}


FREE_FORM = re.compile(r"(Answers|When)(Type0)?$")  # models that are open dicts on purpose


def unknown_fields(value: Any, where: str = "") -> list[str]:
    """Fields the server sent that the contract does not declare, anywhere in a parsed
    response (the generated models keep them in `additional_properties`)."""
    if isinstance(value, list):
        return [f for i, item in enumerate(value) for f in unknown_fields(item, f"{where}[{i}]")]
    fields = getattr(type(value), "__attrs_attrs__", None)  # every generated model is attrs
    if fields is None:
        return []
    found = []
    if not FREE_FORM.search(type(value).__name__):
        found += [f"{where}.{key}" for key in getattr(value, "additional_properties", {})]
    for field in fields:
        if field.name != "additional_properties":
            found += unknown_fields(getattr(value, field.name), f"{where}.{field.name}")
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """The client generated from openapi.yaml: `.Client`, `.models` and one module per
    operation (`.get_plan.sync(...)`)."""
    directory = tmp_path_factory.mktemp("generated")
    config = directory / "config.yaml"
    config.write_text("post_hooks: []\n", encoding="utf-8")  # no formatter needed to import it
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(ROOT / "openapi.yaml"),
            "--output-path",
            str(directory / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
            "--fail-on-warning",
        ],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"openapi-python-client failed:\n{result.stdout}\n{result.stderr}")
    sys.path.insert(0, str(directory))
    try:
        package = importlib.import_module(PACKAGE)
        modules: dict[str, ModuleType] = {
            name: importlib.import_module(f"{PACKAGE}.{module}") for name, module in MODULES.items()
        }
        yield SimpleNamespace(
            Client=package.Client,
            models=importlib.import_module(f"{PACKAGE}.models"),
            types=importlib.import_module(f"{PACKAGE}.types"),
            **modules,
        )
    finally:
        sys.path.remove(str(directory))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_a_language_is_one_type_in_the_client(generated: SimpleNamespace) -> None:
    """One shared `Lang` schema: a portal converts its language once, not per operation (and
    one `TranslationLang` for the editors' translations, which are never Finnish)."""
    enums = sorted(name for name in dir(generated.models) if re.search(r"Lang(Type\d+)?$", name))
    assert enums == ["Lang", "TranslationLang"]
    assert {lang.value for lang in generated.models.Lang} == {"fi", "sv", "en"}


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    with running_server(database_url, tmp_path / "server") as live:
        yield live


@pytest.fixture
def client(generated: SimpleNamespace, server: LiveServer) -> Iterator[Any]:
    with generated.Client(
        base_url=server.url, timeout=httpx.Timeout(10.0), raise_on_unexpected_status=True
    ) as portal:
        yield portal


def test_a_portal_reads_and_plans(generated: SimpleNamespace, client: Any) -> None:
    m = generated.models

    listing = generated.list_journeys.sync(client=client, lang=m.Lang.EN)
    assert isinstance(listing, m.JourneyList)
    assert listing.lang is m.Lang.EN
    assert listing.fallback is False
    journeys = {j.slug: j for j in listing.journeys}
    assert set(journeys) == set(BUNDLED)
    summary = journeys["moving"]
    assert isinstance(summary, m.JourneySummary)
    assert (summary.title, summary.version) == ("Moving home", 1)
    assert summary.kind is m.JourneySummaryKind.LIFE
    assert isinstance(summary.owner, m.OrganisationRead)
    assert summary.owner.id == "dvv"
    assert isinstance(summary.last_reviewed, dt.date)
    assert "KE4" in summary.life_events

    swedish = generated.list_journeys.sync(client=client, accept_language="sv-FI, en;q=0.5")
    assert swedish.lang is m.Lang.SV
    business = generated.list_journeys.sync(client=client, kind=m.ListJourneysKindType0.BUSINESS)
    assert [j.slug for j in business.journeys] == [
        "becoming-an-employer",
        "closing-a-business",
        "starting-a-business",
    ]

    journey = generated.get_journey.sync("moving", client=client, lang=m.Lang.EN)
    assert isinstance(journey, m.JourneyRead)
    assert (journey.slug, journey.version, journey.title) == ("moving", 1, "Moving home")
    assert journey.kind is m.JourneyReadKind.LIFE
    assert journey.lang is m.Lang.EN
    assert isinstance(journey.published_at, dt.datetime)
    assert journey.published_at.tzinfo is not None
    assert len(journey.content_hash) >= 16
    questions = {q.id: q for q in journey.questions}
    moving_to = questions["moving_to"]
    assert isinstance(moving_to, m.QuestionDefinition)
    assert moving_to.type_ is m.QuestionDefinitionType.CHOICE
    assert [o.id for o in moving_to.options] == [
        "same_municipality",
        "other_municipality",
        "abroad",
        "to_finland",
    ]
    asked_when = questions["moving_destination"].asked_when
    assert isinstance(asked_when, m.QuestionDefinitionAskedWhenType0)
    assert asked_when.to_dict() == {"question": "moving_to", "equals": "abroad"}
    assert all(isinstance(s, m.StepDefinition) for s in journey.steps)
    assert "notify-dvv" in {s.id for s in journey.steps}

    # POST: the answers in a body.
    request = m.PlanRequest(
        answers=m.PlanRequestAnswers.from_dict(ABROAD),
        event_date=MOVING_DAY,
        today=TODAY,
        lang=m.Lang.EN,
    )
    posted = generated.plan_journey.sync_detailed("moving", client=client, body=request)
    assert posted.status_code == 200
    assert posted.headers["cache-control"] == "no-store"
    plan = posted.parsed
    assert isinstance(plan, m.PlanRead)
    assert (plan.journey, plan.version, plan.complete) == ("moving", 1, True)
    assert plan.lang is m.Lang.EN
    assert (plan.event_date, plan.today) == (MOVING_DAY, TODAY)
    assert plan.questions == []
    assert set(ABROAD) <= set(plan.answered)
    assert plan.steps
    step = next(s for s in plan.steps if s.id == "notify-dvv")
    assert isinstance(step, m.PlanStepRead)
    assert step.key == "moving/notify-dvv"
    assert step.kind is m.PlanStepReadKind.TASK
    assert isinstance(step.timing, m.PlanStepReadTiming)
    assert isinstance(step.due, dt.date)
    assert step.reasons
    assert all(isinstance(link, m.LinkRead) for link in step.links)
    assert isinstance(step.organisation, m.OrganisationRead)

    # GET: the same answers in the query string, one parameter per question (style form,
    # explode): the generated client spreads the free-form `answers` object into the query.
    got = generated.get_plan.sync_detailed(
        "moving",
        client=client,
        answers=m.GetPlanAnswers.from_dict(ABROAD),
        event_date=MOVING_DAY,
        today=TODAY,
        lang=m.Lang.EN,
    )
    assert got.status_code == 200
    assert got.headers["cache-control"].startswith("private")
    assert isinstance(got.parsed, m.PlanRead)
    assert got.parsed.to_dict() == plan.to_dict()

    # A partial plan asks the next question, typed.
    partial = generated.get_plan.sync(
        "moving",
        client=client,
        answers=m.GetPlanAnswers.from_dict({"moving_to": "abroad"}),
        lang=m.Lang.EN,
    )
    assert partial.complete is False
    assert isinstance(partial.questions[0], m.QuestionView)
    assert partial.questions[0].id == "moving_destination"
    assert partial.questions[0].type_ is m.QuestionViewType.CHOICE

    # Answers that do not fit: the typed problem names each one.
    wrong = generated.get_plan.sync(
        "moving", client=client, answers=m.GetPlanAnswers.from_dict({"moving_to": "mars"})
    )
    assert isinstance(wrong, m.InvalidAnswersProblemRead)
    assert wrong.status == 422
    assert [(a.question, a.code) for a in wrong.answers] == [("moving_to", "unknown_option")]
    # A request that does not validate at all: the other 422 shape, with the field errors.
    invalid = generated.get_plan.sync("Not_A_Slug", client=client)
    assert isinstance(invalid, m.ValidationProblemRead)
    assert invalid.status == 422
    assert [e.location for e in invalid.errors] == [["path", "slug"]]

    # A multiple-choice answer: a list in a body, comma-separated in a query string.
    family = {**ABROAD, "children": "yes"}
    ages = ["under_school_age", "school_age"]
    by_post = generated.plan_journey.sync(
        "moving",
        client=client,
        body=m.PlanRequest(
            answers=m.PlanRequestAnswers.from_dict({**family, "moving_children_ages": ages}),
            today=TODAY,
        ),
    )
    by_get = generated.get_plan.sync(
        "moving",
        client=client,
        answers=m.GetPlanAnswers.from_dict({**family, "moving_children_ages": ",".join(ages)}),
        today=TODAY,
    )
    assert isinstance(by_post, m.PlanRead)
    assert by_post.complete is True
    assert "moving_children_ages" in by_post.answered
    assert by_get.to_dict() == by_post.to_dict()

    missing = generated.get_journey.sync("no-such-journey", client=client)
    assert isinstance(missing, m.ProblemRead)
    assert missing.status == 404

    organisations = generated.list_organisations.sync(client=client)
    assert isinstance(organisations, m.OrganisationList)
    everything = [listing, journey, plan, partial, wrong, invalid, by_post, missing, organisations]
    assert unknown_fields(everything) == []
    assert "dvv" in {o.id for o in organisations.organisations}
    ready = generated.readyz.sync(client=client)
    assert isinstance(ready, m.ReadyRead)
    assert (ready.generation, ready.journeys) == (1, len(BUNDLED))


def test_a_portal_keeps_a_checklist(generated: SimpleNamespace, client: Any) -> None:
    m = generated.models
    english = {"lang": m.Lang.EN, "today": TODAY}

    made = generated.create_checklist.sync_detailed(
        client=client,
        body=m.ChecklistCreate(
            journey="moving",
            answers=m.ChecklistCreateAnswers.from_dict(ABROAD),
            event_date=MOVING_DAY,
            lang=m.Lang.EN,
        ),
        today=TODAY,
    )
    assert made.status_code == 201
    checklist = made.parsed
    assert isinstance(checklist, m.ChecklistRead)
    assert made.headers["location"] == f"/v1/checklists/{checklist.id}"
    assert (checklist.journey, checklist.version) == ("moving", 1)
    assert checklist.answers.to_dict() == ABROAD
    assert checklist.event_date == MOVING_DAY
    assert checklist.done == []
    assert checklist.newer_version is None
    assert isinstance(checklist.created_at, dt.datetime)
    assert checklist.expires_at > checklist.created_at
    assert isinstance(checklist.plan, m.PlanRead)
    assert checklist.plan.complete is True
    assert checklist.plan.lang is m.Lang.EN
    checklist_id = checklist.id

    read = generated.get_checklist.sync(checklist_id, client=client, **english)
    assert isinstance(read, m.ChecklistRead)
    assert read.id == checklist_id
    assert read.plan.to_dict() == checklist.plan.to_dict()

    ticked = generated.set_step_done.sync(
        checklist_id,
        "moving",
        "notify-dvv",
        client=client,
        body=m.StepDone(done=True),
        lang=m.Lang.EN,
        today=TODAY,
    )
    assert isinstance(ticked, m.ChecklistRead)
    assert ticked.done == ["moving/notify-dvv"]

    # Change one answer: the answers are replaced as a whole, the tick stays (the step still
    # applies) and the plan follows the new answer.
    nordic = {**ABROAD, "moving_destination": "nordic"}
    changed = generated.update_checklist.sync(
        checklist_id,
        client=client,
        body=m.ChecklistUpdate(answers=m.ChecklistUpdateAnswersType0.from_dict(nordic)),
        lang=m.Lang.EN,
        today=TODAY,
    )
    assert isinstance(changed, m.ChecklistRead)
    assert changed.answers["moving_destination"] == "nordic"
    assert changed.done == ["moving/notify-dvv"]
    assert changed.event_date == MOVING_DAY
    assert changed.plan.to_dict() != checklist.plan.to_dict()
    again = generated.get_checklist.sync(checklist_id, client=client, **english)
    assert again.answers.to_dict() == nordic
    assert again.plan.to_dict() == changed.plan.to_dict()

    deleted = generated.delete_checklist.sync_detailed(checklist_id, client=client)
    assert deleted.status_code == 204
    gone = generated.get_checklist.sync_detailed(checklist_id, client=client, **english)
    assert gone.status_code == 404
    assert isinstance(gone.parsed, m.ProblemRead)
    assert gone.parsed.status == 404
    assert generated.delete_checklist.sync_detailed(checklist_id, client=client).status_code == 404
    assert unknown_fields([checklist, read, ticked, changed, again, gone.parsed]) == []
