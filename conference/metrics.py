"""``/metrics``: the Prometheus text format, for the people who run the site.

Read with ``Authorization: Bearer $METRICS_TOKEN``; without a configured token the
address does not exist (404), and a wrong token is told nothing more (404 too).

Counted in each process as things happen (with gunicorn's several workers, in
prometheus_client's multiprocess mode: every worker writes its counts to files under
``PROMETHEUS_MULTIPROC_DIR`` and a scrape adds them up; gunicorn.conf.py sets it up):

- ``http_requests_total{endpoint, method, status}`` and the latency histogram
  ``http_request_duration_seconds{endpoint}``, by Flask endpoint (never by path: paths
  carry tokens and ids);
- ``checkin_scans_total{result, gate}``: every main-door scan, whichever way it came;
- ``db_pool_connections_in_use``: the connections this process holds from its pool.

Read from the database when scraped (the same for every app server):

- ``registrations{status}``, ``outbox_messages{status}`` (depth and failures);
- ``queue_jobs{queue}``: jobs waiting in the RQ queues when ``REDIS_URL`` is set.
"""

from __future__ import annotations

import hmac
import os
import time

from flask import Blueprint, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from .extensions import db

bp = Blueprint("metrics", __name__)

# Kept out of prometheus_client's global registry: each scrape builds its own (below).
REQUESTS = Counter("http_requests", "HTTP requests answered, by Flask endpoint",
                   ["endpoint", "method", "status"], registry=None)
LATENCY = Histogram("http_request_duration_seconds", "Time to answer a request, by endpoint",
                    ["endpoint"], registry=None,
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
SCANS = Counter("checkin_scans", "Main-door scans, by outcome and gate", ["result", "gate"],
                registry=None)
POOL_IN_USE = Gauge("db_pool_connections_in_use", "Database connections taken from the pool",
                    multiprocess_mode="livesum", registry=None)

MAX_GATE_LABEL = 40  # gates are typed by staff; a long one is cut, not refused


def count_scan(result: str, gate: str | None) -> None:
    SCANS.labels(result, (gate or "")[:MAX_GATE_LABEL]).inc()


class DatabaseCollector:
    """The figures the database holds, read at each scrape."""

    def __init__(self, app):
        self.app = app

    def collect(self):
        from .models import OutboxMessage, Registration

        with self.app.app_context():
            yield _by_status("registrations", "Registrations by status", Registration.status)
            yield _by_status("outbox_messages", "Mails in the outbox by status",
                             OutboxMessage.status)
            db.session.remove()
            if queues := _queue_depths(self.app.config.get("REDIS_URL")):
                depth = GaugeMetricFamily("queue_jobs", "Jobs waiting per RQ queue",
                                          labels=["queue"])
                for name, count in queues.items():
                    depth.add_metric([name], count)
                yield depth


def _by_status(name: str, documentation: str, column) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=["status"])
    for status, count in db.session.execute(
        db.select(column, db.func.count()).group_by(column)
    ):
        family.add_metric([status], count)
    return family


def _queue_depths(redis_url: str | None) -> dict[str, int]:
    if not redis_url:
        return {}
    try:
        from redis import Redis
        from redis.exceptions import RedisError
        from rq import Queue
    except ImportError:
        return {}
    try:
        connection = Redis.from_url(redis_url, socket_timeout=2)
        return {queue.name: queue.count for queue in Queue.all(connection=connection)}
    except RedisError:
        return {}  # /readyz says Redis is down; the metrics still answer


def _registry(app) -> CollectorRegistry:
    """This process's counts, or every worker's when they run in multiprocess mode, and
    the database's figures."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY, SCANS, POOL_IN_USE):
            registry.register(collector)
    registry.register(DatabaseCollector(app))
    return registry


@bp.get("/metrics")
def metrics():
    token = current_app.config["METRICS_TOKEN"]
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        abort(404)
    return Response(generate_latest(_registry(current_app)), mimetype=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})


def _started() -> None:
    g.metrics_started = time.perf_counter()


def _answered(response):
    started = g.pop("metrics_started", None)
    if started is not None and request.endpoint != "metrics.metrics":
        endpoint = request.endpoint or "unmatched"
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
        pool = db.engine.pool
        if hasattr(pool, "checkedout"):  # a QueuePool (SQLite's pools may have none)
            POOL_IN_USE.set(pool.checkedout())
    return response


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.before_request(_started)
    app.after_request(_answered)
