"""gunicorn's settings for this project, read when gunicorn starts in this folder.

Metrics across workers: every worker counts requests and scans in files under
``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode), which ``/metrics``
adds up. When the environment does not name that folder, a fresh one is made for this
server; a worker that exits is marked dead there, so its gauges stop counting.
"""

import os
import shutil
import tempfile


def on_starting(server):
    """In the master, before any worker starts: the workers inherit the environment."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)  # counts of an earlier run
        os.makedirs(folder, exist_ok=True)
    else:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="conference-metrics-")


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
