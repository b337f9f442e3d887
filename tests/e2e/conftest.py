"""Browser tests run the app as people meet it: CSRF on, served on a loopback port."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config():
    return {"SERVER_NAME": None, "WTF_CSRF_ENABLED": True}
