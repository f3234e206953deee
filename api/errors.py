"""One family of errors: RFC 9457 problem details (application/problem+json) on the API, one
friendly HTML page (api/pages/errors.py) on the site and /embed/.

Routes raise typed errors that carry their status; one handler renders them, and `problems()`
declares them in the route's `responses=` so the OpenAPI and schemathesis know every status.
Each problem type is a name in PROBLEM_TYPES (`/problems/<name>` in the code); documents carry
it as the absolute `{POLKU_PUBLIC_URL}/problems/<name>`, a page that explains it.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics
from api.engine.answers import AnswerProblem

log = logging.getLogger("polku.errors")
PROBLEM_JSON = "application/problem+json"
PROBLEMS_PATH = "/problems/"
# Answered with problem documents; every other address is the site's and gets the error page.
API_PREFIXES = ("/v1/",)
API_PATHS = frozenset({"/v1", "/healthz", "/readyz", "/metrics", "/openapi.json"})


def is_api(path: str) -> bool:
    """Whether an address is the API's (problem+json) rather than the site's (HTML pages)."""
    return path in API_PATHS or path.startswith(API_PREFIXES)


@dataclass(frozen=True)
class ProblemType:
    """What a problem type means and what to do about it: the page at /problems/<name>."""

    title: str
    explanation: str
    advice: str


# Every `type` the API sends, by name: the single source for the explanation pages, and a test
# checks that each `/problems/<name>` in api/ is here.
PROBLEM_TYPES: dict[str, ProblemType] = {
    "unknown-text": ProblemType(
        "No such translation",
        "The journey has no text at this place in this language, so there is no translation to "
        "confirm.",
        "Read the worklist again (GET /v1/editor/translations/worklist) and use a place it lists.",
    ),
    "finnish-changed": ProblemType(
        "The Finnish text changed meanwhile",
        "The Finnish text changed after the worklist was read, so confirming the translation as "
        "still correct could confirm it against a text the translator has not seen.",
        "Read the worklist again, check the translation against the new Finnish text and "
        "confirm it with that text's fingerprint.",
    ),
    "checklist-busy": ProblemType(
        "Checklist busy",
        "The checklist was changed by several requests at the same moment, and this change "
        "could not be saved after several tries.",
        "Read the checklist again and repeat the change.",
    ),
    "not-found": ProblemType(
        "Not found",
        "Nothing is found at this address.",
        "Check the address against openapi.yaml.",
    ),
    "method-not-allowed": ProblemType(
        "Method not allowed",
        "The address exists, but not with this HTTP method.",
        "Use one of the methods the Allow header lists.",
    ),
    "unknown-journey": ProblemType(
        "Unknown journey",
        "No published journey has this slug.",
        "List the journeys with GET /v1/journeys and use one of their slugs.",
    ),
    "invalid-answers": ProblemType(
        "Invalid answers",
        "Some answers do not fit the journey: an unknown question or option, a value of the "
        "wrong type or out of range, or an event date outside 1900-2199. The `answers` member "
        "lists each by question id, with a code and a message.",
        "Fix each listed answer (GET /v1/journeys/{slug} shows the questions and their "
        "options) and send the answers again.",
    ),
    "invalid-request": ProblemType(
        "Invalid request",
        "The request does not validate against the API description: a missing or malformed "
        "parameter or body field. The `errors` member lists each by location.",
        "Correct each listed place and send the request again.",
    ),
    "malformed-json": ProblemType(
        "Malformed JSON",
        "The request body is not valid JSON.",
        "Send a JSON document with Content-Type: application/json.",
    ),
    "payload-too-large": ProblemType(
        "Request body too large",
        "The request body is larger than this service accepts.",
        "Send a smaller body; the detail names the limit in bytes.",
    ),
    "request-timeout": ProblemType(
        "Request timeout",
        "The request body did not arrive in time.",
        "Send the whole body promptly, then try again.",
    ),
    "too-many-requests": ProblemType(
        "Too many requests",
        "This client has made more requests of this kind than the service allows for now.",
        "Wait for the number of seconds in the Retry-After header, then try again.",
    ),
    "unknown-host": ProblemType(
        "Unknown host",
        "The request's Host header names a host this service does not answer to.",
        "Use the service's public address.",
    ),
    "unauthorized": ProblemType(
        "Unauthorized",
        "The editors' API needs a valid editor token, and none was sent, or it is unknown, "
        "expired or revoked.",
        "Send `Authorization: Bearer <token>` with a token from `polku token create`.",
    ),
    "forbidden": ProblemType(
        "Forbidden",
        "The token's role may not do this (publishing and rolling back need a publisher).",
        "Ask for a token with the role the operation names (x-polku-role in openapi.yaml).",
    ),
    "conflict": ProblemType(
        "Conflict",
        "The request conflicts with the current state.",
        "Read the current state and try again.",
    ),
    "precondition-failed": ProblemType(
        "Precondition failed",
        "If-Match does not name the current ETag: the draft changed after you read it.",
        "Read the draft again, apply your change to it, and send it with the new ETag.",
    ),
    "precondition-required": ProblemType(
        "Precondition required",
        "Writes to a draft need an If-Match header, so that nobody's change is lost.",
        "Send If-Match with the ETag of the draft you read.",
    ),
    "not-ready": ProblemType(
        "Not ready",
        "The service cannot answer right now: the database does not answer, or nothing is "
        "published yet.",
        "Try again shortly (see Retry-After); an operator may need to import the journeys.",
    ),
    "server-error": ProblemType(
        "Internal server error",
        "Something went wrong in the service; it is not a fault in the request.",
        "Try again later. If it keeps happening, tell the service's operators the time and "
        "the operation.",
    ),
    "unknown-checklist": ProblemType(
        "Unknown checklist",
        "No saved checklist has this id: it was deleted, it expired after going unused, or "
        "the id is not whole.",
        "Check the id; a checklist that is gone cannot be brought back, so save a new one.",
    ),
    "unknown-step": ProblemType(
        "Unknown step",
        "The checklist's plan has no step with this journey and step id.",
        "Read the checklist and use the `journey` and `id` of one of its steps.",
    ),
    "unknown-draft": ProblemType(
        "No such draft",
        "The journey has no draft.",
        "Start one with POST /v1/editor/drafts.",
    ),
    "unknown-version": ProblemType(
        "No such version",
        "The journey has no published version with this number.",
        "List the versions with GET /v1/editor/journeys/{slug}/versions.",
    ),
    "draft-exists": ProblemType(
        "The journey has a draft already",
        "Each journey has at most one draft.",
        "Read and change the existing draft, or delete it first.",
    ),
    "nothing-to-publish": ProblemType(
        "Nothing to publish",
        "The draft is the same as the published version.",
        "Change the draft first, or delete it.",
    ),
    "published-meanwhile": ProblemType(
        "A newer version was published after the draft started",
        "Publishing the draft would silently undo the newer version.",
        "Start a new draft from the current version and apply your changes to it.",
    ),
    "not-plannable": ProblemType(
        "The draft cannot be planned yet",
        "The draft has problems that stop the engine from making a plan with it.",
        "Fix the problems listed on the draft first.",
    ),
    "invalid-draft": ProblemType(
        "The draft is not a valid journey",
        "The content does not parse as a journey; nothing was changed. The `problems` member "
        "names each place as a JSON pointer.",
        "Fix each place and send the draft again.",
    ),
    "not-ready-to-publish": ProblemType(
        "Not ready to publish",
        "The draft has problems or failing scenarios, so nothing was published. The "
        "`problems` member lists each.",
        "Fix the draft until its check finds no problem and every scenario passes.",
    ),
    "invalid-edit": ProblemType(
        "Invalid edit",
        "The edit cannot be applied to the draft (for example a text for an unknown place).",
        "Read the draft and send an edit that fits it.",
    ),
    "question-in-use": ProblemType(
        "The question is still in use",
        "A condition of a step, question or chain reads the question, or a scenario answers "
        "or expects it, so deleting it would break them; nothing was deleted. The `uses` "
        "member lists each as kind (step, question, chain or scenario) and name.",
        "Change or remove each use first, then delete the question.",
    ),
    "unknown-item": ProblemType(
        "No such step or question in the draft",
        "The draft has no step or question with this id.",
        "Read the draft and use the id of one of its steps or questions.",
    ),
}


class ProblemRead(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(
        description="The kind of problem: an absolute URI (.../problems/<name>) whose page "
        "explains it, or about:blank"
    )
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
    code: str | None = Field(
        None,
        description="A stable name of the message, for saying it in another language "
        "(absent for a message without one)",
    )
    params: dict[str, str] | None = Field(
        None, description="The values the message names, by name (with `code`)"
    )


class ContentProblemRead(ProblemRead):
    problems: list[ContentPlaceRead] = Field(description="Every problem, each with its place")


class ApiError(Exception):
    """An error a client can act on; never a server fault."""

    status = 400
    type = "about:blank"
    title = "Bad request"
    # Sent with the problem document (an instance may carry its own, e.g. Retry-After).
    headers: Mapping[str, str] = {}

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
    headers: Mapping[str, str] = {"WWW-Authenticate": 'Bearer realm="polku-editor"'}


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


class TooManyRequests(ApiError):
    """Over a per-client limit (api/limits.py): try again after `retry_after` seconds."""

    status = 429
    type = "/problems/too-many-requests"
    title = "Too many requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests from this address: try again in {retry_after} s")
        self.headers = {"Retry-After": str(retry_after)}


class NotReady(ApiError):
    status = 503
    type = "/problems/not-ready"
    title = "Not ready"


class UnknownHost(ApiError):
    """A Host header that is not one of ours (POLKU_ALLOWED_HOSTS)."""

    type = "/problems/unknown-host"
    title = "Unknown host"


class ServerError(ApiError):
    """A fault of ours, never of the request."""

    status = 500
    type = "/problems/server-error"
    title = "Internal server error"


# What each status means when a route declares it, and the schema of its body.
_DECLARED: dict[int, tuple[str, type[BaseModel]]] = {
    400: ("Malformed request (for example JSON that does not parse)", ProblemRead),
    401: ("No editor token, or one that is unknown, revoked or expired", ProblemRead),
    403: ("The token's role may not do this", ProblemRead),
    404: ("Not found", ProblemRead),
    409: ("Conflicts with the current state", ProblemRead),
    412: ("If-Match does not name the current ETag: it changed meanwhile", ProblemRead),
    413: ("Request body too large", ProblemRead),
    422: ("Request that does not validate; every problem is listed", ValidationProblemRead),
    428: ("If-Match is required: send the ETag you read", ProblemRead),
    429: ("Too many requests from this client: wait Retry-After seconds", ProblemRead),
    503: ("Not ready: nothing is published yet, or the database does not answer", ProblemRead),
}


RETRY_AFTER: dict[str, Any] = {
    "description": "Seconds until the client may try again",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "examples": [42]},
}


# The contract's examples show problem types at an example public address.
EXAMPLE_URL = "https://polku.example"


def _example(error: type[ApiError], detail: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": EXAMPLE_URL + error.type,
        "title": error.title,
        "status": error.status,
        "detail": detail,
    }


# What each status looks like, for the contract's examples.
_EXAMPLES: dict[int, dict[str, Any]] = {
    400: {
        "type": f"{EXAMPLE_URL}/problems/malformed-json",
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
        "type": f"{EXAMPLE_URL}/problems/payload-too-large",
        "title": "Request body too large",
        "status": 413,
        "detail": "the body may be at most 65536 bytes",
    },
    422: {
        "type": f"{EXAMPLE_URL}/problems/invalid-request",
        "title": "Invalid request",
        "status": 422,
        "detail": "1 problem(s) in the request",
        "errors": [{"location": ["query", "event_date"], "message": "YYYY-MM-DD, 1900-2199"}],
    },
    428: _example(PreconditionRequired, "send the draft's ETag as If-Match"),
    429: _example(TooManyRequests, "too many requests from this address: try again in 42 s"),
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
# Problems in journey content (InvalidDraft 422 from api.editor.checks, PublishBlocked 409
# from api.editor.publishing).
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
        "type": f"{EXAMPLE_URL}/problems/invalid-draft",
        "title": "The draft is not a valid journey",
        "status": 422,
        "detail": "1 problem(s); nothing was changed: fix each place and send it again",
        "problems": _CONTENT_PLACES,
    },
    409: {
        "type": f"{EXAMPLE_URL}/problems/not-ready-to-publish",
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
        if status == 429:
            out[status]["headers"] = {"Retry-After": RETRY_AFTER}
    return out


PROBLEM_MODELS: tuple[type[BaseModel], ...] = (
    ProblemRead,
    InvalidAnswersProblemRead,
    ValidationProblemRead,
    ContentProblemRead,
)


def problem_type(public_url: str, type_: str) -> str:
    """`/problems/<name>` as the absolute address of its page; other types (about:blank) as
    they are."""
    return public_url + type_ if type_.startswith(PROBLEMS_PATH) else type_


def problem_response(
    status: int,
    title: str,
    type_: str = "about:blank",
    detail: str | None = None,
    *,
    public_url: str,
    **extra: Any,
) -> JSONResponse:
    """A problem document; `public_url` (settings.public_url) makes its type absolute."""
    body: dict[str, Any] = {"type": problem_type(public_url, type_), "title": title}
    body["status"] = status
    if detail is not None:
        body["detail"] = detail
    body.update(extra)
    headers = {"Cache-Control": "no-store"}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def error_response(
    request: Request,
    status: int,
    title: str,
    type_: str = "about:blank",
    detail: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """THE way to answer with an error: problem+json on the API, the HTML error page (in the
    address's language) everywhere else; `headers` on both (Retry-After, Allow...)."""
    response: Response
    if is_api(request.url.path):
        public_url = request.app.state.settings.public_url
        response = problem_response(status, title, type_, detail, public_url=public_url, **extra)
    else:
        # Imported here: the pages import this module.
        from api.pages.errors import error_page

        response = error_page(request, status)
    response.headers.update(headers or {})
    return response


def api_error_response(request: Request, error: ApiError) -> Response:
    """An ApiError (any subclass: its status, type, title, detail and headers)."""
    return error_response(
        request,
        error.status,
        error.title,
        error.type,
        error.detail,
        headers=error.headers,
        **error.extra,
    )


def install(app: FastAPI) -> None:
    """Render every error: problem+json on the API, the error page on the site; never a stack
    trace. Faults nobody handled are ServerErrors' (below)."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return api_error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(
                request,
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
        # A page's address that does not validate is simply a bad request.
        status = 422 if is_api(request.url.path) else 400
        return error_response(
            request,
            status,
            "Invalid request",
            "/problems/invalid-request",
            f"{len(listed)} problem(s) in the request",
            errors=listed,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        allowed = _allowed_methods(request) if exc.status_code == 405 else None
        if allowed:
            # Starlette names only the methods of the first route on the path; a path served by
            # several routes (GET, PATCH and DELETE of a checklist) allows all of theirs.
            headers["Allow"] = ", ".join(allowed)
        return error_response(
            request,
            exc.status_code,
            _title(exc.status_code),
            _HTTP_TYPES.get(exc.status_code, "about:blank"),
            str(exc.detail) if exc.detail else None,
            headers=headers,
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def database_away(request: Request, exc: Exception) -> Response:
        return _database_away(request, exc)


def _database_away(request: Request, exc: Exception) -> Response:
    # The database is down or unreachable: a temporary condition, not a fault in the request.
    metrics.DATABASE_ERRORS.labels("request").inc()
    log.warning(
        "database unavailable on %s %s: %s", request.method, _route(request), type(exc).__name__
    )
    return error_response(
        request,
        503,
        NotReady.title,
        NotReady.type,
        "the database does not answer; try again shortly",
        headers={"Retry-After": "5"},
    )


class ServerErrors:
    """Any exception nobody handled, answered as a 500 (HTML on the site, a problem on the API)
    and logged once, by route template and with its stack: never the path, query, body or the
    exception's message.

    Starlette's own ServerErrorMiddleware sits outside every middleware, so its 500 would
    miss the security headers and close the connection: this one goes just inside
    SecurityHeaders. A response already under way cannot be replaced: then the exception goes
    on up, and the server ends the connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            request = Request(scope)
            if isinstance(exc, OperationalError | InterfaceError) and not started:
                await _database_away(request, exc)(scope, receive, send)
                return
            # Where it failed, but not the exception's message: it may quote a person's data.
            log.error(
                "unhandled error on %s %s: %s\n%s",
                scope["method"],
                _route(request),
                type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
            )
            if started:
                raise
            await _fault_response(request)(scope, receive, send)


def _fault_response(request: Request) -> Response:
    try:
        return api_error_response(request, ServerError("something went wrong"))
    except Exception:
        # The error page itself failed: a bare page still says it, with the headers.
        log.exception("the error page failed on %s %s", request.method, _route(request))
        return HTMLResponse(_BARE_500, status_code=500, headers={"Cache-Control": "no-store"})


_BARE_500 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Error 500</title>"
    "<h1>Something went wrong</h1><p>Please try again in a moment.</p></html>"
)
# Problem types for the statuses Starlette raises itself.
_HTTP_TYPES = {404: NotFound.type, 405: "/problems/method-not-allowed"}


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
    if "GET" in methods:
        methods.add("HEAD")  # api.http.middleware.HeadAsGet
    return sorted(methods)


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", "(no route)")
