"""The page an invitation links to: the invited person chooses their password."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from . import bp
from .invitations import LinkExpired, LinkInvalid, account_for_link, set_password
from .service import MIN_PASSWORD_LENGTH


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a password.")),
                    Length(min=MIN_PASSWORD_LENGTH, max=1000,
                           message=_l("At least %(num)d characters.", num=MIN_PASSWORD_LENGTH))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("The same password again"),
        validators=[EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password_page(token: str):
    try:
        account = account_for_link(token)
    except LinkExpired:
        return render_template("auth/link_void.html", expired=True), 410
    except LinkInvalid:
        return render_template("auth/link_void.html", expired=False), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        set_password(account, form.password.data)
        flash(_("Your password is set: log in with it."), "info")
        return redirect(url_for("auth.login"), code=303)
    status = 400 if form.errors else 200
    response = render_template("auth/set_password.html", form=form, account=account)
    return response, status, {"Cache-Control": "no-store"}
