"""Drafts under /v1/editor/drafts: start, read, replace, edit piece by piece and discard.

Writes need `If-Match` with the draft's ETag; a draft reads as YAML in the journey file format
with `Accept: application/yaml`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request, Response

from api.deps import PublishedDep, SessionDep
from api.editor import checks
from api.editor import content as edits
from api.editor.auth import EDITOR_ONLY, EditorDep, InvalidParameters
from api.editor.drafts import service as drafts_service
from api.editor.http import (
    BASE,
    EXAMPLE_JOURNEY,
    PRIVATE,
    YAML_TOO,
    IfMatch,
    Slug,
    private_json,
    private_yaml,
    wants_yaml,
)
from api.editor.schemas import (
    EXAMPLE_QUESTION,
    DraftCreate,
    DraftList,
    DraftRead,
    ItemCreate,
    ItemUpdate,
    OrderUpdate,
    TextsUpdate,
)
from api.engine.model import ID_PATTERN, STEP_ID_PATTERN, Lang
from api.engine.problems import Path as ProblemPath
from api.errors import ApiError, problems

router = APIRouter()

StepId = Annotated[str, Path(pattern=STEP_ID_PATTERN, max_length=80, examples=["notify-dvv"])]
QuestionId = Annotated[str, Path(pattern=ID_PATTERN, max_length=80, examples=["moving_to"])]

# What a write adds to BASE: what If-Match and a journey document bring.
WRITE = problems(400, 404, 412, 413, 422, 428, content=True)

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


def _draft(body: DraftRead, *, status: int = 200, request: Request | None = None) -> Response:
    if request is not None and wants_yaml(request):
        return private_yaml(body.content, etag=body.etag)
    return private_json(body, status=status, etag=body.etag)


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


@router.get(
    "/drafts",
    operation_id="list_drafts",
    response_model=DraftList,
    responses=BASE,
    openapi_extra=EDITOR_ONLY,
)
def list_drafts(editor: EditorDep, session: SessionDep, published: PublishedDep) -> Response:
    """Every draft, with how many problems each has."""
    return private_json(drafts_service.list_drafts(session=session, published=published))


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
    responses=BASE | problems(404, 409, 412, 422, 428, content=True),
    openapi_extra=EDITOR_ONLY,
)
def delete_question(
    draft: DraftEditDep,
    question_id: QuestionId,
) -> Response:
    """Remove one question; refused (409, question-in-use, each use listed in `uses`) while a
    step, question or chain's condition reads it or a scenario answers or expects it."""
    return draft.apply(lambda c: edits.delete_question(c, question_id), "draft.delete_question")


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
