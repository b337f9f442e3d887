"""gunicorn's settings for this project, read when gunicorn starts in this folder.

The workers are told how many they are (``WEB_WORKERS``): with several, a request only
queues its mail for ``flask send-mail --every`` to deliver, and start-up warns when rate
limits are kept in memory, where each worker would count alone (``conference.deployment``).
With ``--preload`` the app is built before ``on_starting`` runs: set WEB_WORKERS yourself.

Metrics across workers: every worker counts requests and scans in files under
``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode), which ``/metrics``
adds up. When the environment does not name that folder, a fresh one is made for this
server; a worker that exits is marked dead there, so its gauges stop counting.
"""

import os
import shutil
import tempfile

# gunicorn's own default, unless -w or WEB_CONCURRENCY says otherwise.
workers = int(os.environ.get("WEB_CONCURRENCY") or 1)


def on_starting(server):
    """In the master, before any worker starts: the workers inherit the environment."""
    os.environ["WEB_WORKERS"] = str(server.cfg.workers)
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)  # counts of an earlier run
        os.makedirs(folder, exist_ok=True)
    else:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="conference-metrics-")


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
