"""The home page: events grouped by life-event class, in three languages, safe by default."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from api.engine.model import LANGS
from api.pages.i18n import LOCALE, translations
from tests.conftest import ROOT
from tests.content.test_journeys import BUNDLED


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
def test_the_home_page_lists_each_journey_once_in_each_language(
    client: TestClient, lang: str, heading: str, death: str
) -> None:
    page = client.get(f"/{lang}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert f'<a href="/{lang}/death-of-a-loved-one/">{death}</a>' in html
    for slug in BUNDLED:
        assert html.count(f'<a href="/{lang}/{slug}/">') == 1, slug
    # The life-event classes are a filter, each with how many journeys it holds.
    labels = {
        "fi": "Omaisen kuolema",
        "sv": "När en anhörig avlider",
        "en": "Death of a close family member",
    }
    assert f'<a href="/{lang}/?life_event=KE14">{labels[lang]} (1)</a>' in html


def test_the_class_filter_is_a_link_that_shows_that_class_only(client: TestClient) -> None:
    html = client.get("/en/", params={"life_event": "KE4"}).text
    assert '<a href="/en/?life_event=KE4" aria-current="true">Moving (4)</a>' in html
    assert "<h3>Moving</h3>" in html
    shown = re.findall(r'<li><a href="/en/([a-z-]+)/">', html)
    # By title: Moving home, Moving in together..., Moving to Finland, Starting full-time studies.
    assert shown == [
        "moving",
        "moving-in-together-or-marrying",
        "moving-to-finland",
        "starting-full-time-studies",
    ]
    assert "Business events" not in html
    everything = client.get("/en/").text
    assert '<a href="/en/" aria-current="true">All life events (16)</a>' in everything
    assert len(re.findall(r'<li><a href="/en/([a-z-]+)/">', everything)) == len(BUNDLED)


@pytest.mark.parametrize("code", ["KE99", "KE4.3", "x"])
def test_a_class_that_does_not_exist_or_holds_nothing_is_not_found(
    client: TestClient, code: str
) -> None:
    # KE4.3 is a subclass (the filter offers main classes). Since issue 12 every main class holds
    # a journey, so the bundled journeys leave no empty class to ask for.
    page = client.get("/fi/", params={"life_event": code})
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]


@pytest.mark.parametrize(
    ("lang", "query", "slug", "title"),
    [
        ("en", "death", "death-of-a-loved-one", "When someone close to you dies"),
        ("en", "died", "death-of-a-loved-one", "When someone close to you dies"),
        ("en", "unemployed", "losing-a-job", "Losing your job"),
        ("en", "moving abroad", "moving", "Moving home"),
        ("fi", "muuttoilmoitus", "moving", "Muutto"),
        ("fi", "työtön", "losing-a-job", "Työttömäksi jääminen"),
        ("fi", "vauva", "having-a-child", "Lapsen saaminen"),
        ("sv", "flyttning", "moving", "Flytt"),
        ("sv", "dödsfall", "death-of-a-loved-one", "När en närstående dör"),
        # Another language's word on a site: found, shown in the site's language.
        ("en", "työtön", "losing-a-job", "Losing your job"),
        ("fi", "dödsfall", "death-of-a-loved-one", "Läheisen kuolema"),
        ("sv", "unemployed", "losing-a-job", "Att bli arbetslös"),
    ],
)
def test_the_issues_words_find_the_journey_first_with_the_term_repeated(
    client: TestClient, lang: str, query: str, slug: str, title: str
) -> None:
    html = client.get(f"/{lang}/", params={"q": query}).text
    heading = {"fi": "Hakutulokset: ”{}”", "sv": "Resultat för ”{}”", "en": "Results for “{}”"}
    assert f'<h2 id="results">{heading[lang].format(query)}</h2>' in html
    first = re.search(r'<li><a href="/' + lang + r'/([a-z-]+)/">([^<]+)</a>', html)
    assert first is not None
    assert first.groups() == (slug, title)
    assert f'<input id="q" name="q" type="search" value="{query}"' in html


def test_ero_finds_divorce_and_not_retirement(client: TestClient) -> None:
    html = client.get("/fi/", params={"q": "ero"}).text
    assert "/fi/divorce-or-separation/" in html
    assert "/fi/retirement/" not in html
    assert "1 tilanne vastaa hakuasi." in html


def test_a_search_that_finds_nothing_offers_the_common_life_events(client: TestClient) -> None:
    html = client.get("/en/", params={"q": "zzz <b>"}).text
    assert '<h2 id="results">Nothing found for “zzz &lt;b&gt;”</h2>' in html
    assert "<b>" not in html
    assert "<h3>Common life events</h3>" in html
    common = re.findall(r'<li><a href="/en/([a-z-]+)/">', html)
    # journeys/shared/life-events.yaml, `common`: an editorial list, in its order.
    assert common == [
        "moving",
        "having-a-child",
        "losing-a-job",
        "death-of-a-loved-one",
        "retirement",
    ]
    assert '<a href="/en/">Show all situations</a>' in html
    swedish = client.get("/sv/", params={"q": "zzz"}).text
    assert "Inget hittades för ”zzz”" in swedish
    assert "<h3>Vanliga livshändelser</h3>" in swedish


def test_what_people_type_is_escaped(client: TestClient) -> None:
    html = client.get("/en/", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert" not in html
    assert "“&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;”" in html


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


def used_messages(python: tuple[str, ...] = ("api/pages", "api/editor_pages")) -> set[str]:
    """Every message id the templates and the Python under `python` ask for (plurals by their
    singular)."""
    used = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(
            str(ROOT / "templates"),
            [("**.html", "jinja2")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
        )
    }
    # The messages the pages compose in Python (error messages, api/pages/messages.py).
    used |= {
        message[2] if isinstance(message[2], str) else message[2][0]
        for package in python  # the pages' and the editor's (checker problems, form errors)
        for message in extract_from_dir(str(ROOT / package), [("**.py", "python")])
    }
    return used


def test_every_interface_string_is_translated_in_every_language() -> None:
    used = used_messages()
    assert used
    for lang in LANGS:
        catalogue = translations(lang)
        untranslated = [m for m in used if catalogue.gettext(m) == m and lang != "en"]
        assert untranslated == [], f"{lang} lacks {untranslated}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_in_a_catalogue_is_used(lang: str) -> None:
    """A message no page asks for any more is dead weight that translators keep up: gettext is
    only called with literal ids (in templates and api/pages), so extraction finds them all."""
    with (LOCALE / f"{lang}.po").open("rb") as source:
        catalogue = read_po(source)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    assert len(ids) > 100
    # All of api/: the editors' pages share these catalogues.
    assert sorted(ids - used_messages(("api",))) == []


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


@pytest.mark.parametrize("lang", LANGS)
def test_no_message_is_in_a_catalogue_twice(lang: str) -> None:
    """Catalogues grow by blocks appended per change; a message given twice keeps only one of
    its translations without a word (Babel takes the last), so two must never differ unseen."""
    text = (LOCALE / f"{lang}.po").read_text(encoding="utf-8")
    ids = re.findall(r'^(?:msgctxt .*\n)?msgid (".*"\n(?:".*"\n)*)', text, flags=re.M)
    twice = sorted({i for i in ids if ids.count(i) > 1 and i != '""\n'})
    assert twice == []
