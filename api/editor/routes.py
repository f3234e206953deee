"""The editors' API under /v1/editor: every operation takes a Bearer editor token.

Responses are never cached (`no-store`): they are private to editors and change with every
write. Writes to a draft need `If-Match` with its ETag; a draft or a version reads as YAML in
the journey file format with `Accept: application/yaml`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel

from api.deps import LangDep, LoadedCatalogueDep, PublishedDep, SessionDep
from api.editor import checks
from api.editor import content as edits
from api.editor.auth import (
    EDITOR_ONLY,
    PUBLISHER_ONLY,
    EditorDep,
    InvalidParameters,
    PublisherDep,
)
from api.editor.drafts import service as drafts_service
from api.editor.history import service as history_service
from api.editor.preview import service as preview_service
from api.editor.publishing import service as publishing_service
from api.editor.schemas import (
    EXAMPLE_QUESTION,
    AuditPage,
    DiffRead,
    DraftCreate,
    DraftDiffRead,
    DraftList,
    DraftRead,
    ItemCreate,
    ItemUpdate,
    OrderUpdate,
    PublishedRead,
    PublishRequest,
    RollbackRequest,
    ScenariosRead,
    TextsUpdate,
    TranslationReport,
    VersionList,
    VersionRead,
)
from api.editor.translations import service as translations_service
from api.engine.model import ID_PATTERN, SLUG_PATTERN, STEP_ID_PATTERN, Lang
from api.engine.problems import Path as ProblemPath
from api.engine.yamlfile import dump_yaml
from api.errors import ApiError, problems
from api.public.schemas import PlanRead, PlanRequest

router = APIRouter(prefix="/v1/editor", tags=["editor"])

YAML = "application/yaml"
PRIVATE = "no-store"

Slug = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, examples=["moving"])]
StepId = Annotated[str, Path(pattern=STEP_ID_PATTERN, max_length=80, examples=["notify-dvv"])]
QuestionId = Annotated[str, Path(pattern=ID_PATTERN, max_length=80, examples=["moving_to"])]
Number = Annotated[int, Path(ge=1, le=1_000_000, examples=[1])]
IfMatch = Annotated[
    str | None,
    Header(
        # An ETag is never empty; an empty header is malformed (422), not a missing one (428).
        min_length=1,
        max_length=200,
        description="The draft's ETag, as last read (required)",
        examples=['"5d41402abc4b2a76b9719d911017c592"'],
    ),
]

# Declared on every operation; writes add what If-Match brings.
BASE = problems(401, 422, 429, 503)
WRITE = problems(400, 404, 412, 413, 422, 428, content=True)

EXAMPLE_JOURNEY: dict[str, Any] = {
    "slug": "moving",
    "kind": "life",
    "title": {"fi": "Muutto", "sv": "Flytt", "en": "Moving home"},
    "summary": {"fi": "Muuton asiat.", "sv": "Flyttärenden.", "en": "Things to do when moving."},
    "owner": "dvv",
    "last_reviewed": "2026-11-28",
    "sources": [
        {
            "id": "dvv_moving",
            "title": {"fi": "Muutto", "sv": "Flytt", "en": "Moving"},
            "url": "https://dvv.fi/en/notification-of-move",
        }
    ],
    "event_date": {
        "label": {"fi": "Muuttopäivä", "sv": "Flyttdag", "en": "Moving day"},
        "after": {"fi": "muuttopäivän jälkeen", "sv": "efter flyttdagen", "en": "after moving"},
        "before": {"fi": "ennen muuttopäivää", "sv": "före flyttdagen", "en": "before moving"},
    },
    "steps": [
        {
            "id": "notify-dvv",
            "kind": "task",
            "title": {"fi": "Tee muuttoilmoitus", "sv": "Gör flyttanmälan", "en": "Notify DVV"},
            "body": {"fi": "Ilmoita muutosta.", "sv": "Anmäl flytten.", "en": "Report the move."},
            "timing": "around",
        }
    ],
}
YAML_TOO: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "As JSON, or with `Accept: application/yaml` in the journey file format",
        "content": {YAML: {"schema": {"type": "string"}, "example": dump_yaml(EXAMPLE_JOURNEY)}},
    }
}
JOURNEY_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        # YAML bodies are taken too (Content-Type: application/yaml) but not declared: the
        # generated clients portals use cannot handle a YAML request body.
        "description": "The whole journey as JSON; or send it as YAML in the journey file "
        "format with `Content-Type: application/yaml`",
        "content": {
            "application/json": {"schema": {"type": "object", "examples": [EXAMPLE_JOURNEY]}},
        },
    }
}


def _json(body: BaseModel, *, status: int = 200, etag: str | None = None) -> Response:
    headers = {"Cache-Control": PRIVATE}
    if etag is not None:
        headers["ETag"] = etag
    return Response(
        body.model_dump_json().encode(),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _draft(body: DraftRead, *, status: int = 200, request: Request | None = None) -> Response:
    if request is not None and _wants_yaml(request):
        return Response(
            dump_yaml(body.content),
            media_type=YAML,
            headers={"Cache-Control": PRIVATE, "ETag": body.etag},
        )
    return _json(body, status=status, etag=body.etag)


def _wants_yaml(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return YAML in accept or "text/yaml" in accept


async def _raw_body(request: Request) -> bytes:
    return await request.body()


class MalformedJson(ApiError):
    status = 400
    type = "/problems/malformed-json"
    title = "Malformed JSON"


class DraftEdit:
    """One write to a draft: who writes, to which draft, at the ETag they read. Every edit
    route takes it, so each says only what it changes."""

    def __init__(
        self,
        editor: EditorDep,
        session: SessionDep,
        published: PublishedDep,
        slug: Slug,
        if_match: IfMatch = None,
    ) -> None:
        self.editor, self.session, self.published = editor, session, published
        self.slug, self.if_match = slug, if_match

    def apply(
        self,
        edit: drafts_service.Edit,
        action: str,
        lines: dict[ProblemPath, int] | None = None,
    ) -> Response:
        body = drafts_service.write(
            session=self.session,
            published=self.published,
            editor=self.editor,
            slug=self.slug,
            if_match=self.if_match,
            edit=edit,
            action=action,
            lines=lines,
        )
        return _draft(body)


DraftEditDep = Annotated[DraftEdit, Depends()]


# --- drafts ------------------------------------------------------------------------------------


@router.get(
    "/drafts",
    operation_id="list_drafts",
    response_model=DraftList,
    responses=BASE,
    openapi_extra=EDITOR_ONLY,
)
def list_drafts(editor: EditorDep, session: SessionDep, published: PublishedDep) -> Response:
    """Every draft, with how many problems each has."""
    return _json(drafts_service.list_drafts(session=session, published=published))


# From a new draft to what can be done with it, at its ETag: a client (and schemathesis's
# stateful phase, which otherwise only meets drafts that do not exist) follows these.
_DRAFT = {"slug": "$response.body#/slug"}
_AT_ETAG = _DRAFT | {"header.if-match": "$response.body#/etag"}
DRAFT_LINKS = {
    "GetDraft": {"operationId": "get_draft", "parameters": _DRAFT},
    "ReplaceDraft": {"operationId": "replace_draft", "parameters": _AT_ETAG},
    "AddStep": {"operationId": "add_step", "parameters": _AT_ETAG},
    "AddQuestion": {"operationId": "add_question", "parameters": _AT_ETAG},
    "PreviewDiff": {"operationId": "preview_diff", "parameters": _DRAFT},
    "PublishDraft": {"operationId": "publish_draft", "parameters": _AT_ETAG},
    "DiscardDraft": {"operationId": "discard_draft", "parameters": _AT_ETAG},
}


@router.post(
    "/drafts",
    operation_id="start_draft",
    status_code=201,
    response_model=DraftRead,
    responses=BASE
    | {201: {"description": "Started", "links": DRAFT_LINKS}}
    | problems(400, 404, 409, 413, 422, content=True),
    openapi_extra=EDITOR_ONLY,
)
def start_draft(
    editor: EditorDep,
    session: SessionDep,
    published: PublishedDep,
    data: Annotated[DraftCreate, Body()],
) -> Response:
    """Start a journey's draft: from its published version, or with new content."""
    body = drafts_service.start(
        session=session, published=published, editor=editor, slug=data.slug, content=data.content
    )
    response = _draft(body, status=201)
    response.headers["Location"] = f"/v1/editor/drafts/{body.slug}"
    return response


