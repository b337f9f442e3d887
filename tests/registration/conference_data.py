"""A small conference whose categories cover every registration rule.

delegate: open to all · expert: needs approval · student: one place only ·
crew: not offered to the public · early: registration open from 1 June to 10 September
2025 (Hefei time). Sessions: lab (1 seat) and clinic (2 seats) overlap; forum (10 seats)
does not. Extra questions, all optional: diet (single), topics (multiple), access (text),
news (checkbox).
"""

from __future__ import annotations

PROGRAMME = """
conference:
  slug: reg-test-2025
  acronym: regtest
  name: {zh: 注册测试大会, en: Registration Test Conference}
  starts_on: 2025-09-19
  ends_on: 2025-09-19
  timezone: Asia/Shanghai
  venue: {zh: 合肥, en: Hefei}
categories:
  - code: delegate
    name: {zh: 参会代表, en: Delegate}
  - code: expert
    name: {zh: 特邀专家, en: Invited expert}
    needs_approval: true
  - code: student
    name: {zh: 学生, en: Student}
    capacity: 1
  - code: crew
    name: {zh: 工作人员, en: Crew}
    public: false
  - code: early
    name: {zh: 早鸟, en: Early bird}
    opens_at: 2025-06-01 09:00
    closes_at: 2025-09-10 18:00
questions:
  - code: diet
    kind: single
    label: {zh: 饮食需求, en: Dietary needs}
    options:
      - code: none
        label: {zh: 无, en: None}
      - code: vegetarian
        label: {zh: 素食, en: Vegetarian}
      - code: halal
        label: {zh: 清真, en: Halal}
  - code: topics
    kind: multiple
    label: {zh: 感兴趣的方向, en: Topics}
    options:
      - code: sensors
        label: {zh: 传感器, en: Sensors}
      - code: energy
        label: {zh: 新能源, en: New energy}
      - code: software
        label: {zh: 软件, en: Software}
  - code: access
    kind: text
    label: {zh: 无障碍需求, en: Accessibility needs}
  - code: news
    kind: checkbox
    label: {zh: 接收明年大会消息, en: Send me news of next year's conference}
rooms:
  - slug: hall
    name: {zh: 大厅, en: Hall}
sessions:
  - slug: opening
    title: {zh: 开幕式, en: Opening}
    kind: ceremony
    starts: 2025-09-19 09:00
    ends: 2025-09-19 09:30
    room: hall
  - slug: lab
    title: {zh: 传感器实验课, en: Sensor lab}
    kind: workshop
    starts: 2025-09-19 10:00
    ends: 2025-09-19 11:00
    room: hall
    capacity: 1
  - slug: clinic
    title: {zh: 标定诊所, en: Calibration clinic}
    kind: workshop
    starts: 2025-09-19 10:30
    ends: 2025-09-19 11:30
    room: hall
    capacity: 2
  - slug: forum
    title: {zh: 产业论坛, en: Industry forum}
    kind: forum
    starts: 2025-09-19 14:00
    ends: 2025-09-19 15:00
    room: hall
    capacity: 10
"""

SLUG = "reg-test-2025"


def load_conference(app) -> str:
    """Load the test conference into ``app``'s database; return its slug."""
    from conference.programme.importer import import_programme

    with app.app_context():
        return import_programme(PROGRAMME, "reg-test.yaml").slug


def form_data(**changes) -> dict:
    """A valid submission of the registration form, with ``changes`` applied."""
    data = {
        "name": "Ada Lovelace",
        "email": "Ada@Example.org",
        "organisation": "Analytical Engines Ltd",
        "job_title": "Programmer",
        "phone": "+86 551-1234 5678",
        "category": "delegate",
        "consent": "y",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def api_body(**changes) -> dict:
    """A valid JSON body for POST /api/v1/registrations, with ``changes`` applied."""
    body = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "organisation": "Analytical Engines Ltd",
        "category": "delegate",
        "consent": True,
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def make_required(app, *codes: str) -> None:
    """Turn the questions ``codes`` of the test conference into required ones."""
    from conference.extensions import db
    from conference.models import Question

    with app.app_context():
        db.session.execute(
            db.update(Question).where(Question.code.in_(codes)).values(required=True)
        )
        db.session.commit()
