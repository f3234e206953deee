"""Step texts are markdown, sanitised: links lead only to https pages, e-mail, phone numbers or
a place on the same page."""

from __future__ import annotations

import re

import pytest

from api.pages.render import markdown


def hrefs(text: str) -> list[str | None]:
    """The href of every link the text renders to (None for a link left without one)."""
    html = str(markdown(text))
    return [
        href[0] if href else None
        for tag in re.findall(r"<a\b[^>]*>", html)
        for href in [re.findall(r'href="([^"]*)"', tag)]
    ]


@pytest.mark.parametrize(
    "link",
    ["https://www.dvv.fi/en/notification-of-move", "mailto:info@dvv.fi", "tel:+358295536000"],
)
def test_https_mail_and_phone_links_are_kept(link: str) -> None:
    assert hrefs(f"[DVV]({link})") == [link]


def test_a_link_within_the_page_is_kept() -> None:
    assert hrefs("[below](#deadlines)") == ["#deadlines"]


@pytest.mark.parametrize(
    "link",
    [
        "//evil.example/login",  # another site, over whatever protocol the page uses
        "&#x2F;&#x2F;evil.example/login",  # the same, written as character references
        "/\\evil.example/login",  # browsers read \\ as /
        "ssh://evil.example",
        "ftp://evil.example/file",
        "http://evil.example",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "https:evil.example",  # no // : relative in a browser, not the https page it seems
        "/fi/moving",  # relative addresses mean nothing in a portal's frame or an API client
        "relative/page",
        "?q=1",
    ],
)
def test_other_links_lose_their_address(link: str) -> None:
    assert hrefs(f"[click]({link})") in ([None], [])


def test_an_autolink_with_another_scheme_loses_its_address() -> None:
    assert hrefs("<ssh://evil.example>") == [None]
    assert hrefs("<https://www.dvv.fi>") == ["https://www.dvv.fi"]
