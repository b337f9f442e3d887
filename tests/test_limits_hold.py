"""Limits that hold in production: shared between app processes through Redis, a warning
when several workers would each count alone, X-Forwarded-For trusted only behind a
configured proxy, and login attempts limited per account from any address."""

from __future__ import annotations

import logging
import os
import runpy
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis

from tests.conftest import make_app

REDIS = "redis://127.0.0.1:6379/0"


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("needs Redis on 127.0.0.1:6379")


def _attempts(clients, email: str, n: int, **headers) -> list[int]:
    return [clients[i % len(clients)].post(
        "/login", data={"email": email, "password": "a wrong guess"},
        environ_base=headers.get("environ_base", {}), headers=headers.get("headers", {}),
    ).status_code for i in range(n)]


LIMITED = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute",
           "LOGIN_ACCOUNT_RATE_LIMIT": "100 per minute"}


def test_with_redis_url_two_app_processes_share_one_limit(app, tmp_path, monkeypatch):
    """Two app instances (as two gunicorn workers) on one Redis: the fourth attempt in a
    minute is refused wherever it lands; each keeping its own count would allow six."""
    _redis_or_skip()
    monkeypatch.setenv("REDIS_URL", REDIS)
    prefix = f"test-{uuid.uuid4().hex}"
    apps = [make_app(tmp_path / name, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                     RATELIMIT_KEY_PREFIX=prefix,
                     SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
            for name in ("one", "two")]
    assert all(app.config["RATELIMIT_STORAGE_URI"] == REDIS for app in apps)
    clients = [app.test_client() for app in apps]
    assert _attempts(clients, "x@example.org", 6) == [200, 200, 200, 429, 429, 429]


def test_several_workers_keeping_limits_in_memory_are_warned_at_start_up(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        make_app(tmp_path / "one", WEB_WORKERS=1)
        assert "rate limits in memory" not in caplog.text
        make_app(tmp_path / "second-instance", WEB_WORKERS="4", RATELIMIT_STORAGE_URI=REDIS)
        assert "rate limits in memory" not in caplog.text
        make_app(tmp_path / "four", WEB_WORKERS="4")
    assert "4 workers keep their rate limits in memory" in caplog.text
    assert "Set REDIS_URL" in caplog.text


@pytest.mark.parametrize("app_config", [LIMITED])
def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client):
    answers = [client.post("/login", data={"email": f"{n}@example.org", "password": "x"},
                           headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
               for n in range(4)]
    assert answers == [200, 200, 200, 429]  # a made-up address per attempt changes nothing


@pytest.mark.parametrize("app_config", [{**LIMITED, "TRUSTED_PROXIES": 1}])
def test_behind_one_trusted_proxy_each_client_address_counts_alone(client):
    seen = [client.post("/login", data={"email": f"{n}@example.org", "password": "x"},
                        headers={"X-Forwarded-For": "203.0.113.7"}).status_code
            for n in range(4)]
    other = client.post("/login", data={"email": "y@example.org", "password": "x"},
                        headers={"X-Forwarded-For": "198.51.100.9"}).status_code
    assert (seen, other) == ([200, 200, 200, 429], 200)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "100 per minute",
                                         "LOGIN_ACCOUNT_RATE_LIMIT": "3 per minute"}])
def test_login_attempts_are_limited_per_account_from_any_address(client, staff):
    guesses = [client.post("/login", data={"email": "Door@Example.org ", "password": "guess"},
                           environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}).status_code
               for n in range(3)]
    right = client.post("/login", data={"email": staff[0], "password": staff[1]},
                        environ_base={"REMOTE_ADDR": "192.0.2.99"})
    assert (guesses, right.status_code) == ([200, 200, 200], 429)
    other = client.post("/login", data={"email": "someone@example.org", "password": "x"},
                        environ_base={"REMOTE_ADDR": "192.0.2.99"})
    assert other.status_code == 200  # another account is not held up


def test_gunicorn_tells_its_workers_how_many_they_are(monkeypatch, tmp_path):
    """gunicorn.conf.py (read by gunicorn started in the project's folder) passes ``-w`` on
    to the app as WEB_WORKERS, before the workers start."""
    monkeypatch.setenv("WEB_WORKERS", "1")  # so that it is put back as it was afterwards
    # It also names the workers' metrics folder; put back afterwards too, so that this
    # process's /metrics keeps counting in memory.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert settings["workers"] == 3
    settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=4)))  # gunicorn -w 4
    assert os.environ["WEB_WORKERS"] == "4"
