"""Saved checklists under /v1/checklists: no account, a private link instead."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, Response

from api.checklists import service as checklists_service
from api.checklists.schemas import ChecklistCreate, ChecklistRead, ChecklistUpdate, StepDone
from api.deps import LangDep, LoadedCatalogueDep, SessionDep, SettingsDep
from api.engine.model import SLUG_PATTERN, STEP_ID_PATTERN
from api.errors import problems
from api.http.responses import NOT_MODIFIED, json_response
from api.limits import ChecklistCreateLimit, ChecklistWriteLimit
from api.schemas import IsoDate

router = APIRouter(prefix="/v1/checklists", tags=["checklists"])

# A checklist is personal: nobody but its holder's browser may keep a copy.
PRIVATE = "no-store"

ChecklistId = Annotated[
    str,
    Path(
        min_length=20,
        max_length=100,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The private id returned when the checklist was made",
        examples=["Dax25QULhWhr708KTyvyHP3_ytHEkc5GholgZruKDdE"],
    ),
]
Today = Annotated[
    IsoDate | None,
    Query(description="YYYY-MM-DD; defaults to today in Finland", examples=["2027-06-01"]),
]

_READ_LINKS = {
    "GetChecklist": {
        "operationId": "get_checklist",
        "parameters": {"checklist_id": "$response.body#/id"},
    },
    "UpdateChecklist": {
        "operationId": "update_checklist",
        "parameters": {"checklist_id": "$response.body#/id"},
    },
    "DeleteChecklist": {
        "operationId": "delete_checklist",
        "parameters": {"checklist_id": "$response.body#/id"},
    },
    "TickFirstStep": {
        "operationId": "set_step_done",
        "parameters": {
            "checklist_id": "$response.body#/id",
            "journey": "$response.body#/plan/steps/0/journey",
            "step": "$response.body#/plan/steps/0/id",
        },
    },
}
# Every response that shows a checklist leads on to what can be done with it.
_READ: dict[int | str, dict[str, Any]] = {
    200: {"description": "The checklist", "links": _READ_LINKS}
}


@router.post(
    "",
    operation_id="create_checklist",
    status_code=201,
    response_model=ChecklistRead,
    responses={
        201: {"description": "Made; keep the id: it is shown only now", "links": _READ_LINKS},
        **problems(400, 404, 413, 422, 429, 503, answers=True),
    },
)
def create_checklist(
    limited: ChecklistCreateLimit,
    request: Request,
    session: SessionDep,
    catalogue: LoadedCatalogueDep,
    settings: SettingsDep,
    lang: LangDep,
    data: Annotated[ChecklistCreate, Body()],
    today: Today = None,
) -> Response:
    """Save a plan as a checklist to come back to through a private link."""
    language = data.lang or lang
    body = checklists_service.create(
        session=session,
        catalogue=catalogue,
        data=data,
        lang=language,
        today=today,
        ttl=settings.checklist_ttl,
        public_url=settings.public_url,
    )
    return json_response(
        request,
        body,
        cache=PRIVATE,
        lang=language,
        status=201,
        headers={"Location": f"/v1/checklists/{body.id}"},
    )


@router.get(
    "/{checklist_id}",
    operation_id="get_checklist",
    response_model=ChecklistRead,
    responses=_READ | NOT_MODIFIED | problems(404, 422, 503),
)
def get_checklist(
    request: Request,
    session: SessionDep,
    catalogue: LoadedCatalogueDep,
    settings: SettingsDep,
    lang: LangDep,
    checklist_id: ChecklistId,
    today: Today = None,
) -> Response:
    """A checklist with its plan, ticks and whether a newer journey version would change it."""
    body = checklists_service.get(
        session=session,
        catalogue=catalogue,
        checklist_id=checklist_id,
        lang=lang,
        today=today,
        ttl=settings.checklist_ttl,
        public_url=settings.public_url,
    )
    return json_response(request, body, cache=PRIVATE, lang=lang)


@router.patch(
    "/{checklist_id}",
    operation_id="update_checklist",
    response_model=ChecklistRead,
    responses=_READ | problems(400, 404, 413, 422, 429, 503, answers=True),
)
def update_checklist(
    limited: ChecklistWriteLimit,
    request: Request,
    session: SessionDep,
    catalogue: LoadedCatalogueDep,
    settings: SettingsDep,
    lang: LangDep,
    checklist_id: ChecklistId,
    data: Annotated[ChecklistUpdate, Body()],
    today: Today = None,
) -> Response:
    """Change the answers or the event date, or move to the newest journey version."""
    body = checklists_service.update(
        session=session,
        catalogue=catalogue,
        checklist_id=checklist_id,
        data=data,
        lang=lang,
        today=today,
        ttl=settings.checklist_ttl,
        public_url=settings.public_url,
    )
    return json_response(request, body, cache=PRIVATE, lang=lang)


@router.put(
    "/{checklist_id}/steps/{journey}/{step}",
    operation_id="set_step_done",
    response_model=ChecklistRead,
    responses=_READ | problems(400, 404, 413, 422, 429, 503),
)
def set_step_done(
    limited: ChecklistWriteLimit,
    request: Request,
    session: SessionDep,
    catalogue: LoadedCatalogueDep,
    settings: SettingsDep,
    lang: LangDep,
    checklist_id: ChecklistId,
    journey: Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, examples=["moving"])],
    step: Annotated[str, Path(pattern=STEP_ID_PATTERN, max_length=80, examples=["notify-dvv"])],
    data: Annotated[StepDone, Body()],
    today: Today = None,
) -> Response:
    """Tick a step off, or untick it."""
    body = checklists_service.set_done(
        session=session,
        catalogue=catalogue,
        checklist_id=checklist_id,
        step_key=f"{journey}/{step}",
        done=data.done,
        lang=lang,
        today=today,
        ttl=settings.checklist_ttl,
        public_url=settings.public_url,
    )
    return json_response(request, body, cache=PRIVATE, lang=lang)


@router.delete(
    "/{checklist_id}",
    operation_id="delete_checklist",
    status_code=204,
    responses=problems(404, 422, 429, 503),
)
def delete_checklist(
    limited: ChecklistWriteLimit,
    session: SessionDep,
    settings: SettingsDep,
    checklist_id: ChecklistId,
) -> Response:
    """Delete a checklist and everything it holds, now."""
    checklists_service.delete(
        session=session, checklist_id=checklist_id, ttl=settings.checklist_ttl
    )
    return Response(status_code=204, headers={"Cache-Control": PRIVATE})
