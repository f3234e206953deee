"""The app on a published database of each kind with an editor's, a publisher's and a revoked
token (tests/editor/conftest.py), and a browser-like client that signs in on the pages."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient

from tests.editor.conftest import Tokens, client, editor_tokens, settings  # noqa: F401

__all__ = ["Tokens"]


def hidden(html: str, name: str, form_action: str | None = None) -> str:
    """The value of a hidden field of the page's (first, or `form_action`'s) form."""
    forms = re.findall(r'<form [^>]*action="([^"]*)"[^>]*>(.*?)</form>', html, re.S)
    for action, body in forms:
        if form_action is None or unescape(action) == form_action:
            found = re.search(rf'name="{name}" value="([^"]*)"', body)
            if found:
                return unescape(found.group(1))
    raise AssertionError(f"no field {name} in a form to {form_action}")


def sign_in(browser: TestClient, token: str, *, lang: str = "en", next_page: str = "") -> str:
    """Sign in on the sign-in page as a browser does; the page it leads to."""
    page = browser.get(f"/editor/sign-in?lang={lang}").text
    response = browser.post(
        "/editor/sign-in",
        data={
            "csrf": hidden(page, "csrf", "/editor/sign-in"),
            "lang": lang,
            "next": next_page,
            "token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


def csrf_of(browser: TestClient) -> str:
    """The session's CSRF token, from the sign-out form every signed-in page has: the audit
    log's (some 8 ms of CPU; the dashboard, which counts every journey's stale translations,
    took 60-100 ms, and the form tests ask for the token hundreds of times)."""
    return hidden(browser.get("/editor/audit").text, "csrf", "/editor/sign-out")
