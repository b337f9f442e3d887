"""A conference backend: registration, agenda, QR badges, door check-in, printed programmes."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


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

    from . import i18n
    from .extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    from . import db_ping

    with app.app_context():
        for engine in db.engines.values():
            db_ping.watch(engine, app.config["DATABASE_PING_AFTER_IDLE"])
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
        models,  # noqa: F401  (register the tables)
        pdf,
        templating,
    )
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .badges import bp as badges_bp
    from .checkin import bp as checkin_bp
    from .programme import bp as programme_bp
    from .public import bp as public_bp
    from .registration import bp as registration_bp

    for bp in (
        public_bp,
        registration_bp,
        badges_bp,
        checkin_bp,
        programme_bp,
        admin_bp,
        auth_bp,
        api_bp,
        health.bp,
    ):
        app.register_blueprint(bp)
    csrf.exempt(api_bp)

    errors.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    pdf.init_app(app)
    return app
