"""The link check: each rule of shared/domains.yaml refuses what it should and accepts the rest,
on tiny made-up catalogues; `polku journeys links` reports by file and place."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from api.cli import main
from api.engine.catalogue import parse_documents
from api.engine.check import check_catalogue
from api.engine.links import check_link_texts
from tests.engine.conftest import CATALOGUE, SHARED, journey, step, text

DOMAINS: dict[str, Any] = {
    "domains": [
        {"domain": "law.example", "owner": "Legal database", "kind": "legal_database"},
        {
            "domain": "office.example",
            "owner": "The Office",
            "kind": "authority",
            "languages": {"sv": ["/sv"], "en": ["/en", "/web/en"]},
            "default_language": "fi",
            "other_languages": ["/da", "/sv_SE", "/web/sgn-fi"],
        },
        {
            "domain": "anylang.example",
            "owner": "A site whose pages sit at the top level in every language",
            "kind": "authority",
            "languages": {"sv": ["/sv"]},
        },
        {
            "domain": "club.example",
            "owner": "A club",
            "kind": "non_official",
            "reason": "its advice is linked because no authority gives it",
        },
    ],
    "refused": [
        {"domain": "mirror.example", "why": "press_release_mirror", "reason": "link the source"},
        {
            "domain": "old.office.example",
            "why": "legacy",
            "successor": "office.example",
            "reason": "closed in 2019",
        },
    ],
}


def problems_for(
    *, source: str = "https://law.example/", link: dict[str, str] | None = None, **more: Any
) -> list[str]:
    """The link problems of one journey with one source and optionally one step link."""
    fields: dict[str, Any] = {"title": text("Only"), "body": text("Do it.")}
    if link is not None:
        fields["links"] = [{"label": text("Page"), "url": link}]
    fields.update(more)
    documents = copy.deepcopy(SHARED)
    documents["shared/domains.yaml"] = DOMAINS
    documents["j.yaml"] = journey(
        sources=[{"id": "rule", "title": text("Rule"), "url": source}],
        steps=[step("only", **fields)],
    )
    catalogue, problems = parse_documents(documents)
    result = check_catalogue(catalogue, problems)
    return [f"{p.place}: {p.message}" for p in result.problems if p.kind == "error"]


def test_a_catalogue_without_a_domain_list_is_not_link_checked() -> None:
    documents = copy.deepcopy(SHARED)
    documents["j.yaml"] = journey(
        sources=[{"id": "rule", "title": text("Rule"), "url": "http://anywhere.example/"}]
    )
    catalogue, problems = parse_documents(documents)
    assert catalogue.domains is None
    assert [p for p in check_catalogue(catalogue, problems).problems if p.kind == "error"] == []


def test_https_on_a_listed_domain_passes() -> None:
    assert problems_for(source="https://www.law.example/laki/1") == []


def test_http_is_refused() -> None:
    assert problems_for(source="http://law.example/") == [
        "sources[0].url: source 'rule': use an https:// address, not http://"
    ]


def test_a_domain_off_the_list_is_refused_and_a_subdomain_of_a_listed_one_is_not() -> None:
    assert problems_for(source="https://blog.example/post") == [
        "sources[0].url: source 'rule': blog.example is not on the domain list "
        "(shared/domains.yaml): link an official page, or list the domain with its owner "
        "(a non-official one as non_official with a reason)"
    ]
    assert problems_for(source="https://e-services.law.example/") == []
    # A look-alike host that only ends in the same letters is not a subdomain.
    assert len(problems_for(source="https://notlaw.example/")) == 1


def test_a_non_official_domain_passes_when_listed_with_a_reason() -> None:
    assert problems_for(source="https://club.example/advice") == []


def test_a_non_official_domain_needs_a_reason() -> None:
    documents = copy.deepcopy(SHARED)
    documents["shared/domains.yaml"] = {
        "domains": [{"domain": "club.example", "owner": "A club", "kind": "non_official"}]
    }
    documents["j.yaml"] = journey()
    _, problems = parse_documents(documents)
    assert [(p.file, p.message) for p in problems] == [
        (
            "shared/domains.yaml",
            "a non_official domain needs a reason, and only a non_official one has one",
        )
    ]


def test_a_press_release_mirror_is_refused() -> None:
    assert problems_for(source="https://www.mirror.example/release/1?lang=fi") == [
        "sources[0].url: source 'rule': www.mirror.example is a press-release mirror: "
        "link the source"
    ]


def test_a_legacy_domain_is_refused_even_under_an_allowed_one() -> None:
    assert problems_for(source="https://old.office.example/news") == [
        "sources[0].url: source 'rule': old.office.example is a closed agency's site "
        "(now office.example): closed in 2019"
    ]


def test_each_language_address_must_be_a_page_in_that_language() -> None:
    good = {
        "fi": "https://office.example/ohje",
        "sv": "https://office.example/sv/anvisning",
        "en": "https://office.example/en/guide",
    }
    assert problems_for(link=good) == []
    assert problems_for(link={**good, "fi": "https://office.example/en/guide"}) == [
        "steps[0].links[0].url.fi: step 'only', link 1, Finnish address: "
        "https://office.example/en/guide is a page in English: link the Finnish page"
    ]
    assert problems_for(link={**good, "sv": "https://office.example/ohje"}) == [
        "steps[0].links[0].url.sv: step 'only', link 1, Swedish address: "
        "https://office.example/ohje is a page in Finnish: link the Swedish page, or leave "
        "the sv address out (the Finnish one is shown instead)"
    ]
    assert problems_for(link={**good, "en": "https://office.example/web/en/guide"}) == []


@pytest.mark.parametrize(
    "path", ["/da/ohje", "/sv_SE/aitiysavustus", "/web/sgn-fi/asuminen", "/da"]
)
def test_a_section_in_another_language_is_refused_for_links_and_sources(path: str) -> None:
    url = f"https://www.office.example{path}"
    other = "is a page in a language other than Finnish, Swedish or English"
    assert problems_for(source=url) == [
        f"sources[0].url: source 'rule': {url} {other}: link the Finnish, Swedish or English page"
    ]
    assert problems_for(link={"fi": url}) == [
        f"steps[0].links[0].url.fi: step 'only', link 1, Finnish address: {url} {other}: "
        "link the Finnish, Swedish or English page"
    ]


def test_prefixes_match_whole_segments() -> None:
    # `/sv` is Swedish, `/sv_SE` another language and `/svenska-sidor` a Finnish page.
    assert problems_for(link={"fi": "https://office.example/svenska-sidor"}) == []
    assert problems_for(link={"fi": "https://office.example/sv"}) != []


def test_a_domain_without_a_default_language_checks_only_its_prefixed_sections() -> None:
    assert problems_for(link={"fi": "https://anylang.example/any-page"}) == []
    assert len(problems_for(link={"fi": "https://anylang.example/sv/sida"})) == 1


def test_a_source_in_swedish_or_english_is_accepted() -> None:
    assert problems_for(source="https://office.example/sv/lag") == []
    assert problems_for(source="https://office.example/en/act") == []


def test_markdown_links_in_a_body_are_checked_in_their_language() -> None:
    body = {
        "fi": "Lue [ohje](https://office.example/en/guide).",
        "sv": "Läs [anvisningen](https://office.example/sv/anvisning).",
        "en": "Read [the guide](http://office.example/en/guide).",
    }
    assert problems_for(body=body) == [
        "steps[0].body.en: step 'only' body (English), link to http://office.example/en/guide: "
        "use an https:// address, not http://",
        "steps[0].body.fi: step 'only' body (Finnish), link to https://office.example/en/guide:"
        " https://office.example/en/guide is a page in English: link the Finnish page",
    ]


def test_organisation_addresses_are_checked() -> None:
    documents = copy.deepcopy(SHARED)
    documents["shared/domains.yaml"] = DOMAINS
    documents["shared/organisations.yaml"] = {
        "organisations": [
            {"id": "office", "name": text("Office"), "url": {"fi": "https://office.example/en"}}
        ]
    }
    documents["j.yaml"] = journey(
        sources=[{"id": "rule", "title": text("Rule"), "url": "https://law.example/"}]
    )
    catalogue, problems = parse_documents(documents)
    result = check_catalogue(catalogue, problems)
    assert [str(p) for p in result.problems if p.kind == "error"] == [
        "shared/organisations.yaml: organisations[0].url.fi: organisation 'office', Finnish "
        "address: https://office.example/en is a page in English: link the Finnish page"
    ]


def test_the_links_command_passes_on_the_fixture_catalogue() -> None:
    result = CliRunner().invoke(main, ["journeys", "links", str(CATALOGUE)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("addresses checked: ok\n")


def test_the_links_command_needs_the_domain_list(tmp_path: Path) -> None:
    shutil.copytree(CATALOGUE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "shared" / "domains.yaml").unlink()
    result = CliRunner().invoke(main, ["journeys", "links", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path}/shared/domains.yaml: (top): the file is missing" in result.output


def test_the_report_counts_every_address() -> None:
    texts = {
        "shared/questions.yaml": "questions: []\n",
        "shared/life-events.yaml": "life_events: []\n",
        "shared/organisations.yaml": (
            "organisations:\n  - id: office\n    name: {fi: V, sv: V, en: O}\n"
            "    url: {fi: 'https://office.example/', en: 'https://office.example/en/'}\n"
        ),
        "shared/domains.yaml": (
            "domains:\n  - {domain: office.example, owner: O, kind: authority,"
            " languages: {en: [/en]}, default_language: fi}\n"
        ),
    }
    report = check_link_texts(texts)
    assert (report.problems, report.checked) == ([], 2)
