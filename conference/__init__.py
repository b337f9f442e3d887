"""A conference backend: registration, agenda, QR badges, door check-in, printed programmes."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent

# Each blueprint's package and the modules of it that add routes, in registration order.
# The app imports them here rather than each package at its own import, so that a domain's
# services can be imported alone (by a script or a job) without every view of the app.
ROUTES = {
    "public": ("views", "images"),
    "registration": ("views",),
    "badges": ("views",),
    "checkin": ("views",),
    "programme": ("export_views", "views"),
    "admin": ("badges", "checkin", "registrations", "views", "programme_views", "people",
              "audit_page", "registration_page", "dashboard", "announcements"),
    "auth": ("views", "set_password"),
    "api": ("catalogue", "checkin", "registrations", "dashboard", "openapi"),
}


def create_app(config: dict | None = None) -> Flask:
    """Application factory. ``config`` overrides every other source (tests use it)."""
    config = dict(config or {})
    app = Flask(
        __name__,
        instance_path=config.pop("INSTANCE_PATH", None) or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )

    from .config import load_config

    load_config(app, config)

    from . import boundary

    boundary.init_app(app)  # before any route is added: the converters and the first hook

    from . import i18n
    from .extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    from . import db_ping, sqlite_erasure

    with app.app_context():
        for engine in db.engines.values():
            db_ping.watch(engine, app.config["DATABASE_PING_AFTER_IDLE"])
            sqlite_erasure.watch(engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.babel_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    from .auth import loaders as auth_loaders

    auth_loaders.init_app(app)
    i18n.init_app(app)

    from . import (
        cli,
        errors,
        health,
        metrics,
        models,  # noqa: F401  (register the tables)
        pdf,
        security_headers,
        templating,
    )
    for package, modules in ROUTES.items():
        for module in modules:
            import_module(f".{package}.{module}", __name__)
        app.register_blueprint(import_module(f".{package}", __name__).bp)
    app.register_blueprint(health.bp)
    metrics.init_app(app)
    app.register_blueprint(import_module(".api.docs", __name__).bp)
    csrf.exempt(import_module(".api", __name__).bp)

    errors.init_app(app)
    security_headers.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    pdf.init_app(app)
    from . import deployment, log_redaction

    _behind_proxies(app)
    deployment.init_app(app)
    log_redaction.init_app(app)  # last: every module's logger exists by now
    return app


def _behind_proxies(app: Flask) -> None:
    """Trust X-Forwarded-For and -Proto from ``TRUSTED_PROXIES`` hops, and only then: a
    client reaching the app directly could otherwise pick the address its limits count."""
    hops = int(app.config["TRUSTED_PROXIES"] or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
