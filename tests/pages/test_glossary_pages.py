"""The glossary pages, and step texts that link the first use of a term to its explanation."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.pages.render import markdown_with_terms
from tests.conftest import ROOT, read_yaml

BUNDLED_TERMS = read_yaml(ROOT / "journeys/shared/glossary.yaml")
WITHIN = "moving_to=other_municipality&children=no&moving_housing_allowance=no"
GLOSSARY = "/fi/glossary"


def linked(text: str, *terms: tuple[str, str]) -> str:
    return str(markdown_with_terms(text, terms, GLOSSARY))


def test_the_first_use_of_a_term_is_linked_once() -> None:
    html = linked(
        "Perunkirjoitus ensin, sitten perunkirjoitus.", ("estate-inventory", "Perunkirjoitus")
    )
    assert html == (
        '<p><a href="/fi/glossary#estate-inventory" rel="noopener noreferrer">Perunkirjoitus</a>'
        " ensin, sitten perunkirjoitus.</p>\n"
    )


def test_nothing_is_linked_inside_a_link_and_markup_stays_whole() -> None:
    text = "Katso [perunkirjoitus](https://www.vero.fi/x) ja **perunkirjoitus** sekä YEL-vakuutus."
    html = linked(text, ("estate-inventory", "perunkirjoitus"), ("yel", "YEL"))
    assert html == (
        '<p>Katso <a href="https://www.vero.fi/x" rel="noopener noreferrer">perunkirjoitus</a> ja '
        '<strong><a href="/fi/glossary#estate-inventory" rel="noopener noreferrer">'
        "perunkirjoitus</a></strong> sekä "
        '<a href="/fi/glossary#yel" rel="noopener noreferrer">YEL</a>-vakuutus.</p>\n'
    )


def test_a_term_is_linked_as_a_whole_word_only_and_text_stays_escaped() -> None:
    html = linked("<b>perunkirjoitusvieras</b> & YELP", ("yel", "YEL"))
    assert "glossary" not in html
    assert "&lt;b&gt;" in html
    assert "&amp;" in html


def test_only_the_glossary_page_is_allowed_as_a_relative_link() -> None:
    html = linked("[x](/fi/other) [y](/fi/glossary#yel)", ("yel", "YEL"))
    assert 'href="/fi/other"' not in html
    assert 'href="/fi/glossary#yel"' in html


@pytest.mark.parametrize(
    ("lang", "heading", "term", "anchor"),
    [
        ("fi", "Sanasto", "perunkirjoitus", "estate-inventory"),
        ("sv", "Ordlista", "bouppteckning", "estate-inventory"),
        ("en", "Words explained", "continuing power of attorney", "continuing-power-of-attorney"),
    ],
)
def test_the_glossary_page_explains_each_term_at_its_anchor(
    client: TestClient, lang: str, heading: str, term: str, anchor: str
) -> None:
    page = client.get(f"/{lang}/glossary")
    assert page.status_code == 200
    assert page.headers["content-language"] == lang
    assert page.headers["cache-control"] == "public, max-age=300"
    html = page.text
    assert f"<h1>{heading}</h1>" in html
    assert f'<dt id="{anchor}">{term}</dt>' in html
    assert len(re.findall(r"<dt id=", html)) == len(BUNDLED_TERMS["terms"])
    # Every page links to it from the footer.
    assert f'href="/{lang}/glossary">{heading}</a>' in client.get(f"/{lang}/").text


def test_a_plan_step_links_its_first_use_of_a_term_to_the_glossary(client: TestClient) -> None:
    html = client.get(f"/fi/moving/plan?{WITHIN}").text
    step = html[html.index('id="step-moving-notify-dvv"') :]
    step = step[: step.index('id="step-', 1)]
    links = re.findall(r'<a href="/fi/glossary#([a-z-]+)"[^>]*>([^<]*)</a>', step)
    assert ("notification-of-move", "Muuttoilmoitus") in links
    assert len([a for a, _ in links if a == "notification-of-move"]) == 1
    # Embedded, the link stays inside the embed pages.
    embedded = client.get(f"/embed/fi/moving/plan?{WITHIN}").text
    assert 'href="/embed/fi/glossary#notification-of-move"' in embedded
    assert client.get("/embed/fi/glossary").status_code == 200