@router.get(
    "/drafts/{slug}",
    operation_id="get_draft",
    response_model=DraftRead,
    responses=BASE | YAML_TOO | problems(404, 422),
    openapi_extra=EDITOR_ONLY,
)
def get_draft(
    request: Request, editor: EditorDep, session: SessionDep, published: PublishedDep, slug: Slug
) -> Response:
    """A draft with its ETag and every problem found in it (JSON), or its content as YAML."""
    body = drafts_service.read(session=session, published=published, slug=slug)
    return _draft(body, request=request)


@router.put(
    "/drafts/{slug}",
    operation_id="replace_draft",
    response_model=DraftRead,
    responses=BASE | WRITE,
    openapi_extra=EDITOR_ONLY | JOURNEY_BODY,
)
def replace_draft(
    request: Request,
    draft: DraftEditDep,
    raw: Annotated[bytes, Depends(_raw_body)],
) -> Response:
    """Replace the whole journey (JSON, or `Content-Type: application/yaml`)."""
    content_type = request.headers.get("content-type", "")
    lines = None
    if "yaml" in content_type:
        data, lines = checks.from_yaml(text=raw, slug=draft.slug)
    else:
        try:
            data = json.loads(raw)
        except ValueError:
            raise MalformedJson("the request body is not valid JSON") from None
        except RecursionError:  # json.loads recurses once per level of nesting
            raise MalformedJson("the request body is JSON nested too deeply") from None
    if not isinstance(data, dict):
        # Before If-Match is compared: a body that cannot be a journey is wrong whatever the
        # draft's state (it was answered 412 or 428 first).
        raise InvalidParameters(
            "the body is a whole journey: an object",
            errors=[{"location": ["body"], "message": "expected an object"}],
        )
    return draft.apply(lambda _: data, "draft.replace", lines)


