"""The committed contract (openapi.yaml): it is the app's, it is valid OpenAPI, and it tells the
whole truth about every operation: its id, every status it can answer, problem details as
application/problem+json, and the links from a new checklist to what can be done with it."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from api import migrations
from api.cli import openapi_yaml
from api.config import Settings
from api.errors import PROBLEM_JSON
from api.main import create_app
from tests.conftest import ROOT, read_yaml

CONTRACT = ROOT / "openapi.yaml"
REGENERATE = ".venv/bin/polku openapi"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# A checklist id of the right shape that no checklist has.
NO_SUCH_CHECKLIST = "x" * 43


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    loaded: dict[str, Any] = read_yaml(CONTRACT)
    return loaded


def operations(contract: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in contract["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def resolve(contract: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, name = node["$ref"].split("/")
        node = contract["components"]["schemas"][name]
    return node


def label(path: str, method: str) -> str:
    return f"{method.upper()} {path}"


# --- the file is the app's contract ----------------------------------------------------------


def test_every_app_has_the_same_contract_whatever_its_settings_in_a_copy_of_its_own(
    tmp_path: Path,
) -> None:
    """The document is built once per process (api.main.openapi) and copied to each app: so
    no setting may change it, and a change to one app's copy is not another's."""
    plain = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}")).openapi()
    other = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'b.db'}",
            public_url="https://polku.example",
            allowed_hosts=["polku.example"],
            frame_origins=["https://portal.example"],
            cors_origins=["https://portal.example"],
            limit_checklist_create="5/minute",
            max_body_bytes=2048,
            checklist_ttl_days=30,
        )
    ).openapi()
    assert other == plain
    other["info"]["title"] = "changed"
    assert plain["info"]["title"] != "changed"


def test_the_committed_contract_is_the_apps() -> None:
    live = create_app(Settings()).openapi()
    if read_yaml(CONTRACT) != live:
        diff = "".join(
            difflib.unified_diff(
                CONTRACT.read_text(encoding="utf-8").splitlines(keepends=True),
                openapi_yaml().splitlines(keepends=True),
                fromfile="openapi.yaml (committed)",
                tofile="openapi.yaml (from the app)",
            )
        )
        pytest.fail(
            f"openapi.yaml is not the app's contract; regenerate it with `{REGENERATE}`\n\n{diff}",
            pytrace=False,
        )


def test_the_contract_is_valid_openapi(contract: dict[str, Any]) -> None:
    assert contract["openapi"].startswith("3.1")
    validate(contract)


def test_bounds_are_json_schema_keywords(contract: dict[str, Any]) -> None:
    """`ge`/`le` mean nothing to a client or a fuzzer (pydantic writes them when a validator
    comes before Field() in Annotated): the bound is then unknown to everyone but the server."""

    def walk(node: Any, where: str) -> Iterator[str]:
        if isinstance(node, dict):
            if {"ge", "le", "gt", "lt"} & set(node) and "type" in node:
                yield where
            for key, value in node.items():
                yield from walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{where}/{index}")

    assert not list(walk(contract, "#"))


# --- every operation ------------------------------------------------------------------------


def test_every_operation_has_a_unique_operation_id(contract: dict[str, Any]) -> None:
    ids = [operation.get("operationId") for _, _, operation in operations(contract)]
    assert None not in ids
    assert len(ids) == len(set(ids))


def test_every_operation_declares_the_statuses_its_shape_implies(
    contract: dict[str, Any],
) -> None:
    """A 2xx; 422 when there is anything to validate; 404 for what a path names; 400 (JSON that
    does not parse) and 413 (too large) for a body; 503 for everything under /v1, which needs
    the published journeys or the database."""
    missing = []
    for path, method, operation in operations(contract):
        declared = set(operation["responses"])
        parameters = operation.get("parameters", [])
        body = "requestBody" in operation
        expected = set()
        if not any(status.startswith("2") for status in declared):
            missing.append(f"{label(path, method)}: no 2xx")
        if parameters or body:
            expected.add("422")
        if any(p["in"] == "path" for p in parameters):
            expected.add("404")
        if body:
            expected |= {"400", "413"}
        if path.startswith("/v1/"):
            expected.add("503")
        if expected - declared:
            missing.append(f"{label(path, method)}: {sorted(expected - declared)}")
    assert not missing, "statuses an operation can answer but does not declare:\n" + "\n".join(
        missing
    )


def test_if_match_is_declared_required_wherever_it_is_taken(contract: dict[str, Any]) -> None:
    """The service answers a write without it 428 (tests/editor/test_drafts.py); the contract
    says so, instead of calling it optional."""
    taking = {
        operation["operationId"]: parameter
        for _, _, operation in operations(contract)
        for parameter in operation.get("parameters", [])
        if parameter["name"].lower() == "if-match"
    }
    assert len(taking) == 12  # every write to a draft, discarding and publishing it
    for operation_id, parameter in taking.items():
        assert parameter["required"], operation_id
        assert parameter["schema"]["type"] == "string", operation_id
        assert parameter["schema"]["minLength"] == 1, operation_id


def test_problem_responses_are_problem_details(contract: dict[str, Any]) -> None:
    wrong = []
    for path, method, operation in operations(contract):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            content = response.get("content", {})
            if set(content) != {PROBLEM_JSON}:
                wrong.append(f"{label(path, method)} {status}: {sorted(content)}")
                continue
            schema = content[PROBLEM_JSON]["schema"]
            for option in schema.get("anyOf", [schema]):
                required = set(resolve(contract, option).get("required", []))
                if not {"type", "title", "status"} <= required:
                    wrong.append(f"{label(path, method)} {status}: not a problem details schema")
    assert not wrong, "\n".join(wrong)


def test_successful_json_is_application_json(contract: dict[str, Any]) -> None:
    """JSON always; the editors' drafts and versions also read as YAML (journey file format)."""
    for path, method, operation in operations(contract):
        for status, response in operation["responses"].items():
            if status.startswith("2") and status != "204":
                types = set(response.get("content", {}))
                allowed = {"application/json", "application/yaml"}
                if not path.startswith("/v1/editor/"):
                    allowed = {"application/json"}
                assert "application/json" in types, label(path, method)
                assert types <= allowed, label(path, method)


