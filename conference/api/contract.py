"""The API's contract: each operation declares its request and answer schemas (pydantic
models) with ``operation``, and the same models check every request, shape every answer
and write the OpenAPI document (``conference.api.openapi``). No view checks JSON by hand.

Adding an operation is one decorated view with its models (docs/api.md shows one)::

    @bp.post("/rooms")
    @operation(summary="Add a room", tags=["programme"], access=..., body=RoomIn,
               responses={201: RoomOut, 409: "A room with this slug exists already."})
    def create_room(body: RoomIn):
        ...
        return RoomOut.model_validate(room, from_attributes=True), 201

The view gets the checked body as ``body`` (and a checked query as ``query``) and answers
with a model, a dict matching the status's model, or ``(answer, status[, headers])``; a
``Response`` (a problem made with ``conference.errors.problem``) passes unchanged. Every
operation also documents 400 (refused input), 503 (database unavailable) and, with a body,
413 and 422; a guarded one 401 and 403. Every error is RFC 9457 problem+json; a 422 lists
the faulty fields in ``invalid_params: [{name, reason}]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Annotated, Any

from flask import Response, jsonify, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, ValidationError, WithJsonSchema
from werkzeug.exceptions import HTTPException

from ..auth.guards import api_organiser, api_staff_login, api_staff_or_device
from ..errors import problem

# What a 422's reason says for each kind of pydantic error; others keep pydantic's words.
_REASONS = {
    "missing": _l("Required."),
    "string_type": _l("Must be text."),
    "bool_type": _l("Must be true or false."),
    "int_type": _l("Must be a whole number."),
    "list_type": _l("Must be a list."),
    "dict_type": _l("Must be a JSON object."),
    "model_type": _l("Must be a JSON object."),
    "model_attributes_type": _l("Must be a JSON object."),
    "string_too_short": _l("Must not be empty."),
    "greater_than_equal": _l("Out of range."),
    "less_than_equal": _l("Out of range."),
}


class Schema(BaseModel):
    """A request body: JSON types exactly as declared (no "5" for 5, no 1 for true);
    fields the schema does not name are ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")


def required_by_the_rules(*names: str, example: dict[str, Any] | None = None) -> ConfigDict:
    """A request schema's config documenting ``names`` as required although the schema
    lets them be absent: the domain's rules refuse them missing, together with every
    other problem of the request (as the form does), rather than the schema alone.
    ``example``: a body the document shows (and the fuzzing test sends first)."""
    extra: dict[str, Any] = {"required": list(names)}
    if example is not None:
        extra["examples"] = [example]
    return ConfigDict(json_schema_extra=extra)


class Answer(BaseModel):
    """An answer's body."""


# A date and time as ISO 8601 text with its UTC offset.
DateTimeText = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


def date_time_or_null(description: str) -> WithJsonSchema:
    """How the document shows a field read as a date and time by a validator of its own."""
    return WithJsonSchema({
        "anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}],
        "description": description,
    })


class InvalidParam(BaseModel):
    name: str = Field(description=(
        "The field, as a dotted path (`sessions.0`); `body` for the body as a whole."))
    reason: str = Field(description="What is wrong with it, in the request's language.")


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="Always `about:blank`: `title` is the HTTP status's name.")
    title: str
    status: int
    detail: str | None = Field(None, description="What went wrong, for a person to read.")


class ValidationProblem(Problem):
    """A 422: the request's fields and why each is refused."""

    invalid_params: list[InvalidParam]


class InvalidRequest(HTTPException):
    """The request is refused with ``response`` (a problem): raised by ``read_json`` and
    ``check``, answered by ``operation``."""

    def __init__(self, response: Response):
        super().__init__(response=response)


def _reason(error: dict[str, Any]) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        return str(context["error"])  # our validators' own words
    if kind == "string_too_long":
        return gettext("Must be text of at most %(limit)d characters.",
                       limit=context.get("max_length", 0))
    if kind == "literal_error":
        return gettext("Must be one of: %(expected)s.", expected=context.get("expected", ""))
    reason = _REASONS.get(kind)
    return str(reason) if reason is not None else error["msg"]


def invalid_params(error: ValidationError) -> list[dict[str, str]]:
    """A pydantic error as RFC 9457 ``invalid_params``; a field's name is its dotted path
    (``sessions.0``), ``body`` when the body as a whole is wrong."""
    return [
        {"name": ".".join(str(part) for part in e["loc"]) or "body", "reason": _reason(e)}
        for e in error.errors(include_url=False)
    ]


def invalid(params: list[dict[str, str]], title: str = "Unprocessable Content"):
    """The 422 answer naming each faulty field and why."""
    return problem(
        422, title, "; ".join(f"{p['name']}: {p['reason']}" for p in params),
        invalid_params=params,
    )


def invalid_registration(errors: dict[str, list[str]], title: str = "Invalid registration"):
    """The 422 answer for what the registration rules refused (``InvalidRegistration``)."""
    return invalid(
        [{"name": name, "reason": reason} for name, reasons in errors.items() for reason in reasons],
        title,
    )


def _refuse(status: int, title: str, detail: str) -> InvalidRequest:
    return InvalidRequest(problem(status, title, detail))


