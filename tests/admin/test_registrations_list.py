"""/admin/registrations: the statuses as tabs with their counts, an "All" tab with a status
column, a search on name, e-mail or organisation, and approving from any of them."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from conference.extensions import db
from conference.models import AttendeeCategory, Conference, Registration
from conference.models.audit import AuditEntry
from tests.registration.pages import parse_page

PEOPLE = [  # name, organisation, e-mail, status
    ("王小明", "合肥智能传感器研究院", "wang@example.org", "pending"),
    ("Anna Schmidt", "Fraunhofer IMS", "anna@ims.example.de", "confirmed"),
    ("Li Hua", "USTC", "lihua@ustc.example.cn", "confirmed"),
    ("John O'Brien", "Acme 100% Sensors", "john@acme.example", "waitlisted"),
    ("Maria Rossi", None, "maria@example.it", "cancelled"),
    ("Chen Jing", "Anhui Sensor_Alliance", "chen@example.org", "rejected"),
]


def add_people(app, slug, people=PEOPLE) -> None:
    with app.app_context():
        conference = db.session.execute(
            db.select(Conference).where(Conference.slug == slug)).scalar_one()
        category = db.session.execute(db.select(AttendeeCategory).where(
            AttendeeCategory.conference_id == conference.id,
            AttendeeCategory.code == "delegate")).scalar_one()
        start = datetime(2024, 8, 1, 1, 0)
        db.session.add_all(
            Registration(conference=conference, category=category, name=name,
                         organisation=organisation, email=email, status=status,
                         created_at=start + timedelta(hours=number))
            for number, (name, organisation, email, status) in enumerate(people))
        db.session.commit()


def listing(client, url: str) -> dict:
    """What the organiser sees: the tabs (word → count), the chosen one, the table's
    headings and its rows as {name: {heading: text}}."""
    page = parse_page(client.get(url))
    tabs, chosen = {}, None
    for tab in page.xpath("//nav[contains(@class, 'status-filter')]/a"):
        [count] = tab.xpath("span[@class='count']")
        word = tab.text_content().replace(count.text_content(), "").strip()
        tabs[word] = int(count.text_content())
        if tab.get("aria-current"):
            chosen = word
    headings = [th.text_content().strip() for th in page.xpath("//table//thead//th")]
    rows = {}
    for tr in page.xpath("//table//tbody/tr"):
        cells = [td.text_content().strip() for td in tr.xpath("td")]
        rows[cells[0]] = dict(zip(headings, cells, strict=True))
    empty = " ".join(p.text_content().strip() for p in page.xpath("//section//p[@class='muted']"))
    return {"tabs": tabs, "chosen": chosen, "headings": headings, "rows": rows,
            "empty": empty, "page": page}


def test_the_tabs_count_each_status_and_open_on_those_pending(organiser_client, app, demo):
    add_people(app, demo)

    seen = listing(organiser_client, "/admin/registrations?lang=en")

    assert seen["tabs"] == {"All": 6, "Pending approval": 1, "On the waiting list": 1,
                            "Confirmed": 2, "Cancelled": 1, "Not approved": 1}
    assert seen["chosen"] == "Pending approval"
    assert list(seen["rows"]) == ["王小明"]
    assert "Status" not in seen["headings"]  # one status: no column saying it again


def test_with_nobody_pending_the_list_opens_on_everyone_with_their_status(organiser_client, app, demo):
    add_people(app, demo, [person for person in PEOPLE if person[3] != "pending"])

    seen = listing(organiser_client, "/admin/registrations?lang=en")

    assert seen["chosen"] == "All"
    assert seen["tabs"]["Pending approval"] == 0
    assert {name: row["Status"] for name, row in seen["rows"].items()} == {
        "Anna Schmidt": "Confirmed", "Li Hua": "Confirmed", "John O'Brien": "On the waiting list",
        "Maria Rossi": "Cancelled", "Chen Jing": "Not approved"}
    chinese = listing(organiser_client, "/admin/registrations?lang=zh")
    assert chinese["chosen"] == "全部"
    assert chinese["rows"]["Chen Jing"]["状态"] == "未通过审核"
    assert chinese["rows"]["John O'Brien"]["状态"] == "候补中"


def test_an_empty_status_says_so(organiser_client, app, demo):
    add_people(app, demo, PEOPLE[1:3])
    seen = listing(organiser_client, "/admin/registrations?status=pending&lang=en")
    assert seen["chosen"] == "Pending approval" and not seen["rows"]
    assert seen["empty"] == "No registrations with this status."


@pytest.mark.parametrize("query, found", [
    ("ANNA", ["Anna Schmidt"]),  # name, whatever its case
    ("ustc.EXAMPLE", ["Li Hua"]),  # e-mail address
    ("fraunhofer", ["Anna Schmidt"]),  # organisation
    ("智能传感", ["王小明"]),
    ("  li   hua ", ["Li Hua"]),  # spaces as typed around and between words
    ("100%", ["John O'Brien"]),  # % and _ are letters here, not wildcards
    ("r_a", ["Chen Jing"]),
    ("nobody-like-this", []),
])
def test_search_finds_by_name_email_or_organisation(organiser_client, app, demo, query, found):
    add_people(app, demo)
    seen = listing(organiser_client, f"/admin/registrations?lang=en&q={query.replace('%', '%25')}")
    assert seen["chosen"] == "All"  # a search looks through everyone
    assert sorted(seen["rows"]) == sorted(found)
    assert seen["tabs"]["All"] == len(found)  # the counts are those of the matches
    [box] = seen["page"].xpath("//input[@name='q']")
    assert box.get("value") == query.strip() and box.get("type") == "search"
    if not found:
        assert seen["empty"] == f"No registration in this list matches “{' '.join(query.split())}”."


def test_percent_and_underscore_in_a_search_match_only_themselves(organiser_client, app, demo):
    add_people(app, demo, [
        *PEOPLE,
        # What "100%" and "r_a" would also find if they were wildcards:
        ("Liu Yang", "Acme 1000 Sensors", "liu@example.org", "confirmed"),
        ("Zhou Bo", "Anhui Sensor Alliance", "zhou@example.org", "confirmed"),
    ])
    for query, found in (("100%", ["John O'Brien"]), ("R_A", ["Chen Jing"])):
        seen = listing(organiser_client, f"/admin/registrations?lang=en&q={query.replace('%', '%25')}")
        assert sorted(seen["rows"]) == found, query


def test_one_letter_is_not_a_search(organiser_client, app, demo):
    add_people(app, demo)
    seen = listing(organiser_client, "/admin/registrations?lang=en&q=a&status=all")
    assert len(seen["rows"]) == 6
    [hint] = seen["page"].xpath("//*[@id='q-hint']")
    assert hint.text_content().strip() == "At least 2 characters." and "field-error" in hint.get("class")


def test_the_search_stays_in_the_url_of_every_tab(organiser_client, app, demo):
    add_people(app, demo)
    seen = listing(organiser_client, "/admin/registrations?lang=en&q=example.org")
    assert seen["tabs"] == {"All": 2, "Pending approval": 1, "On the waiting list": 0,
                            "Confirmed": 0, "Cancelled": 0, "Not approved": 1}
    for tab in seen["page"].xpath("//nav[contains(@class, 'status-filter')]/a"):
        assert parse_qs(urlsplit(tab.get("href")).query)["q"] == ["example.org"]
    rejected = listing(organiser_client, "/admin/registrations?lang=en&q=example.org&status=rejected")
    assert list(rejected["rows"]) == ["Chen Jing"]


def test_approving_from_a_search_comes_back_to_it(organiser_client, app, demo):
    add_people(app, demo)
    page = listing(organiser_client, "/admin/registrations?lang=en&q=wang")["page"]
    [approve] = page.xpath("//form[.//button[normalize-space()='Approve']]")
    response = organiser_client.post(approve.get("action"))
    assert response.status_code == 303
    back = urlsplit(response.headers["Location"])
    assert (back.path, parse_qs(back.query)) == ("/admin/registrations",
                                                 {"status": ["all"], "q": ["wang"]})
    seen = listing(organiser_client, response.headers["Location"] + "&lang=en")
    assert seen["rows"]["王小明"]["Status"] == "Confirmed"
    assert not seen["page"].xpath("//button[normalize-space()='Approve']")
    # Nobody is pending any more: the page now opens on everyone.
    assert listing(organiser_client, "/admin/registrations?lang=en")["chosen"] == "All"


def test_the_exports_still_answer_from_every_tab(organiser_client, app, demo):
    add_people(app, demo)
    page = listing(organiser_client, "/admin/registrations?lang=en&status=confirmed")["page"]
    links = [a.get("href") for a in page.xpath("//p[@class='export']/a")]
    assert len(links) == 4
    [this_list] = [link for link in links if "export.csv" in link and "status=confirmed" in link]
    body = organiser_client.get(this_list).get_data(as_text=True)
    assert "Anna Schmidt" in body and "Maria Rossi" not in body
    everyone = organiser_client.get("/admin/registrations/export.csv?status=all").get_data(as_text=True)
    assert "Anna Schmidt" in everyone and "Maria Rossi" in everyone


def test_a_long_list_comes_in_pages_that_keep_the_status_and_search(organiser_client, app, demo):
    from conference.admin.registration_list import PAGE_SIZE

    people = [(f"Page Person {n:03d}", "Pager Org", f"pager{n}@example.org", "confirmed")
              for n in range(PAGE_SIZE + 30)]
    add_people(app, demo, people)
    first = listing(organiser_client, "/admin/registrations?lang=en&status=confirmed&q=pager")
    assert len(first["rows"]) == PAGE_SIZE
    assert "Page Person 000" in first["rows"] and "Page Person 100" not in first["rows"]
    assert f"1–{PAGE_SIZE} of {PAGE_SIZE + 30}" in first["page"].text_content()
    [next_link] = first["page"].xpath("//nav[@class='pages'][1]/a[@rel='next']/@href")
    assert parse_qs(urlsplit(next_link).query) == {
        "status": ["confirmed"], "q": ["pager"], "page": ["2"]}

    second = listing(organiser_client, next_link + "&lang=en")
    assert sorted(second["rows"]) == [f"Page Person {n:03d}" for n in range(PAGE_SIZE, PAGE_SIZE + 30)]
    assert not second["page"].xpath("//nav[@class='pages']/a[@rel='next']")
    assert second["page"].xpath("//nav[@class='pages']/a[@rel='prev']")
    # A page beyond the last, or not a number, still shows people.
    assert listing(organiser_client, "/admin/registrations?status=confirmed&q=pager&page=99")["rows"]
    assert len(listing(organiser_client,
                       "/admin/registrations?status=confirmed&q=pager&page=x")["rows"]) == PAGE_SIZE


def test_decisions_address_a_registration_by_its_id_never_its_manage_link(organiser_client, app, demo):
    """The manage token is the attendee's secret: it must not be in the organiser's page,
    their browser history or the server's access log."""
    add_people(app, demo)
    with app.app_context():
        wang = db.session.execute(
            db.select(Registration).where(Registration.email == "wang@example.org")).scalar_one()
        token, registration_id = wang.token, wang.id
    html = organiser_client.get("/admin/registrations?lang=en").get_data(as_text=True)
    assert token not in html
    [reject] = lxml.html.fromstring(html).xpath("//form[.//button[normalize-space()='Reject']]")
    assert urlsplit(reject.get("action")).path == f"/admin/registrations/{registration_id}/reject"
    assert organiser_client.post(f"/admin/registrations/{token}/reject").status_code == 404
    assert organiser_client.post(reject.get("action")).status_code == 303
    with app.app_context():
        assert db.session.get(Registration, registration_id).status == "rejected"
        [entry] = db.session.execute(db.select(AuditEntry)).scalars()
        assert (entry.kind, entry.target_id) == ("registration.reject", registration_id)
        assert "wang" not in repr(entry.summary).lower()
