"""Each attendee gets mail in the language they registered in: subject and body."""

from __future__ import annotations

import re

import pytest

from conference.extensions import db
from conference.mail.compose import SUBJECTS, compose
from conference.models import Registration
from tests.mail.conftest import API
from tests.registration.conference_data import api_body
from tests.smtp import body_of

# Two Latin words in a row: an English phrase (links and dates have none).
ENGLISH = re.compile(r"[A-Za-z]+ +[A-Za-z]+")


def test_a_chinese_registrant_gets_the_confirmation_in_chinese(client, conference_slug, inbox):
    body = api_body(name="李明", language="zh", sessions=["forum"], answers={"diet": "halal"})
    assert client.post(API, json=body).status_code == 201
    [message] = inbox.messages
    assert message["Subject"] == "注册测试大会报名通知"
    text = body_of(message)
    assert text.startswith("尊敬的李明：")
    assert "您已成功报名参加注册测试大会。" in text
    assert "您报名的场次：" in text and "产业论坛" in text
    assert "饮食需求：清真" in text
    assert "入场时请出示" in text
    assert ENGLISH.findall(text) == []


def test_an_english_registrant_gets_english(client, conference_slug, inbox):
    assert client.post(API, json=api_body(language="en", sessions=["forum"])).status_code == 201
    [message] = inbox.messages
    assert message["Subject"] == "Your registration for Registration Test Conference"
    text = body_of(message)
    assert text.startswith("Dear Ada Lovelace,")
    assert "You are registered for Registration Test Conference." in text
    assert not re.search(r"[\u4e00-\u9fff]", text)


@pytest.mark.parametrize("kind", sorted(SUBJECTS))
def test_every_kind_of_mail_reads_in_chinese(app, client, conference_slug, kind):
    app.config["MAIL_SERVER"] = None  # the confirmation goes to a file
    body = api_body(name="李明", language="zh", sessions=["forum"], answers={"diet": "none"})
    token = client.post(API, json=body).json["token"]
    with app.app_context():
        registration = db.session.execute(
            db.select(Registration).where(Registration.token == token)
        ).scalar_one()
        message = compose(registration, kind)
    assert "注册测试大会" in message["Subject"]
    assert ENGLISH.findall(message["Subject"]) == []
    text = body_of(message)
    assert text.startswith(("尊敬的李明：", "您好！"))
    assert ENGLISH.findall(text) == []


def test_the_sender_writes_in_chinese_too(app, client, runner, conference_slug, inbox):
    """``flask send-mail`` composes outside any request: still the attendee's language."""
    app.config["MAIL_SEND_INLINE"] = False
    body = api_body(name="李明", language="zh", sessions=["forum"], answers={"diet": "halal"})
    assert client.post(API, json=body).status_code == 201
    assert "sent 1, not sent 0" in runner.invoke(args=["send-mail"]).output
    [message] = inbox.messages
    assert message["Subject"] == "注册测试大会报名通知"
    text = body_of(message)
    assert "您已成功报名参加注册测试大会。" in text
    assert "- 产业论坛（2025年9月19日 14:00）：座位已确认" in text
    assert "饮食需求：清真" in text
    assert ENGLISH.findall(text) == []
