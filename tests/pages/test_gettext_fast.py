"""`_()` in templates (api/pages/render.py: `_gettext`) gives exactly what Jinja's new-style
gettext gave: every page below is rendered byte for byte the same with either (form tokens
aside: they are signed with the time)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from jinja2.ext import _gettext_alias  # type: ignore[attr-defined]
from markupsafe import Markup

from api.pages import pieces, render, steps

WITHIN = "moving_to=other_municipality&children=no&moving_housing_allowance=no"
ABROAD = (
    "moving_to=abroad&moving_destination=other&moving_abroad_length=over_6_months"
    "&moving_finnish_citizen=yes&children=yes&moving_children_ages=school_age"
)
PAGES = [
    "/{lang}/",
    "/{lang}/?q=muutto",
    "/{lang}/moving/",
    "/{lang}/moving/questions",
    "/{lang}/moving/questions?moving_to=abroad",
    "/{lang}/moving/questions?moving_to=the-moon&asked=moving_to",
    f"/{{lang}}/moving/check?{WITHIN}&event_date=2027-08-02",
    f"/{{lang}}/moving/plan?{WITHIN}&event_date=2027-08-02",
    f"/{{lang}}/moving/plan?{ABROAD}&event_date=2020-01-02&all=1",
    f"/embed/{{lang}}/moving/plan?{ABROAD}",
    "/{lang}/glossary",
    "/{lang}/no-such-journey/",
    "/{lang}/death-of-a-loved-one/",
]


def _unsigned(body: bytes) -> bytes:
    return re.sub(rb'name="csrf" value="[^"]*"', b'name="csrf" value=""', body)


def _clear() -> None:
    # Kept pieces hold the words of the `_` they were rendered with.
    for cached in (steps._pieces, steps.due_text, pieces._pieces):
        cached.cache_clear()


@pytest.fixture
def jinja_gettext() -> Iterator[None]:
    """Jinja's own `_` in every language's environment, for as long as the test runs."""
    ours = {lang: render.environment(lang).globals["_"] for lang in ("fi", "sv", "en")}
    yield
    for lang, gettext in ours.items():
        render.environment(lang).globals["_"] = gettext
    _clear()


def _pages(client: TestClient) -> list[tuple[int, bytes]]:
    _clear()
    out = []
    for lang in ("fi", "sv", "en"):
        for page in PAGES:
            response = client.get(page.format(lang=lang), follow_redirects=False)
            out.append((response.status_code, _unsigned(response.content)))
    return out


def test_pages_are_the_same_with_jinjas_gettext(client: TestClient, jinja_gettext: None) -> None:
    ours = _pages(client)
    for lang in ("fi", "sv", "en"):
        render.environment(lang).globals["_"] = _gettext_alias
    theirs = _pages(client)
    assert {status for status, _ in ours} == {200, 404}
    assert ours == theirs


def test_variables_are_escaped_and_percent_signs_formatted() -> None:
    template = render.environment("en").from_string(
        "{{ _('a %(x)s b', x=x) }}|{{ _('100%% sure') }}|{{ _('plain') }}"
    )
    assert template.render(x="<i>") == "a &lt;i&gt; b|100% sure|plain"
    assert Markup("100%%") % {} == "100%"
