"""A plan as the API's PlanRead: as a model, or as JSON bytes straight from the engine."""

from __future__ import annotations

from pydantic import TypeAdapter

from api.engine.plan import Plan
from api.plans.schemas import PlanRead

_PLAN = TypeAdapter(Plan)


def plan_read(plan: Plan, version: int) -> PlanRead:
    read = PlanRead.model_validate(plan)
    read.version = version
    return read


def plan_json(plan: Plan, version: int) -> bytes:
    """The plan as the API's PlanRead JSON, serialised by pydantic-core straight from the
    engine's dataclasses (about 3 times faster than building PlanRead models; a test keeps the
    two equal). The two fields the dataclass does not hold go in front."""
    body = _PLAN.dump_json(plan)
    head = b'{"version":%d,"complete":%s,' % (version, b"true" if plan.complete else b"false")
    return head + body[1:]