@router.delete(
    "/drafts/{slug}",
    operation_id="discard_draft",
    status_code=204,
    responses=BASE | problems(404, 412, 422, 428),
    openapi_extra=EDITOR_ONLY,
)
def discard_draft(
    editor: EditorDep, session: SessionDep, slug: Slug, if_match: IfMatch = None
) -> Response:
    """Throw the draft away (the published version stays as it is)."""
    drafts_service.discard(session=session, editor=editor, slug=slug, if_match=if_match)
    return Response(status_code=204, headers={"Cache-Control": PRIVATE})


@router.post(
    "/drafts/{slug}/steps",
    operation_id="add_step",
    response_model=DraftRead,
    responses=BASE | WRITE,
    openapi_extra=EDITOR_ONLY,
)
def add_step(
    draft: DraftEditDep,
    data: Annotated[ItemCreate, Body()],
) -> Response:
    """Add a step (at `position`, else last)."""
    return draft.apply(
        lambda c: edits.add_item(c, "steps", data.item, data.position), "draft.add_step"
    )


@router.put(
    "/drafts/{slug}/steps/{step_id}",
    operation_id="change_step",
    response_model=DraftRead,
    responses=BASE | WRITE,
    openapi_extra=EDITOR_ONLY,
)
def change_step(
    draft: DraftEditDep,
    step_id: StepId,
    data: Annotated[ItemUpdate, Body()],
) -> Response:
    """Replace one step."""
    return draft.apply(
        lambda c: edits.change_item(c, "steps", step_id, data.item), "draft.change_step"
    )


@router.delete(
    "/drafts/{slug}/steps/{step_id}",
    operation_id="delete_step",
    response_model=DraftRead,
    responses=BASE | problems(404, 412, 422, 428, content=True),
    openapi_extra=EDITOR_ONLY,
)
def delete_step(
    draft: DraftEditDep,
    step_id: StepId,
) -> Response:
    """Remove one step."""
    return draft.apply(lambda c: edits.delete_item(c, "steps", step_id), "draft.delete_step")


@router.put(
    "/drafts/{slug}/step-order",
    operation_id="reorder_steps",
    response_model=DraftRead,
    responses=BASE | WRITE,
    openapi_extra=EDITOR_ONLY,
)
def reorder_steps(
    draft: DraftEditDep,
    data: Annotated[OrderUpdate, Body()],
) -> Response:
    """Put the steps in a new order (every step id once)."""
    return draft.apply(lambda c: edits.reorder(c, "steps", data.order), "draft.reorder_steps")


@router.post(
    "/drafts/{slug}/questions",
    operation_id="add_question",
    response_model=DraftRead,
    responses=BASE | WRITE,
    openapi_extra=EDITOR_ONLY,
)
def add_question(
    draft: DraftEditDep,
    data: Annotated[
        ItemCreate, Body(openapi_examples={"own": {"value": {"item": EXAMPLE_QUESTION}}})
    ],
) -> Response:
    """Add a question of the journey's own, or `{"shared": id}` (at `position`, else last)."""
    return draft.apply(
        lambda c: edits.add_item(c, "questions", data.item, data.position), "draft.add_question"
    )


