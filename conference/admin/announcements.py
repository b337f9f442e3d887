"""Organiser page ``/admin/announcements``: write a message in Chinese and English, choose
who gets it, preview it with the number of recipients, send it through the outbox; the
announcements sent so far with their counts.

Sending needs the count the preview showed: when the audience changed since (people
registered, checked in or cancelled), the page shows the new count and asks again.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext, ngettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..current import current_conference
from ..mail.announcement import announcement_text
from ..models import Announcement, Arrival, Audience, Registration
from ..models.base import text_length
from . import bp
from .announcing import send_announcement, sent_announcements
from .audiences import Recipients, count_recipients
from .registrations import organiser_required

SUBJECT_MAX = 200
BODY_MAX = text_length(Announcement.__table__.c.body_en)

AUDIENCE_WORDS = {
    Audience.ALL: lazy_gettext("Everyone confirmed"),
    Audience.CATEGORY: lazy_gettext("One category"),
    Audience.SESSION: lazy_gettext("The holders of a session"),
}
ARRIVAL_WORDS = {
    Arrival.ANY: lazy_gettext("Checked in or not"),
    Arrival.CHECKED_IN: lazy_gettext("Only those checked in"),
    Arrival.NOT_CHECKED_IN: lazy_gettext("Only those not checked in yet"),
}


def _required(message):
    return [DataRequired(message)]


class AnnouncementForm(FlaskForm):
    subject_zh = StringField(lazy_gettext("Subject (Chinese)"),
                             validators=[*_required(lazy_gettext("Write the subject in Chinese.")), Length(max=SUBJECT_MAX)])
    subject_en = StringField(lazy_gettext("Subject (English)"),
                             validators=[*_required(lazy_gettext("Write the subject in English.")), Length(max=SUBJECT_MAX)])
    body_zh = TextAreaField(lazy_gettext("Message (Chinese)"),
                            validators=[*_required(lazy_gettext("Write the message in Chinese.")), Length(max=BODY_MAX)])
    body_en = TextAreaField(lazy_gettext("Message (English)"),
                            validators=[*_required(lazy_gettext("Write the message in English.")), Length(max=BODY_MAX)])
    audience = RadioField(lazy_gettext("Recipients"), default=Audience.ALL,
                          choices=[SelectChoice(str(k), v) for k, v in AUDIENCE_WORDS.items()])
    category = SelectField(lazy_gettext("Category"), coerce=int, choices=[], validators=[Optional()])
    session = SelectField(lazy_gettext("Session"), coerce=int, choices=[], validators=[Optional()])
    arrival = SelectField(lazy_gettext("Check-in"), default=Arrival.ANY,
                          choices=[SelectChoice(str(k), v) for k, v in ARRIVAL_WORDS.items()])
    confirm_count = HiddenField()


def _form(conference) -> AnnouncementForm:
    form = AnnouncementForm()
    form.category.choices = [SelectChoice(c.id, c.t("name")) for c in conference.categories]
    form.session.choices = [SelectChoice(s.id, s.t("title")) for s in conference.sessions
                            if s.capacity is not None]
    return form


def _recipients(form: AnnouncementForm) -> Recipients:
    audience = form.audience.data
    return Recipients(
        audience=audience,
        category_id=form.category.data if audience == Audience.CATEGORY else None,
        session_id=form.session.data if audience == Audience.SESSION else None,
        arrival=form.arrival.data,
    )


def _message(form: AnnouncementForm) -> Announcement:
    """The announcement as written (not stored until it is sent)."""
    return Announcement(subject_zh=form.subject_zh.data.strip(), subject_en=form.subject_en.data.strip(),
                        body_zh=form.body_zh.data.strip(), body_en=form.body_en.data.strip())


def _samples(conference, message: Announcement) -> list[tuple[str, str, str]]:
    """The message as a Chinese and an English reader get it (language, subject, text)."""
    samples = []
    for lang, name in (("zh", "张伟"), ("en", "Alex Smith")):
        person = Registration(name=name, language=lang, token="xxxxxxxx")
        subject, body = announcement_text(conference, message, person)
        samples.append((lang, subject, body))
    return samples


def _page(conference, form, status: int = 200, **context):
    return render_template(
        "admin/people/announcements.html", form=form, sent=sent_announcements(conference),
        audience_words=AUDIENCE_WORDS, arrival_words=ARRIVAL_WORDS, **context), status


@bp.route("/announcements", methods=["GET", "POST"])
@organiser_required
def announcements():
    conference = current_conference()
    form = _form(conference)
    if not form.is_submitted():
        return _page(conference, form)
    if not form.validate():
        return _page(conference, form, 400)
    chosen = _recipients(form)
    count = count_recipients(conference, chosen)
    message = _message(form)
    sending = request.form.get("action") == "send"
    if sending and form.confirm_count.data == str(count) and count > 0:
        announcement = send_announcement(conference, message, chosen)
        flash(ngettext("Sent to %(num)d person.", "Sent to %(num)d people.", announcement.recipients))
        return redirect(url_for("admin.announcements"), code=303)
    changed = sending and form.confirm_count.data != str(count)
    form.confirm_count.data = str(count)
    return _page(conference, form, preview=True, count=count, changed=changed,
                 samples=_samples(conference, message))
