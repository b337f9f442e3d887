"""The input boundary: what is refused before any view or database sees it.

A NUL byte or another control character in the path, the query string, a form field, a
header or a JSON string; JSON nested deeper than ``MAX_JSON_DEPTH``, or a JSON string
holding a lone surrogate (text no database can store) — each gets 400 (problem+json under
``/api/``) before the request reaches a view. Whole numbers in URLs stop at the largest
value an ``INTEGER`` column holds, so a larger one is simply not found (404).
"""

from __future__ import annotations

import json
import re

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# The largest id a 32-bit signed INTEGER column holds (PostgreSQL's ``integer``).
MAX_ID = 2**31 - 1
# JSON documents nested deeper than this are refused unparsed (the parser recurses).
MAX_JSON_DEPTH = 32

# C0 controls but tab, line feed and carriage return (form text and query values may hold
# those: browsers strip them from typed addresses, and a login's ``next`` is checked), and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Any C0 control or DEL, in a path.
_CONTROL_STRICT = re.compile(r"[\x00-\x1f\x7f]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A JSON string literal, so that brackets inside strings are not counted as nesting.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` that matches only what an INTEGER column can hold."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class RefusedInput(BadRequest):
    description = "The request holds characters or structure that are not accepted."


def _refuse(where: str) -> RefusedInput:
    return RefusedInput(f"Refused: {where} holds a control character or invalid text.")


def json_depth(raw: bytes) -> int:
    """How deeply ``raw`` nests arrays and objects, counted without parsing it."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _json_strings_clean(value) -> bool:
    """True when no string (key or value) in a parsed JSON document holds a NUL or
    another control character but tab and newlines, or a lone surrogate."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _CONTROL.search(item) or _LONE_SURROGATE.search(item):
                return False
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


def _check_json_body() -> None:
    raw = request.get_data(cache=True)
    if not raw:
        return
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise RefusedInput(f"JSON nested deeper than {MAX_JSON_DEPTH} levels is not accepted.")
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return  # not JSON: the view answers that in its own words
    if not _json_strings_clean(document):
        raise _refuse("a JSON string")


def check_request() -> None:
    """Refuse the request before any view when it holds what no view should see."""
    if _CONTROL_STRICT.search(request.path):
        raise _refuse("the address")
    for key, value in request.args.items(multi=True):
        if _CONTROL.search(key) or _CONTROL.search(value):
            raise _refuse("the query string")
    for key, value in request.headers.items():
        if "\x00" in key or "\x00" in value:
            raise _refuse("a header")
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key, value in request.form.items(multi=True):
                if _CONTROL.search(key) or _CONTROL.search(value):
                    raise _refuse("a form field")
        elif request.is_json or request.path.startswith("/api/"):
            _check_json_body()  # the API reads its body as JSON whatever the type says


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered, so that every route uses the converter."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
