"""The plan page from its pieces (api/pages/pieces.py) is byte for byte the page `plan.html`
renders whole: for the journeys' own scenarios in fi, sv and en, with and without dates, overdue,
with refused or hostile dates, "not sure" answers, included journeys, embedded, with every step
open and after feedback was sent (form tokens aside: they are signed with the time). What it
fills in is escaped, and nothing of a person is kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from markupsafe import Markup, escape

from api.pages import pieces, steps
from api.pages.render import ROOT
from tests.conftest import read_yaml

HOSTILE = "<script>x</script>"
# Ways to give (or not) the event date, after a scenario's answers.
DATES = [
    None,  # the scenario's own date
    "event_date=unknown",
    "",
    "event_date=2020-01-15",  # overdue
    "event_date=2027-02-30",
    "event_date.day=3&event_date.month=2&event_date.year=2027",
    f"event_date.day={HOSTILE}&event_date.month=2&event_date.year=x",
    "event_date=1900-01-01",
]


def _scenario_addresses() -> list[str]:
    """Plan page addresses from every journey's first scenarios, in turn in each language,
    embedded or not, with every step open or after feedback."""
    addresses = []
    turn = 0
    for path in sorted((ROOT / "journeys").glob("*.yaml")):
        journey = read_yaml(path)
        for scenario in journey.get("scenarios", [])[:2]:
            pairs = [
                (qid, str(value))
                for qid, given in (scenario.get("answers") or {}).items()
                for value in (given if isinstance(given, list) else [given])
            ]
            for date in DATES:
                turn += 1
                own = scenario.get("event_date")
                extra = [f"event_date={own}" if own else "" if date is None else date]
                extra += ["all=1"] * (turn % 3 == 0) + ["feedback=sent"] * (turn % 4 == 1)
                query = "&".join(part for part in [urlencode(pairs), *extra] if part)
                prefix = "/embed" if turn % 5 == 0 else ""
                lang = ("fi", "sv", "en")[turn % 3]
                addresses.append(f"{prefix}/{lang}/{path.stem}/plan?{query}")
    return addresses


ADDRESSES = _scenario_addresses()


def _unsigned(body: bytes) -> bytes:
    return re.sub(rb'name="csrf" value="[^"]*"', b'name="csrf" value=""', body)


@pytest.fixture
def fresh() -> Iterator[None]:
    pieces._pieces.cache_clear()
    steps._pieces.cache_clear()
    yield
    pieces._pieces.cache_clear()


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """Each page's shape and the pieces it was given, from now on."""
    kept: list[tuple[Any, Any]] = []
    cached = pieces._pieces

    def recording(shape: Any) -> Any:
        kept.append((shape, cached(shape)))
        return kept[-1][1]

    monkeypatch.setattr(pieces, "_pieces", recording)
    return kept


def _pages(client: TestClient) -> list[tuple[int, str, bytes]]:
    out = []
    for address in ADDRESSES:
        response = client.get(address, follow_redirects=False)
        out.append((response.status_code, address, _unsigned(response.content)))
    return out


def test_pages_from_pieces_are_the_pages_rendered_whole(
    client: TestClient, fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = pieces._pieces
    kept = _recording(monkeypatch)
    from_pieces = _pages(client)
    # Every page shown came from pieces: many shapes, most rendered once and used again.
    assert len(kept) == sum(status == 200 for status, _, _ in from_pieces) > 200
    assert None not in [kept_pieces for _, kept_pieces in kept]
    info = cached.cache_info()
    assert info.hits > info.misses > 10
    monkeypatch.setattr(pieces, "_pieces", lambda shape: None)
    whole = _pages(client)
    assert {status for status, _, _ in whole} == {200, 303}
    for mine, theirs in zip(from_pieces, whole, strict=True):
        assert mine == theirs, mine[1]


def test_a_persons_values_are_escaped_and_not_kept(
    client: TestClient, fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _recording(monkeypatch)
    address = (
        "/en/moving/plan?moving_to=other_municipality&children=no&moving_housing_allowance=no"
        f"&event_date.day={HOSTILE}&event_date.month=%22%3E&event_date.year=2031"
    )
    page = client.get(address).text
    assert HOSTILE not in page
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in page
    assert 'value="&#34;&gt;"' in page
    assert len(kept) == 1
    shape, kept_pieces = kept[0]
    assert kept_pieces is not None
    for what in (repr(shape), "".join(kept_pieces)):
        for value in ("&lt;script", "other_municipality", "2031", "&#34;&gt;"):
            assert value not in what


def test_a_page_with_an_unusual_context_is_rendered_whole() -> None:
    assert pieces._shape({"lang": "en"}) is None


def test_the_journeys_scenarios_give_many_addresses() -> None:
    assert len(ADDRESSES) > 250
    assert sum("/embed/" in address for address in ADDRESSES) > 40


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/en/moving/plan", b"a=b&c=d%20e+f&x=%3Cscript%3E&all=1"),
        ("/en/moving/plan", b""),
        ("/en/mov ing/plan", b"a=b"),
        ("/en/moving/plan?x", b"a=b#frag"),
        ("/en/mov\\ing/plan", b"a=\tb\nc&d=e f"),
        ("/fi/muutto/plan", "ä=ö".encode()),
        ("//en/moving/plan", b"a=%00"),
    ],
)
def test_the_language_switch_reads_the_address_as_starlette_does(path: str, query: bytes) -> None:
    from starlette.requests import Request

    from api.pages.render import _path_and_query

    scope = {
        "type": "http",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "path": path,
        "query_string": query,
        "headers": [(b"host", b"example.fi")],
    }
    request = Request(scope)
    assert _path_and_query(request) == (request.url.path, request.url.query)


def test_the_flows_query_is_urlencodes() -> None:
    from urllib.parse import urlencode

    from api.pages.flow import _urlencode

    pairs = [
        ("moving_to", "abroad"),
        ("event_date", "2027-08-02"),
        ("a b", "c d"),
        ("x", "<script>&=?#%+"),
        ("ä", "ö~._-"),
        ("", ""),
        ("n", "12.5"),
        ("emoji", "\U0001f600"),
        ("nul", "\x00\t\n"),
    ]
    for end in range(len(pairs) + 1):
        assert _urlencode(pairs[:end]) == urlencode(pairs[:end])


@pytest.mark.parametrize(
    "value",
    ["plain", "", "a & b", "<b>", '"q"', "'s'", "ä ö", Markup("<b>kept</b>"), 12, None, "\x00"],
)
def test_escape_text_is_markupsafes_escape(value: Any) -> None:
    assert str(steps.escape_text(value)) == str(escape(value))