# --- links ------------------------------------------------------------------------------------


def test_a_new_checklist_links_to_reading_changing_and_deleting_it(
    contract: dict[str, Any],
) -> None:
    created = contract["paths"]["/v1/checklists"]["post"]["responses"]["201"]
    links = {link["operationId"]: link["parameters"] for link in created["links"].values()}
    for target in ("get_checklist", "update_checklist", "delete_checklist"):
        assert links[target] == {"checklist_id": "$response.body#/id"}


def test_every_link_names_a_real_operation_and_its_parameters(contract: dict[str, Any]) -> None:
    by_id = {operation["operationId"]: operation for _, _, operation in operations(contract)}
    for path, method, operation in operations(contract):
        for status, response in operation["responses"].items():
            for name, link in response.get("links", {}).items():
                where = f"{label(path, method)} {status} link {name}"
                target = by_id.get(link["operationId"])
                assert target is not None, where
                # A name may say where the parameter is: `header.if-match`.
                names = {p["name"] for p in target.get("parameters", [])}
                names |= {f"{p['in']}.{p['name']}" for p in target.get("parameters", [])}
                assert set(link["parameters"]) <= names, where
                for expression in link["parameters"].values():
                    assert expression.startswith("$response.body#/"), where


# --- examples ---------------------------------------------------------------------------------


def test_examples_fit_their_schemas(contract: dict[str, Any]) -> None:
    checked = 0
    for name, schema in contract["components"]["schemas"].items():
        for example in schema.get("examples", []):
            # With the components beside it, so its `#/components/...` references resolve.
            standalone = {**schema, "components": contract["components"]}
            validator = jsonschema.Draft202012Validator(
                standalone, format_checker=jsonschema.FormatChecker()
            )
            errors = [e.message for e in validator.iter_errors(example)]
            assert not errors, f"{name} example {example}: {errors}"
            checked += 1
    assert checked >= 3