@router.put(
    "/drafts/{slug}/questions/{question_id}",
    operation_id="change_question",
    response_model=DraftRead,
    responses=BASE | WRITE,
    openapi_extra=EDITOR_ONLY,
)
def change_question(
    draft: DraftEditDep,
    question_id: QuestionId,
    data: Annotated[ItemUpdate, Body()],
) -> Response:
    """Replace one question (by its id, or by the shared question's id)."""
    return draft.apply(
        lambda c: edits.change_item(c, "questions", question_id, data.item), "draft.change_question"
    )


@router.delete(
    "/drafts/{slug}/questions/{question_id}",
    operation_id="delete_question",
    response_model=DraftRead,
    responses=BASE | problems(404, 412, 422, 428, content=True),
    openapi_extra=EDITOR_ONLY,
)
def delete_question(
    draft: DraftEditDep,
    question_id: QuestionId,
) -> Response:
    """Remove one question (conditions that read it then show up as problems)."""
    return draft.apply(
        lambda c: edits.delete_item(c, "questions", question_id), "draft.delete_question"
    )


@router.put(
    "/drafts/{slug}/question-order",
    operation_id="reorder_questions",
    response_model=DraftRead,
    responses=BASE | WRITE,
    openapi_extra=EDITOR_ONLY,
)
def reorder_questions(
    draft: DraftEditDep,
    data: Annotated[OrderUpdate, Body()],
) -> Response:
    """Put the questions in a new order (the order they are asked in)."""
    return draft.apply(
        lambda c: edits.reorder(c, "questions", data.order), "draft.reorder_questions"
    )


@router.put(
    "/drafts/{slug}/texts/{lang}",
    operation_id="set_texts",
    response_model=DraftRead,
    responses=BASE | WRITE,
    openapi_extra=EDITOR_ONLY,
)
def set_texts(
    draft: DraftEditDep,
    lang: Annotated[Lang, Path(examples=["en"])],
    data: Annotated[TextsUpdate, Body()],
) -> Response:
    """Change one language's texts, each named by its JSON pointer (e.g. `/steps/0/title`)."""
    return draft.apply(lambda c: edits.set_texts(c, lang, data.texts), f"draft.texts_{lang}")


# --- preview -----------------------------------------------------------------------------------


@router.post(
    "/drafts/{slug}/preview/plan",
    operation_id="preview_plan",
    response_model=PlanRead,
    responses=BASE | problems(400, 404, 409, 413, 422, answers=True, content=True),
    openapi_extra=EDITOR_ONLY,
)
def preview_plan(
    editor: EditorDep,
    session: SessionDep,
    published: PublishedDep,
    lang: LangDep,
    slug: Slug,
    data: Annotated[PlanRequest, Body()],
) -> Response:
    """The plan this person would get from the draft once published."""
    body = preview_service.plan(
        session=session,
        published=published,
        slug=slug,
        answers=data.answers,
        event_date=data.event_date,
        today=data.today,
        lang=data.lang or lang,
    )
    return _json(body)


@router.get(
    "/drafts/{slug}/preview/scenarios",
    operation_id="preview_scenarios",
    response_model=ScenariosRead,
    responses=BASE | problems(404, 422, content=True),
    openapi_extra=EDITOR_ONLY,
)
def preview_scenarios(
    editor: EditorDep, session: SessionDep, published: PublishedDep, slug: Slug
) -> Response:
    """The draft's scenarios run against it: which pass, and how each failing one differs."""
    return _json(preview_service.scenarios(session=session, published=published, slug=slug))


@router.get(
    "/drafts/{slug}/preview/diff",
    operation_id="preview_diff",
    response_model=DraftDiffRead,
    responses=BASE | problems(404, 422, content=True),
    openapi_extra=EDITOR_ONLY,
)
def preview_diff(
    editor: EditorDep, session: SessionDep, published: PublishedDep, slug: Slug
) -> Response:
    """The draft against the published version, and which scenarios' plans it changes."""
    return _json(preview_service.diff(session=session, published=published, slug=slug))


# --- publishing --------------------------------------------------------------------------------


