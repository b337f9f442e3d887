"""The API's contract: the OpenAPI document at /api/v1/openapi.json describes every
operation the app serves under /api/, with its statuses and auth schemes; /api/docs shows
it from vendored files; every error is one problem shape; numbers beyond a column's range
are refused before the database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from conference.auth.service import issue_device_token
from conference.boundary import MAX_ID
from tests.api.problems import invalid_fields
from tests.checkin.conftest import API

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = "/api/v1/openapi.json"
HEADER = {"X-Requested-With": "checkin"}
PROBLEM = "application/problem+json"


@pytest.fixture
def device_token(app) -> str:
    with app.app_context():
        return issue_device_token("Contract test phone")


@pytest.fixture
def document(client) -> dict:
    response = client.get(DOCUMENT)
    assert response.status_code == 200
    assert response.content_type == "application/json"
    return response.get_json()


def _operations(document: dict):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)  # openapi-spec-validator: raises on any fault


def test_every_api_route_is_an_operation_of_the_document(app, document):
    served = {
        (method, re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(method, path) for method, path, _ in _operations(document)}
    assert served == documented
    assert len(documented) >= 14


def test_every_operation_lists_its_statuses_and_who_may_call_it(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["deviceToken"] == {**schemes["deviceToken"], "type": "http", "scheme": "bearer"}
    assert schemes["staffSession"]["in"] == "cookie"
    assert schemes["checkinHeader"] == {**schemes["checkinHeader"], "in": "header",
                                        "name": "X-Requested-With"}
    for method, path, operation in _operations(document):
        statuses = set(operation["responses"])
        assert {"400", "503"} <= statuses, (method, path)
        assert any(s.startswith("2") for s in statuses), (method, path)
        if "requestBody" in operation:
            assert {"413", "422"} <= statuses, (method, path)
        if operation["security"]:
            assert {"401", "403"} <= statuses, (method, path)
            for requirement in operation["security"]:
                assert set(requirement) <= set(schemes)
        for status, answer in operation["responses"].items():
            media = "application/json" if status < "400" else PROBLEM
            assert list(answer["content"]) == [media], (method, path, status)
    by_operation = {(m, p): o for m, p, o in _operations(document)}
    scan = by_operation[("POST", API)]
    assert scan["security"] == [{"staffSession": [], "checkinHeader": []}, {"deviceToken": []},
                                {"apiToken": []}]
    assert by_operation[("GET", "/api/v1/dashboard")]["security"] == [
        {"staffSession": [], "checkinHeader": []}, {"apiToken": []}]
    assert schemes["apiToken"] == {**schemes["apiToken"], "type": "http", "scheme": "bearer"}
    assert by_operation[("POST", API + "/walk-in")]["security"] == [
        {"staffSession": [], "checkinHeader": []}]
    assert by_operation[("GET", API + "/keys")]["security"] == []
    assert by_operation[("POST", "/api/v1/registrations")]["security"] == []


def test_request_schemas_are_the_ones_the_api_checks_with(document):
    schemas = document["components"]["schemas"]
    scan = schemas["ScanRequest"]
    assert scan["required"] == ["code"]
    assert scan["properties"]["gate"]["anyOf"][0] == {"type": "string", "maxLength": 60}
    assert {"type": "integer", "minimum": 1, "maximum": MAX_ID} in [
        {k: v for k, v in branch.items() if k != "description"}
        for branch in scan["properties"]["session"]["anyOf"]
    ]
    assert set(schemas["ValidationProblem"]["required"]) >= {"invalid_params", "status", "title"}


def test_api_docs_page_renders_the_document_from_vendored_files(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-url="/api/v1/openapi.json"' in html
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "http" not in html.split("<body>")[1]
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"):
        assert (ROOT / "static" / "vendor" / "swagger-ui" / name).is_file()
    assert "swagger-ui-dist" in (ROOT / "static" / "vendor" / "README.md").read_text()
    assert client.get("/static/js/api-docs.js").status_code == 200


# One error shape --------------------------------------------------------------------------

def test_a_422_lists_invalid_params_on_every_operation_with_a_body(
    client, staff_client, demo, device_token
):
    device = {"Authorization": f"Bearer {device_token}"}
    refused = [
        client.post("/api/v1/registrations", json={"name": 5, "consent": "yes"}),
        client.post("/api/v1/registrations", json={"email": "nope"}),  # the rules' refusal
        staff_client.post(API + "/walk-in", json={"name": 7, "consent": True}, headers=HEADER),
        staff_client.post(API + "/walk-in", json={"name": "A", "consent": False}, headers=HEADER),
        client.post(API, json={"code": 5}, headers=device),
        client.post(API + "/annul", json={}, headers=device),
        client.post(API + "/manual", json={"ref": 5}, headers=device),
        client.get(API + "/revoked?since=yesterday", headers=device),
    ]
    for response in refused:
        assert response.status_code == 422, response.get_data(as_text=True)
        assert response.content_type == PROBLEM
        problem = response.get_json()
        assert problem["status"] == 422 and problem["title"] and problem["type"] == "about:blank"
        assert invalid_fields(problem)


def test_reasons_are_in_the_request_language(client, demo):
    response = client.post("/api/v1/registrations", json={"name": 5},
                           headers={"Accept-Language": "zh-CN,zh"})
    assert invalid_fields(response.get_json())["name"] == ["必须是文本。"]


# Numbers beyond a column's range ------------------------------------------------------------

@pytest.mark.parametrize("number", [MAX_ID + 1, 2**63, 2**70])
def test_a_session_id_beyond_an_integer_column_is_a_422(client, demo, device_token, staff_client,
                                                        number):
    device = {"Authorization": f"Bearer {device_token}"}
    for answer in (
        client.post(API, json={"code": "X", "session": number}, headers=device),
        staff_client.post(API, json={"code": "X", "session": number}, headers=HEADER),
    ):
        assert answer.status_code == 422, answer.get_data(as_text=True)
        assert list(invalid_fields(answer.get_json())) == ["session"]
    picked = client.post("/api/v1/registrations", json={
        "name": "Ada", "email": "ada@example.org", "organisation": "X", "category": "delegate",
        "consent": True, "sessions": [number]})
    assert picked.status_code == 422
    assert list(invalid_fields(picked.get_json())) == ["sessions.0"]


def test_the_largest_session_id_is_looked_up_not_refused(client, demo, device_token):
    answer = client.post(API, json={"code": "X", "session": MAX_ID},
                         headers={"Authorization": f"Bearer {device_token}"})
    assert answer.status_code == 404  # no such list: a plain lookup
