"""History under /v1/editor: each journey's versions and their differences, and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import PublishedDep, SessionDep
from api.editor.auth import EDITOR_ONLY, EditorDep
from api.editor.history import service as history_service
from api.editor.http import BASE, YAML_TOO, Slug, private_json, private_yaml, wants_yaml
from api.editor.schemas import AuditPage, DiffRead, VersionList, VersionRead
from api.errors import problems

router = APIRouter()

Number = Annotated[int, Path(ge=1, le=1_000_000, examples=[1])]


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
    return private_json(history_service.versions(session=session, published=published, slug=slug))


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
    if wants_yaml(request):
        return private_yaml(body.content)
    return private_json(body)


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
    return private_json(
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
    return private_json(history_service.audit_page(session=session, cursor=cursor, limit=limit))
