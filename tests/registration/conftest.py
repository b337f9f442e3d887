"""Fixtures of the registration tests."""

from __future__ import annotations

import pytest

from tests.registration.conference_data import load_conference


@pytest.fixture
def conference_slug(app) -> str:
    """The test conference of ``conference_data``, loaded; its slug."""
    return load_conference(app)