def _examples_of(contract: dict[str, Any], node: dict[str, Any]) -> list[Any]:
    """The examples a parameter, media type or schema gives, its schema's included (through
    references, and every branch of an anyOf but `null`)."""
    found = list(node.get("examples", []) if isinstance(node.get("examples"), list) else [])
    if isinstance(node.get("examples"), dict):  # a media type's named Example objects
        found += [example["value"] for example in node["examples"].values()]
    if "example" in node:
        found.append(node["example"])
    schema = node.get("schema", node if "schema" not in node and "$ref" in node else None)
    if schema is not None:
        schema = resolve(contract, schema)
        found += schema.get("examples", [])
        branches = [resolve(contract, b) for b in schema.get("anyOf", [])]
        branches = [b for b in branches if b.get("type") != "null"]
        if branches and all(b.get("examples") for b in branches):
            found += [example for b in branches for example in b["examples"]]
    return found


def _example_places(
    contract: dict[str, Any],
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(where, the node with examples, its schema) for every parameter, request body and
    response body of every operation."""
    for path, method, operation in operations(contract):
        for parameter in operation.get("parameters", []):
            where = f"{label(path, method)} parameter {parameter['name']}"
            yield where, parameter, parameter["schema"]
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            yield f"{label(path, method)} request body {media_type}", media, media["schema"]
        for status, response in operation["responses"].items():
            for media_type, media in response.get("content", {}).items():
                yield f"{label(path, method)} {status} {media_type}", media, media["schema"]


def test_every_parameter_body_and_response_has_an_example(contract: dict[str, Any]) -> None:
    """What a portal developer reads first: each operation shows what to send and what comes
    back, errors included."""
    missing = [
        where for where, node, _ in _example_places(contract) if not _examples_of(contract, node)
    ]
    assert not missing, "without an example:\n" + "\n".join(missing)


def test_every_example_of_an_operation_fits_its_schema(contract: dict[str, Any]) -> None:
    wrong = []
    for where, node, schema in _example_places(contract):
        standalone = {**schema, "components": contract["components"]}
        validator = jsonschema.Draft202012Validator(
            standalone, format_checker=jsonschema.FormatChecker()
        )
        for example in _examples_of(contract, node):
            wrong += [f"{where}: {error.message}" for error in validator.iter_errors(example)]
    assert not wrong, "\n".join(wrong)


def test_the_plan_example_is_a_complete_plan_of_a_real_journey(
    client: TestClient, contract: dict[str, Any]
) -> None:
    """The examples are what schemathesis starts from: they must reach the positive paths."""
    slug = _path_example(contract, "/v1/journeys/{slug}/plan", "post", "slug")
    (example,) = contract["components"]["schemas"]["PlanRequest"]["examples"]
    response = client.post(f"/v1/journeys/{slug}/plan", json=example)
    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["complete"], plan["questions"]
    assert plan["steps"]
    first = plan["steps"][0]
    step_path = "/v1/checklists/{checklist_id}/steps/{journey}/{step}"
    assert _path_example(contract, step_path, "put", "journey") == first["journey"]
    assert _path_example(contract, step_path, "put", "step") in {s["id"] for s in plan["steps"]}

    (checklist,) = contract["components"]["schemas"]["ChecklistCreate"]["examples"]
    assert client.post("/v1/checklists", json=checklist).status_code == 201
    query = contract["paths"]["/v1/journeys/{slug}/plan"]["get"]["parameters"]
    (answers,) = next(p for p in query if p["name"] == "answers")["schema"]["examples"]
    shared = client.get(f"/v1/journeys/{slug}/plan", params=answers)
    assert shared.status_code == 200, shared.text
    assert shared.json()["complete"]


def _path_example(contract: dict[str, Any], path: str, method: str, name: str) -> str:
    parameters = contract["paths"][path][method]["parameters"]
    parameter = next(p for p in parameters if p["name"] == name)
    example: str = parameter["schema"]["examples"][0]
    return example


# --- what the app really answers is declared ------------------------------------------------


def _requests(
    contract: dict[str, Any], checklist_id: str
) -> Iterator[tuple[str, str, str, Any, dict[str, Any]]]:
    """Each operation called with its example values: (method, template, url, body, operation),
    deletions last."""
    ordered = sorted(operations(contract), key=lambda item: item[1] == "delete")
    for path, method, operation in ordered:
        url = path
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "path":
                continue
            name = parameter["name"]
            value = (
                checklist_id
                if name == "checklist_id"
                else str(parameter["schema"]["examples"][0])  # str: a version number is an int
            )
            url = url.replace("{" + name + "}", value)
        body = None
        if "requestBody" in operation:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            body = resolve(contract, schema)["examples"][0]
        yield method, path, url, body, operation


def _undeclared(response: Any, method: str, path: str, operation: dict[str, Any]) -> list[str]:
    status = str(response.status_code)
    problems = []
    if status not in operation["responses"]:
        problems.append(f"{label(path, method)} answered an undeclared {status}")
    if response.status_code >= 400:
        content_type = response.headers["content-type"]
        if content_type != PROBLEM_JSON:
            problems.append(f"{label(path, method)} answered {status} as {content_type}")
    return problems


def test_every_operation_answers_only_what_it_declares(
    client: TestClient, contract: dict[str, Any]
) -> None:
    """Called with the contract's examples, plainly and with `If-None-Match: *` (a GET may
    answer 304; a change never does)."""
    (example,) = contract["components"]["schemas"]["ChecklistCreate"]["examples"]
    checklist_id = client.post("/v1/checklists", json=example).json()["id"]
    undeclared = []
    statuses = set()
    for method, path, url, body, operation in _requests(contract, checklist_id):
        for headers in ({}, {"If-None-Match": "*"}):
            response = client.request(method, url, json=body, headers=headers)
            statuses.add(response.status_code)
            undeclared += _undeclared(response, method, path, operation)
            if method != "get":
                assert response.status_code != 304, label(path, method)
    assert not undeclared, "\n".join(undeclared)
    assert {200, 201, 204, 304} <= statuses


def test_a_method_a_path_lacks_is_405_naming_every_method_it_has(
    contract: dict[str, Any], tmp_path: Path
) -> None:
    # Routing alone answers this: the app is not started and no database is touched.
    client = TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'none.db'}")))
    for path, item in contract["paths"].items():
        declared = sorted(method.upper() for method in item if method in METHODS)
        # HEAD is answered wherever GET is (api.http.middleware.HeadAsGet), undeclared like in
        # most APIs.
        allowed = sorted([*declared, "HEAD"] if "GET" in declared else declared)
        operation = next(o for method, o in item.items() if method in METHODS)
        url = path
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                value = str(parameter["schema"].get("examples", [NO_SUCH_CHECKLIST])[0])
                url = url.replace("{" + parameter["name"] + "}", value)
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
            if method in declared:
                continue
            response = client.request(method, url)
            assert response.status_code == 405, f"{method} {url}"
            assert response.headers["allow"] == ", ".join(allowed), f"{method} {url}"
            assert response.headers["content-type"] == PROBLEM_JSON


@pytest.fixture
def unpublished(empty_database_url: str) -> Iterator[TestClient]:
    """The app on a migrated database where nothing is published yet."""
    migrations.upgrade(empty_database_url)
    with TestClient(create_app(Settings(database_url=empty_database_url))) as client:
        yield client


def test_before_anything_is_published_every_operation_answers_what_it_declares(
    unpublished: TestClient, contract: dict[str, Any]
) -> None:
    """A new deployment before `polku journeys import`: 503 where the journeys are needed,
    never a server error."""
    undeclared = []
    statuses = set()
    for method, path, url, body, operation in _requests(contract, NO_SUCH_CHECKLIST):
        response = unpublished.request(method, url, json=body)
        statuses.add(response.status_code)
        undeclared += _undeclared(response, method, path, operation)
    assert not undeclared, "\n".join(undeclared)
    assert 503 in statuses
    assert not {s for s in statuses if s >= 500} - {503}
