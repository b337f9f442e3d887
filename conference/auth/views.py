"""Staff login and logout."""

from __future__ import annotations

import hashlib

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..ratelimit import rate_limited
from . import (
    bp,
    loaders,  # noqa: F401  (registers the user loader and the login view)
)
from .forms import LoginForm
from .redirects import safe_next_path
from .service import authenticate, end_sessions


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_rate_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_tried() -> str:
    """The rate-limit key of the account a login attempt names, from whatever address:
    a digest of the e-mail address as typed (case and spaces aside), so the limit's
    storage holds no address."""
    email = (request.form.get("email") or "").strip().lower()
    return "account:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()[:32]


def _after_login_url(candidate: str | None) -> str:
    """Where a page asked to come back to (``next``), else the account's own start page:
    the registrations for organisers and admins, the door scanner for staff."""
    if safe := safe_next_path(candidate):
        return safe
    if current_user.has_role("organiser"):
        return url_for("admin.registrations")
    return url_for("checkin.scanner")


@bp.route("/login", methods=["GET", "POST"])
@rate_limited(_login_rate_limit, methods=["POST"])
@rate_limited(_account_rate_limit, key_func=_account_tried, methods=["POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next_path(request.args.get("next")) or ""
        if current_user.is_authenticated:
            return redirect(_after_login_url(form.next.data))
    login_error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user, remember=bool(form.remember.data))
            return redirect(_after_login_url(form.next.data or request.args.get("next")))
        login_error = _("Wrong e-mail address or password.")
    return render_template("auth/login.html", form=form, login_error=login_error)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_sessions(current_user)  # on every device, remember-me cookies included
        logout_user()
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))
