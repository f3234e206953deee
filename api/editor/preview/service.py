"""What a draft would do once published: a person's plan, its scenarios, and its difference
from the published version, each from the draft checked against today's catalogue."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.catalogue.content import normalised
from api.catalogue.service import Published
from api.editor import checks
from api.editor.content import diff as content_diff
from api.editor.drafts import service as drafts_service
from api.editor.history import service as history_service
from api.editor.schemas import DiffRead, DraftDiffRead, OutcomeChange, ScenariosRead
from api.engine import model as m
from api.engine.answers import AnswersRefused
from api.engine.check import CheckResult
from api.engine.planner import Planner
from api.errors import Conflict
from api.plans import views
from api.plans.schemas import PlanRead, PlanRequest
from api.plans.service import make_plan


class NotPlannable(Conflict):
    type = "/problems/not-plannable"
    title = "The draft cannot be planned yet"


def _checked(session: Session, published: Published, slug: str) -> tuple[m.Journey, CheckResult]:
    journey = checks.parse(slug=slug, data=drafts_service.load(session=session, slug=slug).content)
    return journey, checks.check(published, journey)


def planner(*, session: Session, published: Published, slug: str) -> Planner:
    """A planner of the catalogue with the draft in place, or NotPlannable naming the errors
    to fix first."""
    _, result = _checked(session, published, slug)
    if result.planner is None or slug not in result.planner.slugs:
        errors = [p for p in result.problems if p.kind == "error"]
        raise NotPlannable(f"fix {len(errors)} problem(s) first", problems=checks.places(errors))
    return result.planner


def plan(
    *, session: Session, published: Published, slug: str, data: PlanRequest, lang: str
) -> PlanRead:
    """The plan this person would get once the draft is published (in `data.lang`, else
    `lang`)."""
    draft_planner = planner(session=session, published=published, slug=slug)
    made = make_plan(
        draft_planner,
        slug,
        data.answers,
        event_date=data.event_date,
        today=data.today,
        lang=data.lang or lang,
    )
    return views.plan_read(made, 0)


def scenarios(*, session: Session, published: Published, slug: str) -> ScenariosRead:
    """The draft's scenarios run against it: which pass, and how each failing one differs."""
    journey, result = _checked(session, published, slug)
    return checks.scenarios(result, journey)


def diff(*, session: Session, published: Published, slug: str) -> DraftDiffRead:
    """The draft against the published version, and whose plans it changes: every scenario of
    either, planned by both."""
    journey, result = _checked(session, published, slug)
    before = published.catalogue.journeys.get(slug)
    people = {s.name: s for s in (before.scenarios if before else [])} | {
        s.name: s for s in journey.scenarios
    }
    changes = []
    for scenario in people.values():
        old = _outcome(published.planner if before else None, slug, scenario)
        new = _outcome(result.planner, slug, scenario)
        if old != new:
            changes.append(
                OutcomeChange(
                    scenario=scenario.name,
                    added=[k for k in new if k not in old],
                    removed=[k for k in old if k not in new],
                    due_changed=[k for k in new if k in old and new[k] != old[k]],
                )
            )
    return DraftDiffRead(
        published_version=history_service.published_number(published, slug),
        diff=DiffRead.model_validate(
            content_diff(normalised(before) if before else None, normalised(journey))
        ),
        outcomes_changed=changes,
    )


def _outcome(planner: Planner | None, slug: str, scenario: m.Scenario) -> dict[str, str | None]:
    """A scenario person's steps and their due dates; nothing when they cannot be planned."""
    if planner is None or slug not in planner.slugs:
        return {}
    try:
        steps = planner.plan(
            slug, scenario.answers, event_date=scenario.event_date, today=scenario.today, lang="en"
        ).all_steps()
    except AnswersRefused:
        return {}
    return {s.key: s.due.isoformat() if s.due else None for s in steps}
