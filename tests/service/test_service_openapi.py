"""``GET /openapi.json``: every route, and response schemas that are the shipped ones."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from perfscore.report.schemas import TAGS, load
from perfscore.service.app import create_app
from perfscore.service.openapi import RESPONSE_SCHEMAS
from perfscore.service.problems import ERROR_SCHEMA


@pytest.fixture(scope="module")
def document(server: Any) -> dict[str, Any]:
    """The OpenAPI document as the running server serves it."""
    with server.client() as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _refs(schema: dict[str, Any]) -> list[str]:
    if "$ref" in schema:
        return [schema["$ref"]]
    return [s["$ref"] for s in schema.get("oneOf", [])]


def test_every_route_is_documented_and_nothing_else(document: dict[str, Any]) -> None:
    """The paths and methods of the document are exactly the application's routes."""
    app = create_app()
    routes = {
        (method.lower(), route.path)  # type: ignore[attr-defined]
        for route in app.routes  # type: ignore[attr-defined]
        for method in route.methods  # type: ignore[attr-defined]
        if method != "HEAD"
    }
    documented = {(m, p) for p, item in document["paths"].items() for m in item}
    assert documented == routes


def test_response_schemas_are_the_shipped_json_schemas(document: dict[str, Any]) -> None:
    """Each 200 answer references components that are, unchanged, the shipped schema files."""
    components = document["components"]["schemas"]
    for (method, path), names in RESPONSE_SCHEMAS.items():
        content = document["paths"][path][method]["responses"]["200"]["content"]
        refs = _refs(content["application/json"]["schema"])
        assert refs == [f"#/components/schemas/{n}" for n in names], path
        for ref, name in zip(refs, names, strict=True):
            assert _resolve(document, ref) == load(name)
            assert load(name)["properties"]["schema"]["const"] == TAGS[name]
    assert components["error"] == ERROR_SCHEMA


def test_every_error_answer_references_the_error_schema(document: dict[str, Any]) -> None:
    """Every documented 4xx/5xx answer is the error schema; every operation documents 401."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            if path != "/health":
                assert "401" in responses, (method, path)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/error"}, (path, status)


def test_every_reference_resolves_and_every_component_is_a_valid_schema(
    document: dict[str, Any],
) -> None:
    """No dangling ``$ref``; each component is a valid JSON Schema 2020-12."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                _resolve(document, ref)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document["paths"])
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    assert document["openapi"].startswith("3.1")
    assert document["jsonSchemaDialect"] == "https://json-schema.org/draft/2020-12/schema"


def test_documented_parameters_are_the_accepted_ones(
    document: dict[str, Any], client: httpx.Client
) -> None:
    """A query parameter the document lists for an endpoint is accepted there (not 400 as
    unknown); one it does not list is refused."""
    rows = [{"target": "≥1", "actual": "1", "weight": "1"}]
    names = [p["name"] for p in document["paths"]["/score"]["post"]["parameters"]]
    assert set(names) == {"scheme", "recompute", "year", "budget", "executed"}
    params = {"scheme": "mof2020", "recompute": "true", "year": "2024"}
    params |= {"budget": "10", "executed": "9"}
    assert client.post("/score", params=params, json=rows).status_code == 200
    assert client.post("/score", params={"sheet": "x"}, json=rows).status_code == 400
