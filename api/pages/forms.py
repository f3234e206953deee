"""Page forms that change something (save, tick, change the date, delete): protection against
cross-site request forgery without cookies.

Polku sets no cookies, so a forged request has no session to ride on; a saved checklist's
authority is its private link. Still, every such form carries a token signed with the server's
key for that form's own address (itsdangerous), and a request the browser marks as coming from
another site (`Sec-Fetch-Site`, or an `Origin` naming another host: the scheme is left out, as a
TLS-terminating proxy may change it) is refused. Both work inside a
portal's frame, where third-party cookies would not.
"""

from __future__ import annotations

import secrets
import time
from functools import lru_cache
from urllib.parse import urlsplit

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import FormData

# A checklist left open in a tab for a few days can still be ticked.
TOKEN_MAX_AGE = 7 * 24 * 3600
TOKEN_FIELD = "csrf"


class FormRefused(Exception):
    """A form that cannot be trusted or has expired: a friendly page with a way back."""

    def __init__(self, lang: str, back: str) -> None:
        super().__init__(lang)
        self.lang = lang
        self.back = back


@lru_cache(maxsize=4)
def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="polku-page-forms")


# Development without POLKU_SECRET_KEY: one random key per process (config refuses this in
# production and with several workers).
_PROCESS_KEY = secrets.token_urlsafe(32)


def _secret(request: Request) -> str:
    key = request.app.state.settings.secret_key
    return key.get_secret_value() if key is not None else _PROCESS_KEY


def form_token(request: Request, action: str) -> str:
    """The token for a form that posts to `action` (a path)."""
    return _token(_secret(request), action, int(time.time()))


@lru_cache(maxsize=256)
def _token(secret: str, action: str, second: int) -> str:
    # Signed with the time in whole seconds, the same for every page of one form's address
    # within a second: made once (it holds an address, nothing of a person).
    return _serializer(secret).dumps(action)


async def verified_form(request: Request, lang: str, back: str) -> FormData:
    """The submitted form, if it came from our own page within the token's lifetime."""
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    cross_site = site not in (None, "same-origin", "none") or (
        # "null": browsers send it for a same-origin post from a no-referrer page.
        origin not in (None, "null") and urlsplit(origin).netloc != request.headers.get("host")
    )
    form = await request.form()
    token = form.get(TOKEN_FIELD)
    if cross_site or not isinstance(token, str) or len(token) > 500:
        raise FormRefused(lang, back)
    try:
        action = _serializer(_secret(request)).loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature:
        raise FormRefused(lang, back) from None
    if action != request.url.path:
        raise FormRefused(lang, back)
    return form
