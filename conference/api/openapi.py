"""The OpenAPI 3.1 document of the API, written from the operations the views declare
(``conference.api.contract.operation``) and the app's routes: ``GET /api/v1/openapi.json``.
``/api/docs`` (``conference.api.docs``) renders it."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from werkzeug.routing import Rule

from ..auth.guards import CSRF_HEADER, CSRF_HEADER_VALUE
from ..boundary import MAX_ID
from . import bp
from .contract import Operation, Problem, ValidationProblem, operation

PROBLEM_TYPE = "application/problem+json"
JSON_TYPE = "application/json"
_RULE_ARGUMENT = re.compile(r"<(?:(?P<converter>[^:<>]+):)?(?P<name>[^<>]+)>")
_CONVERTER_SCHEMAS = {
    "int": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
    "path": {"type": "string"},
    "default": {"type": "string", "pattern": "^[^/]+$"},
}

# What every operation may answer, besides what it declares.
_ALWAYS = {
    400: "Refused input: a control character, invalid text or JSON nested too deeply "
         "anywhere in the request, or a body that is not JSON.",
    503: "The database cannot be reached just now (`Retry-After` says when to try again).",
}
_WITH_BODY = {
    413: "The body is too large.",
    422: "The body's fields, or the query's, are missing or wrong: see `invalid_params`.",
}
_WITH_QUERY = {422: _WITH_BODY[422]}
_JSON_TYPE_REQUIRED = {415: "The body was not sent as `application/json`."}
_HEADERS = {
    401: {"WWW-Authenticate": "`Bearer realm=\"conference\"`, with `error=\"invalid_token\"` "
                              "for an unknown or revoked token."},
    503: {"Retry-After": "Seconds to wait."},
}

DESCRIPTION = f"""\
The conference's JSON API. Every error is an RFC 9457 problem document
(`{PROBLEM_TYPE}`); a 422 lists the faulty fields in `invalid_params: [{{name, reason}}]`.

**Authentication.** The check-in family needs either a staff login's session cookie
(after `POST /login`) sent with the header `{CSRF_HEADER}: {CSRF_HEADER_VALUE}` — the
cookie alone is never enough — or `Authorization: Bearer <device token>` (made with
`flask --app conference create-device-token NAME`, revoked on `/admin/checkin`).
No credentials, or an unknown or revoked token, get 401; an account that is not staff
gets 403. Organisers and admins rank above staff.
"""


def _security_schemes(app: Flask) -> dict[str, Any]:
    return {
        "staffSession": {
            "type": "apiKey", "in": "cookie",
            "name": app.session_interface.get_cookie_name(app),
            "description": "The session cookie of a staff, organiser or admin login (or its "
                           "remember-me cookie). Only together with `checkinHeader`.",
        },
        "checkinHeader": {
            "type": "apiKey", "in": "header", "name": CSRF_HEADER,
            "description": f"Must be `{CSRF_HEADER_VALUE}` on every call authenticated by the "
                           "session cookie: a cross-site page cannot send it.",
        },
        "deviceToken": {
            "type": "http", "scheme": "bearer",
            "description": "A scanner device's token (`flask --app conference "
                           "create-device-token NAME`).",
        },
        "apiToken": {
            "type": "http", "scheme": "bearer",
            "description": "An integration's API token, acting with its account's role "
                           "(made on /admin/people or with `flask --app conference "
                           "create-api-token EMAIL NAME`).",
        },
    }


def _path(rule: Rule) -> tuple[str, list[dict[str, Any]]]:
    """The rule as an OpenAPI path template, and its path parameters."""
    parameters = []

    def template(match: re.Match) -> str:
        name, converter = match.group("name"), match.group("converter") or "default"
        schema = _CONVERTER_SCHEMAS.get(converter, {"type": "string"})
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return _RULE_ARGUMENT.sub(template, rule.rule), parameters


def _query_parameters(schema: dict) -> list[dict[str, Any]]:
    """A query model's fields as query parameters (an absent parameter is its null)."""
    required = set(schema.get("required", ()))
    parameters = []
    for name, field_schema in schema["properties"].items():
        field_schema = dict(field_schema)
        description = field_schema.pop("description", None)
        field_schema.pop("title", None)
        if field_schema.get("default", "") is None:
            del field_schema["default"]
        branches = [b for b in field_schema.pop("anyOf", []) if b != {"type": "null"}]
        if len(branches) == 1:
            field_schema |= branches[0]
        elif branches:
            field_schema["anyOf"] = branches
        parameters.append({
            "name": name, "in": "query", "required": name in required,
            **({"description": description} if description else {}),
            "schema": field_schema,
        })
    return parameters


