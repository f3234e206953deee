"""Rendering pages: one Jinja2 environment, autoescaped, strict about undefined names, with the
interface strings of the page's language and the page security headers."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import nh3
from babel.dates import format_date
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from api.engine.model import LANGS
from api.engine.plan import PlanStep
from api.pages.i18n import translations
from api.pages.steps import (
    Slot,
    automatic_html,
    chain_items,
    escape_text,
    next_html,
    step_groups_html,
    steps_in_all_html,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"

# Pages load nothing from elsewhere and run no inline script or style.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors "
)


@dataclass(frozen=True)
class Site:
    """Which pages a request is on: a language, and the full site or the embed pages (the same
    flow under /embed/ with minimal chrome, for portals' frames)."""

    lang: str
    embed: bool = False

    @property
    def root(self) -> str:
        return f"/embed/{self.lang}" if self.embed else f"/{self.lang}"

    def url(self, path: str = "", query: str = "") -> str:
        """An address on these pages: `url("moving/plan", "a=b")` -> /fi/moving/plan?a=b."""
        address = f"{self.root}/{path}"
        return f"{address}?{query}" if query else address


class _SharedBytecode(FileSystemBytecodeCache):
    """Compiled templates kept in the user's own temporary directory (Jinja makes it, mode
    0700), shared by the three languages' environments and by every worker: compiling the
    templates costs about a second of CPU per language and process, loading them a tenth of
    that. An entry is used only for the same template source and the same Jinja and Python. A
    cache that cannot be read or written only means compiling again."""

    def load_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@lru_cache(maxsize=1)
def _bytecode_cache() -> BytecodeCache | None:
    try:
        return _SharedBytecode()
    except (OSError, RuntimeError):  # no usable temporary directory (Jinja checks its owner)
        return None


@lru_cache(maxsize=3)
def environment(lang: str) -> Environment:
    """One environment per language, its gettext installed new-style (autoescaped,
    `%(name)s` filled in by keyword)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates change only with a release: no file check on every page.
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.globals["static"] = static_url
    env.globals["step_groups"] = step_groups_html
    env.globals["next_items"] = next_html
    env.globals["automatic_items"] = automatic_html
    env.globals["steps_in_all"] = steps_in_all_html
    env.globals["chain_items"] = chain_items
    env.globals["hidden_inputs"] = hidden_inputs
    env.globals["print_answers"] = print_answers
    env.filters["markdown"] = markdown
    env.filters["step_body"] = step_body
    # A slot (api/pages/pieces.py) stands for the date it will be filled in with.
    env.filters["long_date"] = lambda day: day if isinstance(day, Slot) else long_date(day, lang)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = _gettext(translations(lang).gettext)
    return env


def _gettext(lookup: Callable[[str], str]) -> Callable[..., str]:
    """`_()` as Jinja's new-style gettext makes it, without its two nested `Context.call`s
    (`_` -> `gettext` -> the catalogue's): about 40 of them on a plan page. The same result:
    escaped variables in an autoescaped template, `%` formatting always (skipped only where it
    cannot change anything: no variables and no `%` in the text)."""

    @pass_context
    def gettext(__context: Context, __string: str, **variables: Any) -> str:
        text = lookup(__string)
        if __context.eval_ctx.autoescape:
            text = Markup(text)
        if not variables and "%" not in text:
            return text
        return text % variables

    return gettext


def hidden_inputs(pairs: Iterable[tuple[str, str]]) -> Markup:
    """A form's hidden fields, one per (name, value)."""
    if isinstance(pairs, Slot):
        return pairs
    return Markup(
        "".join(
            f'<input type="hidden" name="{escape_text(name)}" value="{escape_text(value)}">'
            for name, value in pairs
        )
    )


def print_answers(rows: Iterable[tuple[str, str]]) -> Markup:
    """The printed plan's answers, a `<div>` per (question, answer)."""
    if isinstance(rows, Slot):
        return rows
    return Markup(
        "".join(
            f"<div><dt>{escape_text(question)}</dt><dd>{escape_text(answer)}</dd></div>"
            for question, answer in rows
        )
    )


def render(
    request: Request,
    template: str,
    site: Site,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page of `site`; the language switch keeps the rest of the URL and its query."""
    page = environment(site.lang).get_template(template)
    html = page.render(**page_context(request, site), **context)
    return page_response(request, html, site, status, headers)


def page_context(request: Request, site: Site) -> dict[str, Any]:
    """What every page's template (base.html) is rendered with."""
    settings = request.app.state.settings
    return {
        "lang": site.lang,
        "root": site.root,
        "embed": site.embed,
        "theme": theme_url(settings.embed_theme) if site.embed else None,
        "ttl_days": settings.checklist_ttl_days,
        "other_languages": [
            (other, _switch(request, site, other)) for other in LANGS if other != site.lang
        ],
    }


def page_response(
    request: Request,
    html: str,
    site: Site,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """A rendered page of `site` with the pages' security headers."""
    lang = site.lang
    settings = request.app.state.settings
    if site.embed:
        html = new_tab_links(html, lang)
    # The embed pages may be framed by the configured portals; every other page by nobody.
    ancestors = " ".join(["'self'", *settings.frame_origins]) if site.embed else "'none'"
    all_headers = {
        "Content-Security-Policy": PAGE_CSP + ancestors,
        "Content-Language": lang,
        "Cache-Control": "no-cache",
        **({} if site.embed else {"X-Frame-Options": "DENY"}),
        **(headers or {}),
    }
    return HTMLResponse(html, status_code=status, headers=all_headers)


# A link whose address is absolute (http or https) leaves Polku: Polku's own links are relative.
# Attribute values are escaped on every page (Jinja, nh3), so none holds a ">".
_LEAVING = re.compile(
    r'<a (?P<attrs>(?:[^>]*?\s)?href="https?://[^"]*"[^>]*)>(?P<text>.*?)</a>', re.S
)
_REL = re.compile(r'\s*\brel="[^"]*"')


def new_tab_links(html: str, lang: str) -> str:
    """On the embed pages, links leaving Polku open in a new tab, not inside the portal's frame,
    and say so to screen readers: done here, on the rendered page, so that every link (the
    templates' and the step texts') is covered and without scripts. Polku's own links stay."""
    note = escape(translations(lang).gettext("(opens in a new tab)"))

    def new_tab(match: re.Match[str]) -> str:
        attrs = _REL.sub("", match["attrs"])
        return (
            f'<a {attrs} target="_blank" rel="noopener noreferrer">{match["text"]}'
            f'<span class="visually-hidden"> {note}</span></a>'
        )

    return _LEAVING.sub(new_tab, html)


def theme_css(theme: dict[str, str]) -> str:
    """The embed theme as a stylesheet of custom properties (values checked by config)."""
    lines = "".join(f"  --polku-{name}: {value};\n" for name, value in sorted(theme.items()))
    return f":root {{\n{lines}}}\n"


def theme_url(theme: dict[str, str]) -> str | None:
    if not theme:
        return None
    digest = hashlib.sha256(theme_css(theme).encode()).hexdigest()[:12]
    return f"/embed/theme.css?v={digest}"


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_ALLOWED = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "code", "h3", "h4", "blockquote"}
_DATE_FORMATS = {"fi": "EEEE d. MMMM y", "sv": "EEEE d MMMM y", "en": "EEEE d MMMM y"}


# Step texts are the journeys' own, a bounded set: each is rendered once, not on every page.
@lru_cache(maxsize=4096)
def markdown(text: str) -> Markup:
    """Step texts: markdown rendered, then sanitised by a maintained library (ammonia via nh3):
    only simple formatting and links survive, and links get rel="noopener noreferrer"."""
    html = nh3.clean(
        _MARKDOWN.render(text),
        tags=_ALLOWED,
        link_rel="noopener noreferrer",
        url_schemes=_SCHEMES,
        attribute_filter=_only_outward_links,
    )
    return Markup(html)


GLOSSARY_PATH = "glossary"


@pass_context
def step_body(context: Context, step: PlanStep) -> Markup:
    """A step's body rendered as `markdown` does, the first use of each glossary term (as the
    engine found it, `step.terms`) linked to its explanation on this site's glossary page."""
    terms = tuple((use.id, use.text) for use in step.terms)
    return markdown_with_terms(step.body, terms, f"{context['root']}/{GLOSSARY_PATH}")


@lru_cache(maxsize=4096)
def markdown_with_terms(text: str, terms: tuple[tuple[str, str], ...], glossary: str) -> Markup:
    """Markdown with each of `terms` (id, words as written) linked once, at its first use in
    the text, to `glossary#id`. Done on markdown-it's tokens, in text outside links only, so
    no link or markup is ever broken; then sanitised as every step text is."""
    if not terms:
        return markdown(text)
    tokens = _MARKDOWN.parse(text)
    pending = dict(terms)
    for block in tokens:
        if block.type == "inline" and block.children and pending:
            block.children = _link_terms(block.children, pending, glossary)
    html = nh3.clean(
        _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}),
        tags=_ALLOWED,
        link_rel="noopener noreferrer",
        url_schemes=_SCHEMES,
        attribute_filter=lambda tag, attribute, value: (
            value
            if attribute == "href" and value.startswith(f"{glossary}#")
            else _only_outward_links(tag, attribute, value)
        ),
    )
    return Markup(html)


def _link_terms(children: list[Token], pending: dict[str, str], glossary: str) -> list[Token]:
    out: list[Token] = []
    inside_link = 0
    for token in children:
        inside_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
        if token.type != "text" or inside_link or not pending:
            out.append(token)
            continue
        rest = token.content
        while pending:
            found = _first_term(rest, pending)
            if found is None:
                break
            term_id, start, end = found
            del pending[term_id]
            out.append(_text(rest[:start]))
            link = Token("link_open", "a", 1)
            link.attrSet("href", f"{glossary}#{term_id}")
            out += [link, _text(rest[start:end]), Token("link_close", "a", -1)]
            rest = rest[end:]
        out.append(_text(rest))
    return out


def _first_term(text: str, pending: dict[str, str]) -> tuple[str, int, int] | None:
    """The earliest of the pending terms in `text`, as whole words."""
    best: tuple[str, int, int] | None = None
    for term_id, words in pending.items():
        spaced = r"\s+".join(re.escape(word) for word in words.split())
        match = re.search(rf"(?<!\w){spaced}(?!\w)", text)
        if match and (best is None or match.start() < best[1]):
            best = (term_id, match.start(), match.end())
    return best


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


# Step texts link to services (https), e-mail and phone numbers, or within the page. The texts
# are also shown in portals' frames and by API clients, where a relative address means nothing
# and `//host` is another site over any protocol.
_SCHEMES = {"https", "mailto", "tel"}
_LINK_STARTS = ("https://", "mailto:", "tel:", "#")


def _only_outward_links(tag: str, attribute: str, value: str) -> str | None:
    # nh3 drops other schemes but keeps every relative address, `//host` included.
    if attribute == "href" and not value.lower().startswith(_LINK_STARTS):
        return None
    return value


@lru_cache(maxsize=4096)
def long_date(day: dt.date, lang: str) -> str:
    """'maanantai 12. huhtikuuta 2027', 'måndag 12 april 2027', 'Monday 12 April 2027'."""
    return format_date(day, _DATE_FORMATS[lang], locale=lang)


def _switch(request: Request, site: Site, other: str) -> str:
    """The same page in another language; from an address outside the language's pages (an
    error page, say), the other language's home page."""
    path, query = _path_and_query(request)
    if not path.startswith(f"{site.root}/"):
        return Site(other, site.embed).url()
    path = Site(other, site.embed).root + path.removeprefix(site.root)
    return f"{path}?{query}" if query else path


# An address whose path and query Starlette's `request.url` (built and split again on every
# request) gives back unchanged: nothing it escapes, splits off or drops.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/._~-]*")
_PLAIN_QUERY = re.compile(rb"[!$-~]*")  # printable ASCII, no space and no "#"


def _path_and_query(request: Request) -> tuple[str, str]:
    """`request.url.path` and `request.url.query`."""
    path, query = request.scope["path"], request.scope["query_string"]
    if _PLAIN_PATH.fullmatch(path) and _PLAIN_QUERY.fullmatch(query):
        return path, query.decode("ascii")
    return request.url.path, request.url.query


@lru_cache(maxsize=64)
def _asset(name: str) -> tuple[bytes, str]:
    content = (STATIC / name).read_bytes()
    return content, hashlib.sha256(content).hexdigest()[:12]


def static_url(name: str) -> str:
    """The cache-busting address of a static file: its content hash is in the URL."""
    return f"/static/{_asset(name)[1]}/{name}"


def static_file(version: str, name: str) -> bytes | None:
    """A static file, only at the address static_url() gives it: under another version it
    would be cached for a year as if it were that version."""
    if "/" in name or name.startswith(".") or not (STATIC / name).is_file():
        return None
    content, digest = _asset(name)
    return content if version == digest else None
