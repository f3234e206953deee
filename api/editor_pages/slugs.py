"""A journey's slug and a version number in an editor page's address."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends

from api.editor_pages import access
from api.editor_pages.access import SignedInDep
from api.engine.model import SLUG_PATTERN
from api.http.numbers import whole_number


def _slug(slug: str, signed_in: SignedInDep) -> str:
    """A journey slug in the address; anything else is a page not found."""
    if len(slug) > 80 or not re.fullmatch(SLUG_PATTERN, slug):
        raise access.EditorPageNotFound(signed_in)
    return slug


SlugDep = Annotated[str, Depends(_slug)]


def version_number(value: str | None) -> int | None:
    """A version number given in a query or form; None for anything else."""
    return whole_number(value, digits=8)
