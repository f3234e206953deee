"""Checking every address in a catalogue against the domain list, `shared/domains.yaml`.

An address must be https, on a listed domain (an official site with its owner, or a non-official
one listed with the reason it is linked), never on a refused one (a press-release mirror, a closed
agency's old site), and in the language it is given for: each domain declares the path prefixes of
its language sections, so the rules live in the data, not here. Pure: no address is fetched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from api.engine import model as m
from api.engine.catalogue import (
    DOMAINS_FILE,
    GLOSSARY_FILE,
    ORGANISATIONS_FILE,
    Catalogue,
    parse_texts,
)
from api.engine.problems import Path, Problem, ProblemList
from api.engine.reuse import ByIdentity, each_journey

LANGUAGE_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}
OTHER = "other"  # a section in a language other than Finnish, Swedish or English

# `[text](address)` in Markdown texts.
_MARKDOWN_LINK = re.compile(r"\]\((https?://[^)\s]+)")


@dataclass
class LinksReport:
    problems: list[Problem]
    checked: int  # addresses checked


def check_link_texts(texts: Mapping[str, str | bytes]) -> LinksReport:
    """What `polku journeys links` reports for a journeys directory's texts: the problems that
    keep files from being read, then every address problem. The domain list is required here."""
    catalogue, problems = parse_texts(texts)
    if DOMAINS_FILE not in texts:
        problems.append(Problem(DOMAINS_FILE, (), "the file is missing"))
    links = check_links(catalogue)
    checked = sum(1 for _ in addresses(catalogue)) if catalogue.domains is not None else 0
    return LinksReport(sorted(problems + links), checked)


def addresses(catalogue: Catalogue) -> Iterator[tuple[str, Path, str, str | None, str]]:
    """(file, place, address, language or None, what it is) for every address in the catalogue:
    journeys' sources, links and Markdown links, organisations' addresses and the glossary's
    sources."""
    for slug, journey in sorted(catalogue.journeys.items()):
        file = catalogue.file_of(slug)
        for path, url, lang, what in journey_addresses(journey):
            yield file, path, url, lang, what
    yield from _shared_addresses(catalogue)


def _shared_addresses(catalogue: Catalogue) -> Iterator[tuple[str, Path, str, str | None, str]]:
    for index, org in enumerate(catalogue.organisations.values()):
        for lang in m.LANGS:
            url = getattr(org.url, lang)
            if url is not None:
                what = f"organisation '{org.id}', {LANGUAGE_NAMES[lang]} address"
                yield ORGANISATIONS_FILE, ("organisations", index, "url", lang), url, lang, what
    for index, term in enumerate(catalogue.glossary):
        for lang in m.LANGS:
            url = getattr(term.source.url, lang)
            if url is not None:
                what = f"term '{term.id}', {LANGUAGE_NAMES[lang]} source"
                yield GLOSSARY_FILE, ("terms", index, "source", "url", lang), url, lang, what


def check_links(catalogue: Catalogue) -> list[Problem]:
    """Every problem with an address in the journeys, organisations and glossary; none when the
    catalogue has no domain list (only test catalogues lack one: `polku journeys links` requires
    it). An unchanged journey's are found once (`_journey_links`)."""
    if catalogue.domains is None:
        return []
    rules = DomainRules(catalogue.domains)
    check = functools.partial(_check_journey_links, rules)
    problems = each_journey(catalogue, _journey_links, catalogue.domains, check)
    lists: dict[str, ProblemList] = {}
    for file, path, url, lang, what in _shared_addresses(catalogue):
        where = lists.setdefault(file, catalogue.problems_for(file))
        rules.check(where, path, url, lang, what)
    return problems + [problem for where in lists.values() for problem in where.items]


# A journey's address problems depend on it, its file (name and line map) and the domain list.
_journey_links: ByIdentity[tuple[Problem, ...]] = ByIdentity(64)


def _check_journey_links(
    rules: DomainRules, journey: m.Journey, where: ProblemList
) -> tuple[Problem, ...]:
    for path, url, lang, what in journey_addresses(journey):
        rules.check(where, path, url, lang, what)
    return tuple(where.items)


