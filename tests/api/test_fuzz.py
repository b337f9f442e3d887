"""The API fuzzed against its own OpenAPI document: schemathesis generates requests for
every operation — the document's examples, the edges of every schema (each limit and one
beyond, wrong types, missing fields), and random valid and invalid ones — and sends each
to a live server four times: with no credentials, as staff, as an organiser and with a scanner device's token.
Not one answer may be a 5xx, and every answer must be one the document describes
(status, content type, headers, body schema). Seeded (``derandomize``) and bounded, so a
run is the same every time and takes well under a minute; it prints what it tried. It runs
on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conference.auth.service import issue_device_token
from tests.browser import live_server  # noqa: F401  (a fixture)

DOCUMENT = "/api/v1/openapi.json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Generated cases per operation and kind of data (valid, invalid); each is sent once per
# caller. Keeps the whole run (edges included) near a minute on a small machine.
EXAMPLES = 12
# The callers' credentials are ours alone (schemathesis would add random ones to every
# request).
CONFIG = schemathesis.Config.from_dict(
    {"generation": {"allow-x00": False, "with-security-parameters": False}}
)
TIMEOUT = 10
# What the input boundary refuses with 400 before any view (tests/test_input_boundary.py
# tries those on every route): taken out of generated text, so that requests reach the views.
REFUSED_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _clean(value):
    if isinstance(value, str):
        return REFUSED_TEXT.sub("", value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _reaching_the_views(case):
    case.body = _clean(case.body)
    if case.query:
        case.query = _clean(case.query)
    return case  # seconds a single answer may take


def _session_cookie(live: str, account: tuple[str, str]) -> str:
    email, password = account
    login = requests.post(f"{live}/login", data={"email": email, "password": password},
                          allow_redirects=False, timeout=TIMEOUT)
    assert login.status_code == 302, login.text
    return "; ".join(f"{name}={value}" for name, value in login.cookies.items())


@pytest.fixture
def callers(app, live_server, staff, organiser) -> dict[str, dict[str, str]]:  # noqa: F811
    """The headers of each kind of caller."""
    with app.app_context():
        token = issue_device_token("Fuzzing phone")
    scanner_header = {"X-Requested-With": "checkin"}
    return {
        "anonymous": {},
        "staff": {"Cookie": _session_cookie(live_server, staff), **scanner_header},
        "organiser": {"Cookie": _session_cookie(live_server, organiser), **scanner_header},
        "device": {"Authorization": f"Bearer {token}"},
    }


class Tally:
    """Sends each case as every caller and keeps count of what came back."""

    def __init__(self, live: str, callers: dict[str, dict[str, str]]):
        self.live, self.callers = live, callers
        self.cases = 0
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []

    def send(self, case, label: str) -> None:
        self.cases += 1
        for caller, headers in self.callers.items():
            response = case.call(base_url=self.live, headers=headers, timeout=TIMEOUT)
            self.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  (all are listed)
                found = exc.exceptions if isinstance(exc, BaseExceptionGroup) else [exc]
                self.failures.append(f"{label} as {caller}: {response.status_code}\n"
                                     f"{case.as_curl_command()}\n"
                                     + "\n".join(str(e) for e in found))


def _fuzz(strategy, examples: int, send) -> None:
    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], verbosity=Verbosity.quiet,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy.map(_reaching_the_views))
    def run(case):
        send(case)

    try:
        run()
    except Unsatisfiable:
        pass  # nothing about this operation can be made invalid


def test_no_generated_request_gets_a_5xx_or_an_undocumented_answer(live_server, callers):  # noqa: F811
    document = requests.get(live_server + DOCUMENT, timeout=TIMEOUT).json()
    schema = schemathesis.openapi.from_dict(document, config=CONFIG)
    tally = Tally(live_server, callers)
    operations = 0
    started = time.monotonic()

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        runs = [(f"{operation.label} (example)", strategy, 1)  # the document's own, once each
                for strategy in schema.get_strategies_from_examples(operation)]
        runs += [(f"{operation.label} ({mode.value})",
                  operation.as_strategy(generation_mode=mode), EXAMPLES)
                 for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
        for label, strategy, examples in runs:
            _fuzz(strategy, examples, lambda case, label=label: tally.send(case, label))
        for case in schema.iter_coverage_cases(  # the edges: limits ±1, wrong types, gaps
            operation, generation_modes=list(GenerationMode),
            generation_config=schema.config.generation_for(operation=operation),
        ):
            tally.send(_reaching_the_views(case), f"{operation.label} (coverage)")

    statuses = tally.statuses
    print(f"\nfuzzed {operations} operations: {tally.cases} cases, {sum(statuses.values())} "
          f"requests ({len(callers)} callers) in {time.monotonic() - started:.0f} s; "
          f"statuses {dict(sorted(statuses.items()))}")
    assert operations == sum(len(methods) for methods in document["paths"].values())
    assert not any(status >= 500 for status in statuses)
    assert tally.failures == [], "\n\n".join(tally.failures[:10])
