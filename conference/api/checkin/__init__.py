"""The check-in API for scanners and the desk; ``docs/checkin-api.md`` is its contract.

One module per job, each adding its routes to the API blueprint when imported:
``scans`` (a badge scanned at a door, a scan undone, a lost badge checked in by hand),
``offline`` (the verification key and the revoked badges a scanner decides with offline),
``desk`` (counters, search, the lists to check in to, walk-in registration).
``payloads`` reads and checks request bodies; ``answers`` builds what a scan is answered.
"""

from . import desk, offline, scans  # noqa: F401  (add their routes to the blueprint)