def read_json(max_bytes: int | None = None, json_type: bool = False) -> Any:
    """The request's body parsed as JSON, whatever its Content-Type says (scanners send
    what they send) unless ``json_type``; raises ``InvalidRequest`` with 413 beyond
    ``max_bytes`` (else ``MAX_CONTENT_LENGTH`` holds), 415 when ``json_type`` and the body
    is not sent as JSON, 400 when it is not JSON."""
    if json_type and not request.is_json:
        raise _refuse(415, "Unsupported Media Type", gettext("Send the body as application/json."))
    if max_bytes is not None and (request.content_length or 0) > max_bytes:
        raise _too_large(max_bytes)
    raw = request.get_data(cache=True)
    if max_bytes is not None and len(raw) > max_bytes:
        raise _too_large(max_bytes)
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _refuse(400, "Bad Request", gettext("The request body is not valid JSON.")) from None


def _too_large(max_bytes: int) -> InvalidRequest:
    return _refuse(413, "Content Too Large",
                   gettext("The body may hold at most %(limit)d bytes.", limit=max_bytes))


def check(model: type[BaseModel], data: Any, title: str = "Unprocessable Content"):
    """``data`` as ``model``; raises ``InvalidRequest`` with a 422 naming what is wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidRequest(invalid(invalid_params(exc), title)) from None


@dataclass(frozen=True)
class Access:
    """Who may call an operation: its OpenAPI security requirements, the guard that
    enforces them, and the refusals the guard answers."""

    security: tuple[dict[str, list[str]], ...]
    guard: Callable[[Callable], Callable] | None = None
    refusals: tuple[tuple[int, str], ...] = ()


PUBLIC = Access(security=())
_STAFF_SESSION = {"staffSession": [], "checkinHeader": []}
STAFF_OR_DEVICE = Access(
    security=(_STAFF_SESSION, {"deviceToken": []}, {"apiToken": []}),
    guard=api_staff_or_device,
    refusals=(
        (401, "No credentials, or an unknown or revoked device token."),
        (403, ("The account is not staff, or the session cookie came without the "
               "X-Requested-With: checkin header.")),
    ),
)
_API_TOKEN = {"apiToken": []}
ORGANISER = Access(
    security=(_STAFF_SESSION, _API_TOKEN),
    guard=api_organiser,
    refusals=(
        (401, "No credentials, or an unknown or revoked token."),
        (403, ("The account is not an organiser, the session cookie came without the "
               "X-Requested-With: checkin header, or a scanner device's token was sent.")),
    ),
)
STAFF_LOGIN = Access(
    security=(_STAFF_SESSION,),
    guard=api_staff_login,
    refusals=(
        (401, "No credentials, or an unknown or revoked device token."),
        (403, ("The account is not staff, the session cookie came without the "
               "X-Requested-With: checkin header, or a device token was sent.")),
    ),
)


@dataclass
class Operation:
    """One operation as the OpenAPI document describes it (the path and method come from
    the view's route)."""

    summary: str
    description: str
    tags: list[str]
    access: Access
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    responses: dict[int, Any]
    body_max_bytes: int | None
    json_type: bool
    invalid_title: str
    headers: dict[int, dict[str, str]] = field(default_factory=dict)

    def answer_model(self, status: int) -> type[BaseModel] | None:
        declared = self.responses.get(status)
        if isinstance(declared, tuple):
            declared = declared[0]
        return declared if isinstance(declared, type) and issubclass(declared, BaseModel) else None


def _answer(op: Operation, result: Any) -> Response:
    """The view's result as a response, its body shaped by the status's model."""
    if isinstance(result, Response):
        return result
    status, headers = 200, None
    if isinstance(result, tuple):
        result, status, *rest = result
        headers = rest[0] if rest else None
    model = op.answer_model(status)
    if model is None:
        raise TypeError(f"{status} has no answer model in this operation's responses")
    if isinstance(result, BaseModel):
        result = result.model_dump(mode="json", exclude_unset=True)
    body = model.model_validate(result).model_dump(mode="json", exclude_unset=True)
    response = jsonify(body)
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


def operation(
    *,
    summary: str,
    tags: list[str],
    responses: dict[int, Any],
    access: Access = PUBLIC,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    body_max_bytes: int | None = None,
    json_type: bool = False,
    invalid_title: str = "Unprocessable Content",
    manual: bool = False,
    headers: dict[int, dict[str, str]] | None = None,
) -> Callable[[Callable], Callable]:
    """Declare an API operation (see the module's doc). ``responses`` maps each status
    to the model of its answer (2xx), or to a description (a plain problem), or to
    ``(model, description)`` (a problem with more members). ``manual``: the view
    authenticates and reads its body itself (``check``, ``read_json``); the operation
    only documents it and shapes its answers. ``headers``: per status, the response
    headers worth documenting (name → description)."""

    def decorate(view: Callable) -> Callable:
        op = Operation(
            summary=summary, description=(view.__doc__ or "").strip(), tags=tags,
            access=access, body=body, query=query, responses=responses,
            body_max_bytes=body_max_bytes, json_type=json_type, invalid_title=invalid_title,
            headers=headers or {},
        )

        @wraps(view)
        def checked(*args, **kwargs):
            try:
                if not manual and query is not None:
                    kwargs["query"] = check(query, request.args.to_dict(), invalid_title)
                if not manual and body is not None:
                    kwargs["body"] = check(
                        body, read_json(body_max_bytes, json_type), invalid_title
                    )
                return _answer(op, view(*args, **kwargs))
            except InvalidRequest as refused:
                return refused.get_response()

        guarded = checked if manual or access.guard is None else access.guard(checked)
        guarded.api_operation = op
        return guarded

    return decorate
