"""gunicorn's settings for this project, read when gunicorn starts in this folder.

The workers are told how many they are (``WEB_WORKERS``): with several, a request only
queues its mail for ``flask send-mail --every`` to deliver, and start-up warns when rate
limits are kept in memory, where each worker would count alone (``conference.deployment``).
With ``--preload`` the app is built before ``on_starting`` runs: set WEB_WORKERS yourself.
"""

import os

# gunicorn's own default, unless -w or WEB_CONCURRENCY says otherwise.
workers = int(os.environ.get("WEB_CONCURRENCY") or 1)


def on_starting(server):
    """In the master, before any worker starts: the workers inherit the environment."""
    os.environ["WEB_WORKERS"] = str(server.cfg.workers)
