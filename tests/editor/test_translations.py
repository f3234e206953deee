"""The translation report: which published texts lack Swedish or English, the same counts as
`polku journeys translations`."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.editor.conftest import Tokens, bearer


def test_the_translation_report(client: TestClient, editor_tokens: Tokens) -> None:
    report = client.get("/v1/editor/translations", headers=bearer(editor_tokens.editor)).json()
    names = [j["name"] for j in report["journeys"]]
    assert "moving" in names
    assert "shared" in names
    assert names == sorted(names)
    assert report["missing"] == 0
    assert all(j["texts"] > 0 for j in report["journeys"])


def test_the_translation_report_is_the_commands(client: TestClient, editor_tokens: Tokens) -> None:
    """The API and `polku journeys translations` give the same counts (one engine function)."""
    from click.testing import CliRunner

    from api.cli import main
    from tests.conftest import JOURNEYS

    output = CliRunner().invoke(main, ["journeys", "translations", str(JOURNEYS)]).output
    lines = [line for line in output.splitlines() if " texts; missing in Swedish: " in line]
    from_cli = {line.split(":")[0]: int(line.split(": ")[1].split()[0]) for line in lines}
    report = client.get("/v1/editor/translations", headers=bearer(editor_tokens.editor)).json()
    assert {j["name"]: j["texts"] for j in report["journeys"]} == from_cli
