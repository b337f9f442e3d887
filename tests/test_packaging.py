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
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Imports every module of the app, each in a fresh forked child of one process that has
# loaded the third-party libraries once (so ninety-odd modules take seconds, not minutes).
# A module that cannot be imported first, such as one caught in an import cycle, prints
# its name and traceback.
IMPORT_EACH = r"""
import importlib, os, sys, traceback
from pathlib import Path

for library in ("flask", "sqlalchemy", "flask_sqlalchemy", "flask_babel", "flask_login",
                "flask_wtf", "flask_limiter", "flask_migrate", "weasyprint", "zxingcpp",
                "icalendar", "openpyxl", "lxml.etree", "pypdf", "cryptography", "yaml"):
    importlib.import_module(library)
failed = 0
for path in sorted(Path("conference").rglob("*.py")):
    name = ".".join(path.with_suffix("").parts).removesuffix(".__init__")
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException:
            print(f"--- {name}", traceback.format_exc(), sep="\n")
            sys.stdout.flush()
            os._exit(1)
        os._exit(0)
    failed += os.waitpid(pid, 0)[1] != 0
sys.exit(1 if failed else 0)
"""


def test_every_module_of_the_app_can_be_imported_first():
    # A script or a job that imports, say, conference.mail.compose before anything else
    # must not meet an import cycle that the app's own start-up order happens to avoid.
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
