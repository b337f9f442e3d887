"""The browser scripts under static/js, read as text: ES modules that share state by
import and export, never through properties set on ``window``; randomness (the scan
nonces) only from ``crypto.getRandomValues``; and templates that load them as modules
with no inline script, so a Content-Security-Policy without 'unsafe-inline' keeps every
page working. (The scanner page running under such a policy is tested in the browser, in
tests/e2e/test_checkin_scanner.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "static" / "js").glob("*.js"))
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

# window.x = …, window["x"] += …, globalThis.x++, Object.assign(window, …) and the like.
SETS_GLOBAL = re.compile(
    r"\b(?:window|globalThis|self)\s*(?:\.\s*[\w$]+|\[[^\]]*\])\s*(?:[-+*/%&|^]?=(?!=)|\+\+|--)"
    r"|\b(?:Object\.(?:assign|defineProperty|defineProperties)|Reflect\.set)\(\s*(?:window|globalThis|self)\b"
)
RELATIVE_PATH = re.compile(r"""["'](\.\.?/[^"']+\.js)["']""")
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def lines_matching(path: Path, pattern: re.Pattern) -> list[str]:
    return [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]


def test_the_scanner_scripts_are_found():
    names = {path.name for path in SCRIPTS}
    assert {"checkin.js", "checkin-api.js", "checkin-offline.js", "staff-menu.js"} <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_no_script_sets_a_property_on_window(script):
    assert lines_matching(script, SETS_GLOBAL) == []


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_no_script_uses_math_random(script):
    assert lines_matching(script, re.compile(r"Math\.random")) == []


def test_nonces_come_from_the_api_client_alone():
    callers = [path.name for path in SCRIPTS if "getRandomValues" in path.read_text(encoding="utf-8")]
    assert callers == ["checkin-api.js"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_every_file_a_script_imports_or_loads_exists(script):
    """A module importing a missing file stops the whole page, with no message to staff."""
    missing = [
        relative
        for relative in RELATIVE_PATH.findall(script.read_text(encoding="utf-8"))
        if not (script.parent / relative).resolve().is_file()
    ]
    assert missing == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_templates_load_scripts_as_modules_and_inline_none(template):
    wrong = []
    for attributes in SCRIPT_TAG.findall(template.read_text(encoding="utf-8")):
        if 'type="application/json"' in attributes:
            continue  # data for a script, never run
        if "src=" not in attributes:
            wrong.append(f"inline script: <script{attributes}>")
        elif 'type="module"' not in attributes:
            wrong.append(f"classic script: <script{attributes}>")
    assert wrong == []
