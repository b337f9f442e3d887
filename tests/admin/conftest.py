"""Fixtures of the back-office tests: registrations with badges and a scanner device, as
the check-in tests make them."""

from tests.checkin.conftest import conference_id, device_token, register  # noqa: F401