@router.post(
    "/drafts/{slug}/publish",
    operation_id="publish_draft",
    response_model=PublishedRead,
    responses=BASE | problems(400, 403, 404, 409, 412, 413, 422, 428, content=True),
    openapi_extra=PUBLISHER_ONLY,
)
def publish_draft(
    request: Request,
    editor: PublisherDep,
    catalogue: LoadedCatalogueDep,
    slug: Slug,
    data: Annotated[PublishRequest, Body()],
    if_match: IfMatch = None,
) -> Response:
    """Publish the draft as the journey's next version, if it validates and every scenario
    passes; else 409 naming each problem and failing scenario. Every worker serves it at once."""
    body = publishing_service.publish(
        sessions=request.app.state.sessions,
        catalogue=catalogue,
        editor=editor,
        slug=slug,
        if_match=if_match,
        note=data.change_note,
        replaces=data.replaces_version,
    )
    return _json(body)


@router.post(
    "/journeys/{slug}/rollback",
    operation_id="rollback_journey",
    response_model=PublishedRead,
    responses=BASE | problems(400, 403, 404, 409, 413, 422, content=True),
    openapi_extra=PUBLISHER_ONLY,
)
def rollback_journey(
    request: Request,
    editor: PublisherDep,
    catalogue: LoadedCatalogueDep,
    slug: Slug,
    data: Annotated[RollbackRequest, Body()],
) -> Response:
    """Publish an earlier version's content again, as a new version with this note."""
    body = publishing_service.rollback(
        sessions=request.app.state.sessions,
        catalogue=catalogue,
        editor=editor,
        slug=slug,
        number=data.version,
        note=data.change_note,
    )
    return _json(body)


# --- history -----------------------------------------------------------------------------------


@router.get(
    "/journeys/{slug}/versions",
    operation_id="list_versions",
    response_model=VersionList,
    responses=BASE | problems(404, 422),
    openapi_extra=EDITOR_ONLY,
)
def list_versions(
    editor: EditorDep, session: SessionDep, published: PublishedDep, slug: Slug
) -> Response:
    """Every version of a journey, newest first, with who published it and the change note."""
    return _json(history_service.versions(session=session, published=published, slug=slug))


@router.get(
    "/journeys/{slug}/versions/{number}",
    operation_id="get_version",
    response_model=VersionRead,
    responses=BASE | YAML_TOO | problems(404, 422),
    openapi_extra=EDITOR_ONLY,
)
def get_version(
    request: Request,
    editor: EditorDep,
    session: SessionDep,
    published: PublishedDep,
    slug: Slug,
    number: Number,
) -> Response:
    """One version (JSON), or its content as YAML in the journey file format."""
    body = history_service.version(session=session, published=published, slug=slug, number=number)
    if _wants_yaml(request):
        return Response(
            dump_yaml(body.content), media_type=YAML, headers={"Cache-Control": PRIVATE}
        )
    return _json(body)


@router.get(
    "/journeys/{slug}/diff",
    operation_id="diff_versions",
    response_model=DiffRead,
    responses=BASE | problems(404, 422),
    openapi_extra=EDITOR_ONLY,
)
def diff_versions(
    editor: EditorDep,
    session: SessionDep,
    slug: Slug,
    older: Annotated[int, Query(alias="from", ge=1, le=1_000_000, examples=[1])],
    newer: Annotated[int, Query(alias="to", ge=1, le=1_000_000, examples=[1])],
) -> Response:
    """What changed from one version to another."""
    return _json(
        history_service.diff_versions(session=session, slug=slug, older=older, newer=newer)
    )


@router.get(
    "/audit",
    operation_id="read_audit_log",
    response_model=AuditPage,
    responses=BASE | problems(422),
    openapi_extra=EDITOR_ONLY,
)
def read_audit_log(
    editor: EditorDep,
    session: SessionDep,
    cursor: Annotated[
        int | None,
        Query(ge=1, le=2**31 - 1, description="next_cursor of the page before", examples=[120]),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, examples=[50])] = 50,
) -> Response:
    """The audit log, newest first, a page at a time."""
    return _json(history_service.audit_page(session=session, cursor=cursor, limit=limit))


@router.get(
    "/translations",
    operation_id="translation_report",
    response_model=TranslationReport,
    responses=BASE,
    openapi_extra=EDITOR_ONLY,
)
def translation_report(editor: EditorDep, published: PublishedDep) -> Response:
    """Per published journey (and the shared files): which texts lack Swedish or English."""
    return _json(translations_service.report(published=published))
