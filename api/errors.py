"""One family of errors, rendered as RFC 9457 problem details (application/problem+json).

Routes raise typed errors that carry their status; one handler renders them, and `problems()`
declares them in the route's `responses=` so the OpenAPI and schemathesis know every status.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from api.engine.answers import AnswerProblem

log = logging.getLogger("polku.errors")
PROBLEM_JSON = "application/problem+json"


class ProblemRead(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="A URI reference naming the kind of problem")
    title: str
    status: int
    detail: str | None = None


class InvalidAnswerRead(BaseModel):
    question: str = Field(description="The question id")
    code: str = Field(
        description="unknown_question, unknown_option, wrong_type, out_of_range, "
        "not_sure_not_offered or too_long"
    )
    message: str


class InvalidAnswersProblemRead(ProblemRead):
    answers: list[InvalidAnswerRead] = Field(description="Every invalid answer, by question id")


class FieldErrorRead(BaseModel):
    location: list[str | int]
    message: str


class ValidationProblemRead(ProblemRead):
    errors: list[FieldErrorRead]


class ContentPlaceRead(BaseModel):
    file: str = Field(description="The journey file (slug.yaml) or shared file the place is in")
    pointer: str = Field(description="JSON pointer to the place in that document, e.g. /steps/2")
    message: str = Field(description="What is wrong there and how to fix it")
    kind: str = Field(description="error, translation (a missing text) or coverage")


class ContentProblemRead(ProblemRead):
    problems: list[ContentPlaceRead] = Field(description="Every problem, each with its place")


class ApiError(Exception):
    """An error a client can act on; never a server fault."""

    status = 400
    type = "about:blank"
    title = "Bad request"
    headers: ClassVar[Mapping[str, str]] = {}

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.extra = extra


class NotFound(ApiError):
    status = 404
    type = "/problems/not-found"
    title = "Not found"


class UnknownJourney(NotFound):
    type = "/problems/unknown-journey"
    title = "Unknown journey"


class InvalidAnswers(ApiError):
    status = 422
    type = "/problems/invalid-answers"
    title = "Invalid answers"

    def __init__(self, problems: list[AnswerProblem]) -> None:
        super().__init__(
            f"{len(problems)} answer(s) are not valid for this journey",
            answers=[
                {"question": p.question, "code": p.code, "message": p.message} for p in problems
            ],
        )


class Unauthorized(ApiError):
    status = 401
    type = "/problems/unauthorized"
    title = "Unauthorized"
    headers: ClassVar[Mapping[str, str]] = {"WWW-Authenticate": 'Bearer realm="polku-editor"'}


class Forbidden(ApiError):
    status = 403
    type = "/problems/forbidden"
    title = "Forbidden"


class Conflict(ApiError):
    status = 409
    type = "/problems/conflict"
    title = "Conflict"


class PreconditionFailed(ApiError):
    status = 412
    type = "/problems/precondition-failed"
    title = "Precondition failed"


class PreconditionRequired(ApiError):
    status = 428
    type = "/problems/precondition-required"
    title = "Precondition required"


class NotReady(ApiError):
    status = 503
    type = "/problems/not-ready"
    title = "Not ready"


# What each status means when a route declares it, and the schema of its body.
_DECLARED: dict[int, tuple[str, type[BaseModel]]] = {
    400: ("Malformed request (for example JSON that does not parse)", ProblemRead),
    401: ("No editor token, or one that is unknown or revoked", ProblemRead),
    403: ("The token's role may not do this", ProblemRead),
    404: ("Not found", ProblemRead),
    409: ("Conflicts with the current state", ProblemRead),
    412: ("If-Match does not name the current ETag: it changed meanwhile", ProblemRead),
    413: ("Request body too large", ProblemRead),
    422: ("Request that does not validate; every problem is listed", ValidationProblemRead),
    428: ("If-Match is required: send the ETag you read", ProblemRead),
    503: ("Not ready: nothing is published yet, or the database does not answer", ProblemRead),
}


def _example(error: type[ApiError], detail: str, **extra: Any) -> dict[str, Any]:
    return {"type": error.type, "title": error.title, "status": error.status, "detail": detail}


# What each status looks like, for the contract's examples.
_EXAMPLES: dict[int, dict[str, Any]] = {
    400: {
        "type": "/problems/malformed-json",
        "title": "Malformed JSON",
        "status": 400,
        "detail": "the request body is not valid JSON",
    },
    401: _example(Unauthorized, "send your editor token as `Authorization: Bearer <token>`"),
    403: _example(Forbidden, "this needs the publisher role; the token 'anna' is an editor"),
    404: _example(NotFound, "no journey 'moving-abroad'"),
    409: _example(Conflict, "a draft of 'moving' exists already"),
    412: _example(PreconditionFailed, "the draft changed since you read it"),
    413: {
        "type": "/problems/payload-too-large",
        "title": "Request body too large",
        "status": 413,
        "detail": "the body may be at most 65536 bytes",
    },
    422: {
        "type": "/problems/invalid-request",
        "title": "Invalid request",
        "status": 422,
        "detail": "1 problem(s) in the request",
        "errors": [{"location": ["query", "event_date"], "message": "YYYY-MM-DD, 1900-2199"}],
    },
    428: _example(PreconditionRequired, "send the draft's ETag as If-Match"),
    503: _example(NotReady, "no published journeys are loaded yet"),
}
_INVALID_ANSWERS_EXAMPLE: dict[str, Any] = {
    **_example(InvalidAnswers, "1 answer(s) are not valid for this journey"),
    "answers": [
        {
            "question": "moving_to",
            "code": "unknown_option",
            "message": "'mars' is not an option of this question",
        }
    ],
}
# Problems in journey content (api.editor.service: InvalidDraft, 422; PublishBlocked, 409).
_CONTENT_PLACES = [
    {
        "file": "moving.yaml",
        "pointer": "/steps/2/after",
        "message": "no step 'notify-dvw' in this journey",
        "kind": "error",
    }
]
_CONTENT_EXAMPLES: dict[int, dict[str, Any]] = {
    422: {
        "type": "/problems/invalid-draft",
        "title": "The draft is not a valid journey",
        "status": 422,
        "detail": "1 problem(s); nothing was changed: fix each place and send it again",
        "problems": _CONTENT_PLACES,
    },
    409: {
        "type": "/problems/not-ready-to-publish",
        "title": "Not ready to publish",
        "status": 409,
        "detail": "not published: 1 problem(s)",
        "problems": _CONTENT_PLACES,
    },
}


def problems(
    *statuses: int, answers: bool = False, content: bool = False
) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for problem statuses a route can return. `content`: 422 and 409 may
    also list problems in journey content, each by file and JSON pointer."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        description, model = _DECLARED[status]
        # The schemas are added to the components by api.main.openapi().
        schema: dict[str, Any] = {"$ref": f"#/components/schemas/{model.__name__}"}
        examples = {"problem": {"value": _EXAMPLES[status]}}
        if status == 422 and answers:
            examples["invalid_answers"] = {"value": _INVALID_ANSWERS_EXAMPLE}
            # Answers that do not fit the journey, or a request that does not validate at all.
            description = "Invalid answers (each listed by question id) or invalid parameters"
            schema = {
                "anyOf": [
                    {"$ref": f"#/components/schemas/{InvalidAnswersProblemRead.__name__}"},
                    schema,
                ]
            }
        if status in (409, 422) and content:
            description += "; or problems in the journey content, each by place"
            content_schema = {"$ref": f"#/components/schemas/{ContentProblemRead.__name__}"}
            schema = {"anyOf": [content_schema, *schema.get("anyOf", [schema])]}
            examples["content_problems"] = {"value": _CONTENT_EXAMPLES[status]}
        out[status] = {
            "description": description,
            "content": {PROBLEM_JSON: {"schema": schema, "examples": examples}},
        }
    return out


PROBLEM_MODELS: tuple[type[BaseModel], ...] = (
    ProblemRead,
    InvalidAnswersProblemRead,
    ValidationProblemRead,
    ContentProblemRead,
)


def problem_response(
    status: int, title: str, type_: str = "about:blank", detail: str | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail is not None:
        body["detail"] = detail
    body.update(extra)
    headers = {"Cache-Control": "no-store"}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install(app: FastAPI) -> None:
    """Render every error as problem+json: never a stack trace, never an HTML page."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        response = problem_response(exc.status, exc.title, exc.type, exc.detail, **exc.extra)
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem_response(
                400,
                "Malformed JSON",
                "/problems/malformed-json",
                "the request body is not valid JSON",
            )
        listed = [
            {
                "location": [str(p) if not isinstance(p, int) else p for p in e["loc"]],
                "message": e["msg"],
            }
            for e in errors
        ]
        return problem_response(
            422,
            "Invalid request",
            "/problems/invalid-request",
            f"{len(listed)} problem(s) in the request",
            errors=listed,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem_response(
            exc.status_code, _title(exc.status_code), detail=str(exc.detail) if exc.detail else None
        )
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        allowed = _allowed_methods(request) if exc.status_code == 405 else None
        if allowed:
            # Starlette names only the methods of the first route on the path; a path served by
            # several routes (GET, PATCH and DELETE of a checklist) allows all of theirs.
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def database_away(request: Request, exc: Exception) -> JSONResponse:
        # The database is down or unreachable: a temporary condition, not a fault in the request.
        log.warning(
            "database unavailable on %s %s: %s", request.method, _route(request), type(exc).__name__
        )
        response = problem_response(
            503, NotReady.title, NotReady.type, "the database does not answer; try again shortly"
        )
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        # Log the fault without the request's query or body: they may hold personal data.
        log.error("unhandled error on %s %s", request.method, _route(request), exc_info=exc)
        return problem_response(500, "Internal server error", detail="something went wrong")


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API documents for the request's path."""
    methods: set[str] = set()
    for template, item in request.app.openapi().get("paths", {}).items():
        pattern, _, _ = compile_path(template)
        if pattern.match(request.url.path):
            methods.update(method.upper() for method in item if method in _HTTP_METHODS)
    return sorted(methods)


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", "(no route)")
