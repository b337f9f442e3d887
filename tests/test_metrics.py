"""/metrics: Prometheus figures for whoever holds METRICS_TOKEN, and nothing for anyone
else; requests by endpoint, scans by outcome and gate, registrations and the outbox from
the database; counts added up across gunicorn's workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import make_app
from tests.people import new_badge

TOKEN = "metrics-token-for-tests"
ROOT = Path(__file__).resolve().parent.parent


def samples(text: str) -> dict[tuple, float]:
    """{(name, sorted labels…): value} of a scrape."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, *sorted(sample.labels.items()))] = sample.value
    return found


def scrape(client) -> dict[tuple, float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return samples(response.get_data(as_text=True))


@pytest.fixture
def app_config(app_config):
    return {**app_config, "METRICS_TOKEN": TOKEN}


def test_without_the_token_there_is_nothing_to_see(app, client, tmp_path):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 404
    unset = make_app(tmp_path / "unset", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    assert unset.test_client().get(
        "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_requests_scans_and_registrations_are_counted(app, client, demo, staff_client):
    _, code = new_badge(app, "Metric Person", "metric@example.org")
    before = scrape(client)
    agenda = ("http_requests_total", ("endpoint", "public.agenda"), ("method", "GET"),
              ("status", "200"))
    client.get("/agenda")
    client.get("/agenda")
    for _ in range(2):
        answer = staff_client.post("/api/v1/checkin", json={"code": code, "gate": "North"},
                                   headers={"X-Requested-With": "checkin"})
        assert answer.status_code == 200
    after = scrape(client)
    assert after[agenda] - before.get(agenda, 0) == 2
    for result in ("ok", "already_checked_in"):
        key = ("checkin_scans_total", ("gate", "North"), ("result", result))
        assert after[key] - before.get(key, 0) == 1
    assert after[("registrations", ("status", "confirmed"))] == 1
    assert ("http_request_duration_seconds_count", ("endpoint", "public.agenda")) in after
    # The request log counts endpoints, never paths (which may carry tokens).
    assert not any("registration/" in str(key) for key in after)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_counts_add_up_across_gunicorn_workers(app, demo, tmp_path):
    """Two workers answer the requests between them; one scrape, whichever worker answers
    it, counts them all."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
           "SECRET_KEY": "test"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        # Four clients at once until both workers have answered some (the kernel picks
        # the worker of each connection).
        sent = 0
        with ThreadPoolExecutor(4) as pool:
            while sent < 400:
                list(pool.map(lambda _: urllib.request.urlopen(url + "/speakers", timeout=10).read(),
                              range(20)))
                sent += 20
                if len(list((tmp_path / "metrics").glob("counter_*.db"))) >= 2:
                    break
        assert len(list((tmp_path / "metrics").glob("counter_*.db"))) == 2
        scrape_request = urllib.request.Request(url + "/metrics",
                                                headers={"Authorization": f"Bearer {TOKEN}"})
        found = samples(urllib.request.urlopen(scrape_request, timeout=10).read().decode())
        assert found[("http_requests_total", ("endpoint", "public.speakers"), ("method", "GET"),
                      ("status", "200"))] == sent
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
