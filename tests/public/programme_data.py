"""A two-day programme across a daylight-saving change, with HTML in its texts.

Europe/Berlin moves from UTC+01:00 to UTC+02:00 in the night to 30 March 2025, so the
sessions of the two days have different offsets. Parallel sessions: ``sensors`` in room
A beside ``chips`` then ``boards`` in room B.
"""

from __future__ import annotations

from conference.programme.importer import import_programme

SCRIPT = "<script>alert(1)</script>"

PROGRAMME = f"""
conference:
  slug: spring-test-2025
  acronym: spring25
  name: {{zh: "春季测试大会", en: "Spring {SCRIPT} Conference"}}
  slogan: {{zh: "测一测", en: "Test it"}}
  description: {{zh: "两天的测试。", en: "Two days of <b>tests</b>."}}
  starts_on: 2025-03-29
  ends_on: 2025-03-30
  timezone: Europe/Berlin
  venue: {{zh: "市政厅", en: "Town Hall"}}
categories:
  - code: delegate
    name: {{zh: 代表, en: Delegate}}
rooms:
  - slug: hall
    name: {{zh: 大厅, en: Hall}}
    capacity: 300
    location: {{zh: 一层, en: Ground floor}}
  - slug: room-a
    name: {{zh: A厅, en: Room A}}
  - slug: room-b
    name: {{zh: B厅, en: Room B}}
tracks:
  - slug: hardware
    name: {{zh: 硬件, en: Hardware}}
    colour: "#aa3300"
  - slug: software
    name: {{zh: 软件, en: Software}}
    colour: "#0033aa"
speakers:
  - slug: ada
    name: {{zh: 艾达, en: Ada Lovelace}}
    organisation: {{zh: 分析机公司, en: Analytical Engines}}
    bio: {{zh: "数学家。", en: "Wrote <img src=x onerror=alert(2)> the first program."}}
  - slug: bob
    name: Bob
exhibitors:
  - slug: acme
    name: {{zh: 极致公司, en: "ACME <i>Sensors</i>"}}
    booth: B2
    category: {{zh: 传感器, en: Sensors}}
    description: {{zh: 传感器。, en: "Sensors & more <script>x()</script>"}}
    website: https://example.org/acme?a=1&b=2
  - slug: zenith
    name: {{zh: 天顶, en: Zenith}}
    booth: A10
    category: {{zh: 仪器, en: Instruments}}
sessions:
  - slug: opening
    title: {{zh: 开幕, en: "Opening {SCRIPT}"}}
    abstract: {{zh: 欢迎。, en: "Welcome <em>all</em>."}}
    kind: keynote
    starts: 2025-03-29 09:00
    ends: 2025-03-29 09:30
    room: hall
    track: hardware
    speakers: [ada, bob]
  - slug: sensors
    title: {{zh: 传感器专场, en: Sensors}}
    kind: forum
    starts: 2025-03-29 10:00
    ends: 2025-03-29 11:00
    room: room-a
    track: hardware
    capacity: 40
  - slug: chips
    title: {{zh: 芯片, en: Chips}}
    kind: talk
    starts: 2025-03-29 10:00
    ends: 2025-03-29 10:30
    room: room-b
    track: software
    speakers: [ada]
  - slug: boards
    title: {{zh: 电路板, en: Boards}}
    kind: talk
    starts: 2025-03-29 10:30
    ends: 2025-03-29 11:00
    room: room-b
  - slug: lunch
    title: {{zh: 午餐, en: Lunch}}
    kind: break
    starts: 2025-03-29 12:00
    ends: 2025-03-29 13:00
    room: hall
  - slug: closing
    title: {{zh: 闭幕, en: Closing}}
    kind: ceremony
    starts: 2025-03-30 10:00
    ends: 2025-03-30 10:30
    room: hall
    capacity: 50
"""


def load_spring_programme(app) -> str:
    """Load the programme above; returns the conference's slug."""
    with app.app_context():
        return import_programme(PROGRAMME, "spring-test-2025.yaml").slug
