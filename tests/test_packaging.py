"""``make run`` installs the runtime dependencies alone, without the test extra: every
package the app imports must be declared among them, or a fresh machine fails to start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_the_app_imports_is_a_declared_runtime_dependency():
    # deptry reads [tool.deptry] in pyproject.toml: the test extra counts as development
    # only, so a module imported by conference/ but declared there fails this test.
    result = subprocess.run(
        [sys.executable, "-m", "deptry", "conference", "--no-ansi"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
