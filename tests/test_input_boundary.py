"""Junk input on every route, anonymous and signed in: a clear 4xx before any database
work, never a 500.

Each class of junk is tried on every rule of the app's URL map: a NUL byte in a path
segment, the query string, a form field, a JSON string and a header; whole numbers beyond
an INTEGER column; JSON nested too deeply; query parameters named like ``url_for``'s own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from conference.boundary import MAX_JSON_DEPTH, json_depth
from conference.extensions import db

WRITES = ("POST", "PUT", "PATCH", "DELETE")


_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _routes(app) -> list[tuple[str, str, dict[str, bool]]]:
    """(method, rule text, {argument: is a whole number}) for every rule but static files."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        numbers = {name: converter == "int" for converter, name in _ARGUMENT.findall(rule.rule)}
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((method, rule.rule, numbers))
    return routes


def _rule_path(rule: str, numbers: dict[str, bool], replace: dict[str, str] | None = None) -> str:
    """The rule with each argument filled: ``replace``'s value, else a harmless one."""
    replace = replace or {}

    def fill(match: re.Match) -> str:
        name = match.group(2)
        return replace.get(name, "1" if numbers[name] else "x")

    return _ARGUMENT.sub(fill, rule)


@pytest.fixture(params=["anonymous", "staff", "organiser"])
def anyone(request, app, demo, client):
    """A test client: nobody signed in, then door staff, then an organiser."""
    if request.param == "anonymous":
        return client
    return request.getfixturevalue(f"{request.param}_client")


def _call(client, method: str, path: str, **kwargs):
    return client.open(path, method=method, **kwargs)


@contextmanager
def _statements(app) -> Iterator[list[tuple[str, object]]]:
    """Every statement sent to the database inside the block, with its parameters."""
    with app.app_context():
        engine = db.engine
    sent: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _assert_refused_early(app, client, method, path, expected=400, **kwargs):
    """The request is refused with ``expected``; the database saw no write and none of the
    junk (an error page may still read the conference and the account for its layout)."""
    with _statements(app) as sent:
        response = _call(client, method, path, **kwargs)
    assert response.status_code == expected, (method, path, response.status_code)
    for statement, parameters in sent:
        assert not statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")), (
            method, path, statement)
        assert "\x00" not in repr(parameters) and "\\x00" not in repr(parameters), (
            method, path, statement)
    if path.startswith("/api/"):
        assert response.content_type == "application/problem+json"
    return response


def test_a_nul_byte_in_any_path_segment_is_refused_before_the_database(app, anyone):
    tried = 0
    for method, rule, numbers in _routes(app):
        for name, is_number in numbers.items():
            if is_number:
                continue
            path = _rule_path(rule, numbers, {name: "ab%00cd"})
            _assert_refused_early(app, anyone, method, path)
            tried += 1
    assert tried >= 10  # the public pages, manage links, rooms, sessions …


@pytest.mark.parametrize("number", [2**31, 2**40, 2**70])
def test_ids_beyond_an_integer_column_are_not_found(app, anyone, number):
    tried = 0
    for method, rule, numbers in _routes(app):
        for name, is_number in numbers.items():
            if not is_number:
                continue
            response = _call(anyone, method, _rule_path(rule, numbers, {name: str(number)}))
            assert response.status_code == 404, (method, rule)
            tried += 1
    assert tried >= 3  # print jobs, devices, check-in lists


def test_a_nul_byte_in_the_query_string_is_refused_on_every_route(app, anyone):
    for method, rule, numbers in _routes(app):
        path = _rule_path(rule, numbers)
        _assert_refused_early(app, anyone, method, f"{path}?q=ab%00&session=%00")
        _assert_refused_early(app, anyone, method, f"{path}?a%00b=1")


def test_a_nul_byte_in_a_header_is_refused(app, anyone):
    for method, rule, numbers in _routes(app):
        _assert_refused_early(app, anyone, method, _rule_path(rule, numbers),
                              headers={"X-Gate": "main\x00door"})


def test_a_nul_byte_or_control_character_in_a_form_field_is_refused(app, anyone):
    for method, rule, numbers in _routes(app):
        if method not in WRITES:
            continue
        path = _rule_path(rule, numbers)
        for junk in ("Zhang\x00Wei", "Zhang\x1bWei"):
            _assert_refused_early(app, anyone, method, path,
                                  data={"name": junk, "email": "a@example.org", "q": junk})


def test_text_with_line_breaks_and_tabs_still_passes_the_boundary(client, demo):
    response = client.post("/register", data={"name": "Li\tNa", "email": "li@example.org",
                                              "organisation": "Line one\r\nLine two"})
    assert response.status_code != 400


def test_json_strings_with_nul_or_lone_surrogates_are_refused(app, anyone):
    bodies = ['{"code": "ab\\u0000cd", "nonce": "n1"}', '{"name": "\\ud800", "sessions": []}',
              '{"gate\\u0000": "main"}']
    for method, rule, numbers in _routes(app):
        if method not in WRITES:
            continue
        path = _rule_path(rule, numbers)
        for body in bodies:
            _assert_refused_early(app, anyone, method, path, data=body,
                                  content_type="application/json")


def test_json_nested_too_deeply_is_refused_unparsed(app, anyone):
    for depth in (MAX_JSON_DEPTH + 1, 50_000):
        body = "[" * depth + "]" * depth
        for method, rule, numbers in _routes(app):
            if method not in WRITES or not rule.startswith("/api/"):
                continue
            _assert_refused_early(app, anyone, method, _rule_path(rule, numbers), data=body,
                                  content_type="application/json")


def test_json_depth_counts_brackets_outside_strings_only():
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    nested = json.dumps(json.loads("[" * 32 + "]" * 32)).encode()
    assert json_depth(nested) == 32


def test_json_at_the_depth_limit_reaches_the_api(app, staff_client):
    body = {"code": "x", "nonce": "n-1", "gate": "main"}
    inner = body
    for _ in range(MAX_JSON_DEPTH - 2):
        inner["extra"] = {}
        inner = inner["extra"]
    response = staff_client.post("/api/v1/checkin", json=body,
                                 headers={"X-Requested-With": "checkin"})
    assert json_depth(json.dumps(body).encode()) <= MAX_JSON_DEPTH
    assert response.status_code == 200  # read, and answered as an unreadable code
    assert response.json["status"] == "invalid"


def test_url_for_arguments_in_the_query_string_render_the_page(app, anyone):
    hostile = "?endpoint=x&_method=POST&_external=1&_scheme=javascript&_anchor=x&lang=zh"
    for method, rule, numbers in _routes(app):
        if method != "GET" or numbers or rule.endswith((".pdf", ".xlsx")):
            continue
        response = _call(anyone, method, rule + hostile)
        # /readyz answers 503 by design here: the tests' schema carries no migration stamp.
        assert response.status_code < 500 or (rule == "/readyz" and response.status_code == 503), rule


def test_the_language_links_keep_the_query_but_not_as_url_for_arguments(client, demo):
    response = client.get("/?endpoint=x&_method=POST&track=a")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/?endpoint=x&amp;_method=POST&amp;track=a&amp;lang=zh"' in html
    assert 'href="/?endpoint=x&amp;_method=POST&amp;track=a&amp;lang=en"' in html
