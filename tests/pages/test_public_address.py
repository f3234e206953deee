"""The public address (POLKU_PUBLIC_URL) in every absolute link, never the Host header; and
requests naming a host that is not ours are refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

import icalendar
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.config import Settings
from api.errors import PROBLEM_JSON
from tests.conftest import problem
from tests.pages.conftest import app_client
from tests.pages.test_saved import PLAN, save

PUBLIC = "https://polku.example"


class TestTheSetting:
    def test_in_development_it_defaults_to_the_served_address(self) -> None:
        settings = Settings(host="0.0.0.0", port=8080)
        assert settings.public_url == "http://0.0.0.0:8080"
        assert settings.allowed_hosts == ["0.0.0.0", "127.0.0.1", "localhost", "testserver"]

    def test_a_trailing_slash_is_dropped_and_its_host_is_allowed(self) -> None:
        settings = Settings(public_url="https://Polku.example:8443/")
        assert settings.public_url == "https://Polku.example:8443"
        assert settings.allowed_hosts[0] == "polku.example"

    def test_production_requires_it_and_allows_only_its_host(self) -> None:
        with pytest.raises(ValidationError, match="set POLKU_PUBLIC_URL"):
            Settings(environment="production", secret_key="k" * 32)
        settings = Settings(environment="production", secret_key="k" * 32, public_url=PUBLIC)
        assert settings.allowed_hosts == ["polku.example"]

    def test_listed_hosts_replace_the_default(self) -> None:
        settings = Settings(public_url=PUBLIC, allowed_hosts=["polku.example", "*.polku.fi"])
        assert settings.allowed_hosts == ["polku.example", "*.polku.fi"]

    @pytest.mark.parametrize(
        "url",
        [
            "polku.example",
            "ftp://polku.example",
            "https://polku.example/polku",
            "https://polku.example?a=b",
            "https://polku.example#top",
            "https://editor:hunter2secret@polku.example",
            "https://polku.example:99999",
            "https://",
        ],
    )
    def test_anything_but_an_http_origin_is_refused_without_repeating_it(self, url: str) -> None:
        with pytest.raises(ValidationError, match="must be an http\\(s\\) origin") as refused:
            Settings(public_url=url)
        assert "hunter2secret" not in str(refused.value)


@pytest.fixture(scope="module")
def client(shared_database_url: str) -> Iterator[TestClient]:
    with app_client(shared_database_url, public_url=PUBLIC) as client:
        yield client


def test_the_calendar_links_to_the_public_address_whatever_the_host(client: TestClient) -> None:
    plan = client.get(PLAN, headers={"Host": "localhost"}).text
    link = re.search(r'href="(/en/moving/plan\.ics\?[^"]+)"', plan)
    assert link is not None
    ics = client.get(link.group(1).replace("&amp;", "&"), headers={"Host": "localhost"})
    assert ics.status_code == 200
    urls = {str(e["url"]) for e in icalendar.Calendar.from_ical(ics.content).walk("VEVENT")}
    assert urls
    assert urls == {f"{PUBLIC}/en/moving/"}  # the start page: the plan's address holds answers
    assert "localhost" not in ics.text


def test_the_private_link_is_at_the_public_address_whatever_the_host(client: TestClient) -> None:
    link = save(client)
    page = client.get(link, headers={"Host": "127.0.0.1"}).text
    assert f"{PUBLIC}{link}" in page
    assert "127.0.0.1" not in page
    assert "testserver" not in page


@pytest.mark.parametrize("host", ["evil.example", "polku.example.evil.example", "", "[::1]"])
def test_a_request_for_another_host_is_refused(client: TestClient, host: str) -> None:
    page = client.get("/sv/moving/", headers={"Host": host})
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in page.text
    assert "content-security-policy" in page.headers
    api = client.get("/v1/journeys", headers={"Host": host})
    assert api.status_code == 400
    assert api.headers["content-type"] == PROBLEM_JSON
    assert api.json()["type"] == f"{PUBLIC}/problems/unknown-host"


@pytest.mark.parametrize(
    "host", ["polku.example", "polku.example:443", "POLKU.example", "localhost"]
)
def test_our_own_hosts_are_served(client: TestClient, host: str) -> None:
    assert client.get("/en/", headers={"Host": host}).status_code == 200


def test_a_wildcard_allows_the_subdomains_only(shared_database_url: str) -> None:
    hosts = ["*.polku.example"]
    with app_client(shared_database_url, public_url=PUBLIC, allowed_hosts=hosts) as client:
        assert client.get("/healthz", headers={"Host": "fi.polku.example"}).status_code == 200
        refused = client.get("/healthz", headers={"Host": "evilpolku.example"})
        assert refused.status_code == 400
        assert refused.json()["type"] == f"{PUBLIC}/problems/unknown-host"
        assert client.get("/healthz").status_code == 400  # testserver is not listed


def test_problem_types_in_tests_use_the_development_default() -> None:
    assert problem("x") == f"{Settings().public_url}/problems/x"