def journey_addresses(journey: m.Journey) -> Iterator[tuple[Path, str, str | None, str]]:
    """(place, address, the language it is given for or None, what it is) for every address."""
    for i, source in enumerate(journey.sources):
        yield ("sources", i, "url"), source.url, None, f"source '{source.id}'"
    if journey.you_will_need is not None:
        yield from _markdown(journey.you_will_need, ("you_will_need",), "you_will_need")
    for i, step in enumerate(journey.steps):
        for j, link in enumerate(step.links):
            for lang in m.LANGS:
                url = getattr(link.url, lang)
                if url is not None:
                    what = f"step '{step.id}', link {j + 1}, {LANGUAGE_NAMES[lang]} address"
                    yield ("steps", i, "links", j, "url", lang), url, lang, what
        yield from _markdown(step.body, ("steps", i, "body"), f"step '{step.id}' body")


def _markdown(text: m.Text, path: Path, what: str) -> Iterator[tuple[Path, str, str, str]]:
    for lang in m.LANGS:
        value = getattr(text, lang)
        for url in _MARKDOWN_LINK.findall(value or ""):
            yield (*path, lang), url, lang, f"{what} ({LANGUAGE_NAMES[lang]}), link to {url}"


class DomainRules:
    """The domain list, looked up by host: the most specific listed domain wins, so a refused
    subdomain can sit under an allowed domain."""

    def __init__(self, domains: m.DomainsFile) -> None:
        self.allowed = {d.domain: d for d in domains.domains}
        self.refused = {d.domain: d for d in domains.refused}

    def lookup(self, host: str) -> m.Domain | m.RefusedDomain | None:
        labels = host.split(".")
        for start in range(len(labels) - 1):
            name = ".".join(labels[start:])
            found = self.refused.get(name) or self.allowed.get(name)
            if found is not None:
                return found
        return None

    def check(self, where: ProblemList, path: Path, url: str, lang: str | None, what: str) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme != "https":
            where.add(path, f"{what}: use an https:// address, not {parts.scheme}://")
        domain = self.lookup(host)
        if domain is None:
            where.add(
                path,
                f"{what}: {host} is not on the domain list ({DOMAINS_FILE}): link an "
                "official page, or list the domain with its owner (a non-official one as "
                "non_official with a reason)",
            )
            return
        if isinstance(domain, m.RefusedDomain):
            successor = f" (now {domain.successor})" if domain.successor else ""
            kind = {
                "press_release_mirror": "a press-release mirror",
                "legacy": "a closed agency's site",
            }
            where.add(path, f"{what}: {host} is {kind[domain.why]}{successor}: {domain.reason}")
            return
        page = language_of(domain, parts.path or "/")
        if page == OTHER:
            where.add(
                path,
                f"{what}: {url} is a page in a language other than Finnish, Swedish or "
                "English: link the Finnish, Swedish or English page",
            )
        elif lang is not None and page is not None and page != lang:
            fix = f"link the {LANGUAGE_NAMES[lang]} page"
            if lang != "fi":
                fix += f", or leave the {lang} address out (the Finnish one is shown instead)"
            where.add(path, f"{what}: {url} is a page in {LANGUAGE_NAMES[page]}: {fix}")


def language_of(domain: m.Domain, path: str) -> str | None:
    """The language of the page at `path` on `domain` by the longest matching section prefix:
    fi, sv, en, OTHER, or the domain's default language (None when it declares none)."""
    best: tuple[int, str] | None = None
    sections: list[tuple[str, str]] = [
        (p, lang) for lang, prefixes in domain.languages.items() for p in prefixes
    ]
    sections += [(p, OTHER) for p in domain.other_languages]
    for prefix, lang in sections:
        if _under(path, prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), lang)
    return best[1] if best is not None else domain.default_language


def _under(path: str, prefix: str) -> bool:
    """Whether `path` is `prefix` or inside it, segment by segment."""
    prefix = prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/") or prefix == ""
