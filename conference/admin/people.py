"""Organiser page ``/admin/people``: accounts (invite, role, deactivate, a new link to set
the password), API tokens for integrations and scanner device tokens (made here, shown
once, revocable).

Who may do what is ``conference.auth.accounts``: admins manage everyone; organisers invite
and manage staff and organisers, never admins.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from ..auth.accounts import (
    ROLE_WORDS,
    accounts,
    assignable_roles,
    change_role,
    may_hold_tokens_of,
    may_manage,
    set_active,
)
from ..auth.api_tokens import MAX_NAME_LENGTH, issue_api_token, revoke_api_token
from ..auth.invitations import invite, send_link_again
from ..auth.service import AccountError, issue_device_token, revoke_device_token
from ..extensions import db
from ..i18n import current_language
from ..models import ApiToken, DeviceToken, User
from . import bp
from .registrations import organiser_required

LANGUAGES = {"zh": "中文", "en": "English"}


class InviteForm(FlaskForm):
    email = EmailField(lazy_gettext("E-mail address"),
                       validators=[DataRequired(lazy_gettext("Enter an e-mail address.")), Length(max=254)])
    role = SelectField(lazy_gettext("Role"), choices=[])
    language = SelectField(lazy_gettext("Language of the mail"), choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
                           default=current_language)


class RoleForm(FlaskForm):
    role = SelectField(lazy_gettext("Role"), choices=[])


class ActiveForm(FlaskForm):
    active = HiddenField(validators=[AnyOf(["0", "1"])])


class TokenForm(FlaskForm):
    """A name for a new API or device token (and, for an API token, its account)."""

    account = SelectField(lazy_gettext("Acts as"), coerce=int, choices=[])
    name = StringField(lazy_gettext("Token name"),
                       validators=[DataRequired(lazy_gettext("Name the token.")), Length(max=MAX_NAME_LENGTH)])


class DeviceForm(FlaskForm):
    name = StringField(lazy_gettext("Device name"),
                       validators=[DataRequired(lazy_gettext("Name the device.")), Length(max=100)])


class PlainForm(FlaskForm):
    """Only the CSRF token."""


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, str(ROLE_WORDS[role])) for role in assignable_roles(current_user)]


def _invite_form() -> InviteForm:
    form = InviteForm(prefix="invite")
    form.role.choices = _role_choices()
    return form


def _token_form() -> TokenForm:
    form = TokenForm(prefix="token")
    form.account.choices = [SelectChoice(account.id, account.email) for account in accounts()
                            if account.active and may_hold_tokens_of(current_user, account)]
    return form


def _visible_api_tokens() -> list[ApiToken]:
    """The tokens of the accounts the organiser may hold tokens of (their own included)."""
    rows = db.session.execute(
        db.select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id)
    ).scalars()
    return [row for row in rows if may_hold_tokens_of(current_user, row.user)]


def _page(status: int = 200, **context):
    context.setdefault("invite_form", _invite_form())
    context.setdefault("token_form", _token_form())
    context.setdefault("device_form", DeviceForm(prefix="device"))
    devices = db.session.execute(
        db.select(DeviceToken).order_by(DeviceToken.revoked_at.is_not(None), DeviceToken.name)
    ).scalars().all()
    body = render_template(
        "admin/people/index.html",
        people=accounts(),
        role_words=ROLE_WORDS,
        role_choices=_role_choices(),
        may_manage=lambda account: may_manage(current_user, account),
        api_tokens=_visible_api_tokens(),
        devices=devices,
        plain_form=PlainForm(),
        **context,
    )
    # A page showing a new token once must not be kept by the browser or a proxy.
    return body, status, {"Cache-Control": "no-store"}


@bp.get("/people")
@organiser_required
def people():
    return _page()


def _account(user_id: int) -> User:
    account = db.session.get(User, user_id)
    if account is None:
        abort(404)
    return account


def _back():
    return redirect(url_for("admin.people"), code=303)


@bp.post("/people/invite")
@organiser_required
def invite_person():
    form = _invite_form()
    if form.validate_on_submit():
        try:
            account = invite(current_user, form.email.data, form.role.data, form.language.data)
        except AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(gettext("Invitation sent to %(email)s.", email=account.email))
            return _back()
    return _page(400, invite_form=form)


@bp.post("/people/<int:user_id>/role")
@organiser_required
def change_person_role(user_id: int):
    account = _account(user_id)
    form = RoleForm()
    form.role.choices = _role_choices()
    if not form.validate_on_submit():
        abort(400)
    try:
        if change_role(current_user, account, form.role.data):
            flash(gettext("%(email)s is now %(role)s.", email=account.email, role=ROLE_WORDS[account.role]))
    except AccountError:
        abort(403)
    return _back()


@bp.post("/people/<int:user_id>/active")
@organiser_required
def set_person_active(user_id: int):
    account = _account(user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    active = form.active.data == "1"
    try:
        if set_active(current_user, account, active):
            flash(gettext("%(email)s can log in again.", email=account.email) if active else
                  gettext("%(email)s is deactivated: logged out everywhere, tokens stopped.",
                          email=account.email))
    except AccountError:
        abort(403)
    return _back()


@bp.post("/people/<int:user_id>/link")
@organiser_required
def send_person_link(user_id: int):
    account = _account(user_id)
    if not PlainForm().validate_on_submit():
        abort(400)
    try:
        send_link_again(current_user, account, current_language())
    except AccountError:
        abort(403)
    flash(gettext("A new link to set the password was sent to %(email)s.", email=account.email))
    return _back()


@bp.post("/people/api-tokens")
@organiser_required
def create_api_token():
    form = _token_form()
    if not form.validate_on_submit():
        return _page(400, token_form=form)
    account = _account(form.account.data)
    row, token = issue_api_token(account, form.name.data)
    return _page(201, new_token=token, new_token_name=row.name)


@bp.post("/people/api-tokens/<int:token_id>/revoke")
@organiser_required
def revoke_api_token_view(token_id: int):
    row = db.session.get(ApiToken, token_id)
    if row is None:
        abort(404)
    if not PlainForm().validate_on_submit():
        abort(400)
    if not may_hold_tokens_of(current_user, row.user):
        abort(403)
    if revoke_api_token(row):
        flash(gettext("The API token %(name)s was revoked.", name=row.name))
    return _back()


@bp.post("/people/devices")
@organiser_required
def create_device_token():
    form = DeviceForm(prefix="device")
    if not form.validate_on_submit():
        return _page(400, device_form=form)
    token = issue_device_token(form.name.data)
    return _page(201, new_token=token, new_token_name=form.name.data.strip())


@bp.post("/people/devices/<int:device_id>/revoke")
@organiser_required
def revoke_device_token_view(device_id: int):
    if not PlainForm().validate_on_submit():
        abort(400)
    if revoke_device_token(device_id):
        flash(gettext("The device token was revoked."))
    return _back()
