"""Rendering pages: one Jinja2 environment, autoescaped, strict about undefined names, with the
interface strings of the page's language and the page security headers."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.pages.i18n import translations

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"

# Pages load nothing from elsewhere and run no inline script or style.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)


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
    )
    env.globals["static"] = static_url
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def render(
    request: Request, template: str, lang: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page in `lang`; the language switch keeps the rest of the URL and its query."""
    page = environment(lang).get_template(template)
    html = page.render(
        lang=lang,
        other_languages=[
            (other, _switch(request, lang, other)) for other in ("fi", "sv", "en") if other != lang
        ],
        **context,
    )
    headers = {
        "Content-Security-Policy": PAGE_CSP,
        "Content-Language": lang,
        "Cache-Control": "no-cache",
    }
    return HTMLResponse(html, status_code=status, headers=headers)


def _switch(request: Request, lang: str, other: str) -> str:
    path = request.url.path.replace(f"/{lang}/", f"/{other}/", 1)
    query = request.url.query
    return f"{path}?{query}" if query else path


@lru_cache(maxsize=64)
def _asset(name: str) -> tuple[bytes, str]:
    content = (STATIC / name).read_bytes()
    return content, hashlib.sha256(content).hexdigest()[:12]


def static_url(name: str) -> str:
    """The cache-busting address of a static file: its content hash is in the URL."""
    return f"/static/{_asset(name)[1]}/{name}"


def static_file(name: str) -> bytes | None:
    if "/" in name or name.startswith(".") or not (STATIC / name).is_file():
        return None
    return _asset(name)[0]
