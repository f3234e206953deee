"""The embed pages: the same flow with minimal chrome under /embed, framed only by the
configured portals, themable; and the settings that guard them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.config import Settings
from api.main import create_app

PORTAL = "https://portal.example"


@pytest.fixture
def embed_client(database_url: str) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url,
        frame_origins=[PORTAL],
        embed_theme={"accent": "#0a5c36", "font": "Georgia, serif"},
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_the_embed_pages_may_be_framed_by_the_configured_portal_only(
    embed_client: TestClient,
) -> None:
    page = embed_client.get("/embed/en/moving/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert f"frame-ancestors 'self' {PORTAL}" in csp
    assert "x-frame-options" not in page.headers
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    full = embed_client.get("/en/moving/")
    assert "frame-ancestors 'none'" in full.headers["content-security-policy"]
    assert full.headers["x-frame-options"] == "DENY"
    assert (
        "frame-ancestors 'none'"
        in embed_client.get("/v1/journeys").headers["content-security-policy"]
    )


def test_the_embed_flow_stays_in_the_frame_with_minimal_chrome(embed_client: TestClient) -> None:
    start = embed_client.get("/embed/en/moving/").text
    assert 'href="/embed/en/moving/questions"' in start
    assert "site-footer" not in start
    assert 'class="site-name"' not in start
    assert re.search(r'<script src="/static/[0-9a-f]{12}/embed.js" defer>', start)
    question = embed_client.get("/embed/en/moving/questions", follow_redirects=False)
    assert question.status_code == 200
    assert 'action="/embed/en/moving/questions"' in question.text
    answered = embed_client.get(
        "/embed/en/moving/questions?asked=moving_to&moving_to=abroad", follow_redirects=False
    )
    assert answered.headers["location"].startswith("/embed/en/moving/questions?")
    switch = re.findall(r'href="(/embed/(?:fi|sv)/moving/[^"]*)"', start)
    assert len(switch) == 2  # the language switch keeps the frame


def test_the_portal_theme_is_a_stylesheet_of_custom_properties(embed_client: TestClient) -> None:
    page = embed_client.get("/embed/fi/").text
    theme = re.search(r'href="(/embed/theme\.css\?v=[0-9a-f]{12})"', page)
    assert theme is not None
    css = embed_client.get(theme.group(1))
    assert css.headers["content-type"].startswith("text/css")
    assert "--polku-accent: #0a5c36;" in css.text
    assert "--polku-font: Georgia, serif;" in css.text
    assert "theme.css" not in embed_client.get("/fi/").text  # only the embed pages


def test_embed_redirects_to_a_language(embed_client: TestClient) -> None:
    response = embed_client.get(
        "/embed/", headers={"Accept-Language": "sv"}, follow_redirects=False
    )
    assert response.headers["location"] == "/embed/sv/"


@pytest.mark.parametrize(
    ("path", "kind", "lang"),
    [
        ("/de/", "text/html", "sv"),  # an unknown language: the person's, from Accept-Language
        ("/de/moving/", "text/html", "sv"),
        ("/embed/xx/moving/plan", "text/html", "sv"),
        ("/en/" + "x" * 500 + "/", "text/html", "en"),
        ("/v1/nothing/", "application/problem+json", None),
    ],
)
def test_unknown_pages_are_friendly_and_api_addresses_stay_problems(
    embed_client: TestClient, path: str, kind: str, lang: str | None
) -> None:
    response = embed_client.get(path, headers={"Accept-Language": "sv"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(kind)
    if lang is not None:
        assert f'<html lang="{lang}">' in response.text


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"frame_origins": ["portal.example"]}, "is not an origin"),
        ({"frame_origins": ["https://a.example/path"]}, "is not an origin"),
        ({"embed_theme": {"colour": "#fff"}}, "unknown property 'colour'"),
        ({"embed_theme": {"accent": "red; } body { display: none"}}, "not a plain colour"),
        ({"embed_theme": {"font": "x</style>"}}, "not a plain colour"),
        ({"environment": "production"}, "set POLKU_SECRET_KEY"),
        ({"workers": 2}, "set POLKU_SECRET_KEY"),
        ({"secret_key": "short-secret"}, "at least 32 characters"),
    ],
)
def test_unsafe_settings_are_refused_with_a_reason(
    settings: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)) as refused:
        Settings(**settings)  # type: ignore[arg-type]
    assert "short-secret" not in str(refused.value)  # a refused secret is not repeated


def test_a_long_enough_secret_key_allows_production() -> None:
    settings = Settings(
        environment="production",
        secret_key="k" * 32,
        workers=4,
        public_url="https://polku.example",
    )
    assert settings.secret_key is not None
    assert "k" * 32 not in repr(settings)  # a secret is never printed


NEW_TAB = {
    "fi": "(avautuu uuteen välilehteen)",
    "sv": "(öppnas i en ny flik)",
    "en": "(opens in a new tab)",
}
ANCHOR = re.compile(r"<a ([^>]*)>(.*?)</a>", re.S)


def test_links_leaving_polku_open_in_a_new_tab_from_the_embed_pages_only(
    embed_client: TestClient,
) -> None:
    plan = (
        "moving/plan?moving_to=abroad&moving_destination=other&moving_abroad_length=over_6_months"
    )
    plan += (
        "&moving_finnish_citizen=yes&children=no&moving_housing_allowance=no&event_date=2027-06-18"
    )
    for lang, note in NEW_TAB.items():
        page = embed_client.get(f"/embed/{lang}/{plan}")
        assert page.status_code == 200
        anchors = ANCHOR.findall(page.text)
        leaving = [(a, text) for a, text in anchors if re.search(r'(^|\s)href="https?://', a)]
        staying = [(a, text) for a, text in anchors if (a, text) not in leaving]
        # The authorities' pages, from the step texts (markdown) and the templates alike.
        assert len(leaving) > 3
        for attrs, text in leaving:
            assert ' target="_blank"' in attrs
            assert re.search(r'rel="[^"]*\bnoopener\b', attrs)
            assert attrs.count("rel=") == 1
            assert text.endswith(f'<span class="visually-hidden"> {note}</span>')
        assert staying
        assert all("target=" not in attrs and note not in text for attrs, text in staying)
        assert all(re.search(r'href="(/embed/|#)', attrs) for attrs, _ in staying)
        full = embed_client.get(f"/{lang}/{plan}").text
        assert 'target="_blank"' not in full
        assert note not in full
