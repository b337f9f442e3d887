"""What gets installed: ``make run`` installs the runtime dependencies alone, without the
test extra, so every package the app imports must be declared among them, or a fresh
machine fails to start; ``make`` installs the versions requirements.lock pins, which must
be the ones pyproject.toml asks for; and the WeasyPrint internals that print documents
reach into must still be there."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import weasyprint.html
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conference import pdf

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)", re.MULTILINE)


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


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [Requirement(line) for line in
            [*project["dependencies"], *extras["test"], *extras["redis"]]]


def _pins() -> dict[str, list[str]]:
    """requirements.lock: name -> versions (one per Python version where they differ)."""
    pins: dict[str, list[str]] = {}
    for name, version in PIN.findall((ROOT / "requirements.lock").read_text()):
        pins.setdefault(canonicalize_name(name), []).append(version)
    return pins


def test_the_lock_pins_every_declared_dependency_within_its_bounds():
    # requirements.lock is made from pyproject.toml by `make lock`: a dependency added,
    # or bounds changed, without running it again fails here rather than on a fresh machine.
    pins = _pins()
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements.lock: run make lock"
        for version in pins[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements.lock pins {name}=={version}, outside {requirement}: run make lock")


def test_weasyprint_still_takes_the_lean_user_agent_stylesheet(monkeypatch):
    # conference/pdf.py renders print documents with a leaner copy of WeasyPrint's
    # user-agent stylesheet (10-20 % less CPU for badges in bulk) through an undocumented
    # hook; should WeasyPrint move or change either, pdf.py quietly falls back to the stock
    # sheet. This notices it, so the pin to one WeasyPrint major can be moved with care.
    stock = weasyprint.html.UA
    assert pdf.UNIVERSAL_PSEUDO_RULE.findall(stock), "the footnote rules have changed"
    assert "\n::marker {" in stock, "the ::marker rule has changed"
    for line in stock.splitlines():  # a new rule for every element would cost the time back
        if line.startswith("::"):
            assert pdf.UNIVERSAL_PSEUDO_RULE.match(line) or line.startswith("::marker {"), line
    lean = pdf._lean_ua_stylesheet()  # raises if the stylesheet or its counters moved
    asked = []
    original = pdf.PrintHTML._ua_stylesheets

    def spy(self, forms=False):
        sheets = original(self, forms)
        asked.append(sheets)
        return sheets

    monkeypatch.setattr(pdf.PrintHTML, "_ua_stylesheets", spy)
    document = pdf.PrintHTML(string="<ol><li>one<li>two</ol>").render()
    assert asked, "WeasyPrint no longer asks the document for its user-agent stylesheets"
    assert asked[0][0] is lean
    assert len(document.pages) == 1

