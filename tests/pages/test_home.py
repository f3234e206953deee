"""The home page: events grouped by life-event class, in three languages, safe by default."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.extract import extract_from_dir
from fastapi.testclient import TestClient

from api.engine.model import LANGS
from api.pages.i18n import translations
from tests.conftest import ROOT


def test_the_root_sends_people_to_their_language(client: TestClient) -> None:
    swedish = client.get(
        "/", headers={"Accept-Language": "sv-FI, en;q=0.5"}, follow_redirects=False
    )
    assert swedish.status_code == 303
    assert swedish.headers["location"] == "/sv/"
    assert client.get("/", follow_redirects=False).headers["location"] == "/fi/"


@pytest.mark.parametrize(
    ("lang", "heading", "death"),
    [
        ("fi", "Mitä on tapahtunut?", "Läheisen kuolema"),
        ("sv", "Vad har hänt?", "När en närstående dör"),
        ("en", "What has happened?", "When someone close to you dies"),
    ],
)
def test_the_home_page_lists_the_events_by_class_in_each_language(
    client: TestClient, lang: str, heading: str, death: str
) -> None:
    page = client.get(f"/{lang}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert f'<a href="/{lang}/death-of-a-loved-one/">{death}</a>' in html
    assert f'<a href="/{lang}/moving/">' in html
    # Under its life-event class (KE14, the label in this language).
    labels = {
        "fi": "Omaisen kuolema",
        "sv": "När en anhörig avlider",
        "en": "Death of a close family member",
    }
    assert html.index(labels[lang]) < html.index(death)


def test_search_narrows_the_list_and_says_how_many(client: TestClient) -> None:
    html = client.get("/en/", params={"q": "moving"}).text
    assert "2 situations match your search." in html
    assert "/en/moving/" in html
    assert "/en/moving-to-finland/" in html
    assert "/en/death-of-a-loved-one/" not in html
    none = client.get("/fi/", params={"q": "zzz"}).text
    assert "0 tilannetta vastaa hakuasi." in none


def test_what_people_type_is_escaped(client: TestClient) -> None:
    html = client.get("/en/", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>" not in html
    assert "&lt;script&gt;" in html or "&#34;&gt;&lt;script&gt;" in html


def test_pages_forbid_inline_script_and_style_and_framing(client: TestClient) -> None:
    page = client.get("/fi/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "<style" not in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)
    assert ' style="' not in page.text


def test_the_stylesheet_is_served_under_its_content_hash(client: TestClient) -> None:
    html = client.get("/en/").text
    href = re.search(r'<link rel="stylesheet" href="([^"]+)">', html)
    assert href is not None
    css = client.get(href.group(1))
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "immutable" in css.headers["cache-control"]
    assert client.get("/static/x/..%2F..%2Fpyproject.toml").status_code == 404
    assert client.get("/static/x/.env").status_code == 404


def test_the_language_switch_keeps_the_page_and_its_query(client: TestClient) -> None:
    html = client.get("/fi/", params={"q": "muutto"}).text
    assert 'href="/sv/?q=muutto"' in html
    assert 'href="/en/?q=muutto"' in html


def test_an_unknown_language_is_a_404(client: TestClient) -> None:
    assert client.get("/de/").status_code == 404


def test_every_interface_string_is_translated_in_every_language() -> None:
    used = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(
            str(ROOT / "templates"),
            [("**.html", "jinja2")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
        )
    }
    assert used
    for lang in LANGS:
        catalogue = translations(lang)
        untranslated = [m for m in used if catalogue.gettext(m) == m and lang != "en"]
        assert untranslated == [], f"{lang} lacks {untranslated}"


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v for k, v in attrs if k == "id" and v]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_ids_are_unique(client: TestClient, lang: str) -> None:
    checker = _Checker()
    checker.feed(client.get(f"/{lang}/").text)
    assert len(checker.ids) == len(set(checker.ids))