def _content(media_type: str, schema: dict) -> dict[str, Any]:
    return {media_type: {"schema": schema}}


def _responses(op: Operation) -> dict[int, tuple[str, type[BaseModel], str]]:
    """status → (description, model, media type): what the operation declares, and what
    every operation like it may answer besides."""
    responses = {}
    for status, declared in op.responses.items():
        model, description = declared, None
        if isinstance(declared, tuple):
            model, description = declared
        elif isinstance(declared, str):
            model, description = Problem, declared
        media = JSON_TYPE if status < 400 else PROBLEM_TYPE
        responses[status] = (description or (model.__doc__ or "").strip() or "OK", model, media)
    extra = dict(_ALWAYS)
    if op.body is not None:
        extra |= _WITH_BODY
    if op.query is not None:
        extra |= _WITH_QUERY
    if op.json_type:
        extra |= _JSON_TYPE_REQUIRED
    extra |= dict(op.access.refusals)
    for status, description in extra.items():
        if status not in responses:
            model = ValidationProblem if status == 422 else Problem
            responses[status] = (description, model, PROBLEM_TYPE)
    return responses


def _models(op: Operation) -> set[tuple[type[BaseModel], str]]:
    """The models an operation names, each with the mode its schema is written in."""
    found = {(model, "serialization") for _, model, _ in _responses(op).values()}
    found |= {(model, "validation") for model in (op.body, op.query) if model is not None}
    return found


def _headers(op: Operation, status: int) -> dict[str, Any]:
    headers = {**_HEADERS.get(status, {}), **op.headers.get(status, {})}
    if not headers:
        return {}
    return {"headers": {name: {"description": text, "schema": {"type": "string"}}
                        for name, text in headers.items()}}


def _operation(endpoint: str, op: Operation, path_parameters: list, refs, schemas) -> dict:
    document: dict[str, Any] = {
        "operationId": endpoint.removeprefix("api."),
        "summary": op.summary,
        "tags": op.tags,
        "security": [dict(requirement) for requirement in op.access.security],
        "responses": {
            str(status): {
                "description": description,
                "content": _content(media, refs[(model, "serialization")]),
                **_headers(op, status),
            }
            for status, (description, model, media) in sorted(_responses(op).items())
        },
    }
    if op.description:
        document["description"] = op.description
    parameters = list(path_parameters)
    if op.query is not None:
        name = refs[(op.query, "validation")]["$ref"].rsplit("/", 1)[1]
        parameters += _query_parameters(schemas[name])
    if parameters:
        document["parameters"] = parameters
    if op.body is not None:
        document["requestBody"] = {
            "required": True,
            "content": _content(JSON_TYPE, refs[(op.body, "validation")]),
        }
    return document


def document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every operation the app's routes serve."""
    routes = [
        (rule, op)
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
        if (op := getattr(app.view_functions.get(rule.endpoint), "api_operation", None))
    ]
    models = {(Problem, "serialization"), (ValidationProblem, "serialization")}
    for _, op in routes:
        models |= _models(op)
    refs, top = models_json_schema(
        sorted(models, key=lambda item: (item[0].__name__, item[1])),
        ref_template="#/components/schemas/{model}",
    )
    schemas = top.get("$defs", {})
    paths: dict[str, dict[str, Any]] = {}
    for rule, op in routes:
        path, parameters = _path(rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                rule.endpoint, op, parameters, refs, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Conference API", "version": "1", "description": DESCRIPTION},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": _security_schemes(app)},
    }


class OpenApiDocument(BaseModel):
    """The OpenAPI 3.1 document of this API."""

    model_config = {"extra": "allow"}

    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]


@bp.get("/openapi.json")
@operation(summary="This API's OpenAPI document", tags=["documentation"],
           responses={200: OpenApiDocument})
def openapi_document():
    """The OpenAPI 3.1 document of every operation; `/api/docs` shows it."""
    app = current_app._get_current_object()
    if "api_openapi" not in app.extensions:  # the routes are fixed once the app is made
        app.extensions["api_openapi"] = document(app)
    return app.extensions["api_openapi"]
