"""Layers point one way: registration uses mail, badges and the public programme, never
the reverse. Read from the source (every import, at the top or inside a function), so a
cycle cannot hide behind a late import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "conference"
BELOW_REGISTRATION = ("badges", "mail", "public")


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules ``path`` imports from."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            name = ".".join(base) if node.level else ""
            if node.module:
                name = f"{name}.{node.module}" if name else node.module
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def test_imports_are_read_relative_to_their_package():
    assert imported_modules(PACKAGE / "badges" / "service.py") >= {"conference.models"}
    assert "conference.mail.address" in imported_modules(PACKAGE / "mail" / "outbox.py")


@pytest.mark.parametrize("layer", BELOW_REGISTRATION)
def test_layers_below_registration_never_import_it(layer):
    offending = {
        str(path.relative_to(PACKAGE.parent)): sorted(
            name for name in imported_modules(path)
            if name == "conference.registration" or name.startswith("conference.registration.")
        )
        for path in sorted((PACKAGE / layer).rglob("*.py"))
    }
    assert {path: names for path, names in offending.items() if names} == {}
