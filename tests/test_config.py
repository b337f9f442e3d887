"""Configuration in one place: every setting the code reads has its default in
``DefaultConfig``, every default is read by something, and the README's table lists them
all, saying which come from the environment. The code is scanned for the settings it
reads (``config["KEY"]``, ``config.get("KEY")``), so none of the three can drift."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from flask import Flask
from flask_limiter.constants import ConfigVars

from conference import create_app
from conference.config import FROM_ENVIRONMENT, DefaultConfig

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r"""config(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]*)["']""")
README_ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|", re.MULTILINE)

# Read by the code, defaulted by Flask or Flask-Limiter themselves.
FRAMEWORK_KEYS = {"PROPAGATE_EXCEPTIONS", "RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION"}
# Set from the environment variable the README names, never defaulted.
DATABASE = {"SQLALCHEMY_DATABASE_URI": "DATABASE_URL"}
# Whose own settings a default may be for, though no code of the app reads it.
EXTENSIONS = ("flask", "flask_sqlalchemy", "flask_wtf", "flask_babel", "flask_limiter",
              "flask_login")
ALSO_FROM_ENVIRONMENT = ("DATABASE_URL", "SECRET_KEY", "REDIS_URL")


def defaults() -> set[str]:
    return {key for key in vars(DefaultConfig) if key.isupper()}


def keys_read() -> dict[str, str]:
    """Each setting the app's code reads, with one place that reads it."""
    found = {}
    for path in sorted((ROOT / "conference").rglob("*.py")):
        for key in READ.findall(path.read_text(encoding="utf-8")):
            found.setdefault(key, str(path.relative_to(ROOT)))
    return found


def readme_table() -> dict[str, str]:
    """The README's configuration table: setting -> where it is set."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return dict(README_ROW.findall(section))


def test_every_setting_the_code_reads_has_its_default_in_default_config():
    missing = {
        key: where for key, where in keys_read().items()
        if key not in defaults() | FRAMEWORK_KEYS | DATABASE.keys()
    }
    assert not missing, f"read without a default in DefaultConfig: {missing}"


def test_the_framework_keys_read_are_defined_by_the_framework():
    limiter_keys = {value for name, value in vars(ConfigVars).items() if name.isupper()}
    for key in FRAMEWORK_KEYS:
        assert key in Flask.default_config or key in limiter_keys, key


def _extension_sources() -> str:
    sources = []
    for name in EXTENSIONS:
        folder = Path(importlib.import_module(name).__file__).parent
        sources += [path.read_text(encoding="utf-8") for path in folder.rglob("*.py")]
    return "\n".join(sources)


def test_every_default_is_read_by_the_app_or_an_extension():
    extensions = _extension_sources()
    unread = sorted(
        key for key in defaults() - keys_read().keys()
        if f'"{key}"' not in extensions and f"'{key}'" not in extensions
    )
    assert not unread, f"defaults that nothing reads: {unread}"


def test_the_readme_table_lists_every_setting():
    listed = readme_table().keys()
    expected = defaults() | set(DATABASE.values())
    assert not expected - listed, f"missing from the README's table: {expected - listed}"
    assert not listed - expected, f"in the README's table, not in DefaultConfig: {listed - expected}"


def test_the_readme_says_which_settings_come_from_the_environment():
    from_environment = set(FROM_ENVIRONMENT) | set(ALSO_FROM_ENVIRONMENT)
    said = {key for key, where in readme_table().items() if "environment" in where}
    assert said == from_environment


def test_environment_variables_set_settings_and_empty_ones_count_as_unset(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_PORT", "")
    monkeypatch.setenv("PUBLIC_URL", "")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["MAIL_SERVER"] == "smtp.example.org"
    assert app.config["MAIL_PORT"] == 25
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5000"


def test_instance_config_overrides_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MAIL_SENDER", "env@example.org")
    (tmp_path / "config.py").write_text("MAIL_SENDER = 'instance@example.org'\n")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["MAIL_SENDER"] == "instance@example.org"
