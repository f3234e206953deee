"""A new journey from a template: its slug, Finnish title and owner, then the draft pages.

Any signed-in editor may start one, as any may start a draft (publishing stays the
publishers'). The template and its rules are the drafts service's (`new_journey`)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from api.catalogue.service import Published
from api.db import utcnow
from api.deps import PublishedDep
from api.editor.drafts import service as drafts_service
from api.editor_pages.access import SignedInDep
from api.editor_pages.drafts import Errors, form_context
from api.editor_pages.page import EditorFormDep
from api.editor_pages.render import HELSINKI, render
from api.editor_pages.sessions import SignedIn
from api.engine.model import SLUG_PATTERN
from api.errors import ApiError
from api.pages.i18n import translations

router = APIRouter(prefix="/editor", include_in_schema=False)
TITLE_LIMIT = 200


def _page(
    request: Request,
    signed_in: SignedIn,
    published: Published,
    values: dict[str, str],
    errors: Errors,
    status: int = 200,
) -> Response:
    lang = signed_in.lang
    return render(
        request,
        "editor/new_journey.html",
        signed_in=signed_in,
        status=status,
        organisations=sorted(
            ((o.id, o.name.get(lang)) for o in published.catalogue.organisations.values()),
            key=lambda pair: pair[1],
        ),
        **form_context(values, errors),
    )


@router.get("/new-journey")
def new_journey_page(request: Request, signed_in: SignedInDep, published: PublishedDep) -> Response:
    return _page(request, signed_in, published, {}, [])


@router.post("/new-journey")
def new_journey(page: EditorFormDep) -> Response:
    """Start the draft, or the form again with each problem at its field."""
    form, published, signed_in = page.form, page.published, page.signed_in
    _ = translations(page.lang).gettext
    values = {
        name: str(form.get(name) or "").strip()[:TITLE_LIMIT]
        for name in ("slug", "title.fi", "owner")
    }
    slug, title, owner = values["slug"], values["title.fi"], values["owner"]
    errors: Errors = []
    if not re.fullmatch(SLUG_PATTERN, slug) or len(slug) > 80:
        errors.append(
            (
                "slug",
                _(
                    "Write the address name in lowercase letters and digits joined by hyphens, "
                    "for example moving-abroad"
                ),
            )
        )
    elif slug in published.catalogue.journeys:
        errors.append(("slug", _("A journey with this address name exists already")))
    if not title:
        errors.append(("title.fi", _("Write the title in Finnish")))
    if owner not in published.catalogue.organisations:
        errors.append(("owner", _("Choose the organisation that owns the journey")))
    if not errors:
        try:
            drafts_service.new_journey(
                session=page.session,
                published=published,
                editor=signed_in.editor,
                slug=slug,
                title=title,
                owner=owner,
                today=utcnow().astimezone(HELSINKI).date(),
            )
        except drafts_service.DraftExists:
            errors.append(("slug", _("A journey with this address name exists already")))
        except ApiError as exc:
            errors.append((None, exc.detail or exc.title))
    if errors:
        return _page(page.request, signed_in, published, values, errors, status=422)
    return RedirectResponse(
        f"/editor/journeys/{slug}/draft?done=created",
        status_code=303,
        headers={"Cache-Control": "no-store"},
    )
