"""``/api/docs``: the OpenAPI document (``/api/v1/openapi.json``) rendered by Swagger UI,
vendored from npm into ``static/vendor/swagger-ui/`` (no CDN; started by
``static/js/api-docs.js``, since the Content-Security-Policy runs no inline script)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__, url_prefix="/api")


@bp.get("/docs")
def api_docs():
    return render_template("api/docs.html")
