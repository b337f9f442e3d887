"""Reading RFC 9457 problem documents in tests."""

from __future__ import annotations


def invalid_fields(problem: dict) -> dict[str, list[str]]:
    """A 422's ``invalid_params`` by field name: ``{name: [reason, …]}``. Fails when the
    problem has no such list, or when any entry lacks a name or a reason."""
    fields: dict[str, list[str]] = {}
    for param in problem["invalid_params"]:
        assert set(param) == {"name", "reason"}, param
        assert isinstance(param["name"], str) and param["name"], param
        assert isinstance(param["reason"], str) and param["reason"], param
        fields.setdefault(param["name"], []).append(param["reason"])
    assert "errors" not in problem  # one error shape
    return fields
