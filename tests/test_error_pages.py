"""Error pages speak the reader's language and say what to do next; the API keeps
answering problem+json."""

from __future__ import annotations

import pytest

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_page_not_found_in_english_and_chinese(client, demo):
    english = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert english.status_code == 404
    html = english.get_data(as_text=True)
    assert "Page not found" in html and "home page" in html
    assert "The requested URL was not found" not in html  # the library's stock words

    chinese = client.get("/no-such-page", headers=ZH).get_data(as_text=True)
    assert "页面不存在" in chinese
    assert "Page not found" not in chinese


def test_a_form_sent_without_its_token_says_it_expired_and_links_back(client, demo, staff):
    page = "http://localhost/login"
    response = client.post("/login", data={"email": staff[0], "password": staff[1]},
                           headers={**ZH, "Referer": page})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "表单已过期" in html
    assert "CSRF" not in html
    assert f'href="{page}"' in html  # back to the form, to reload it


def test_a_link_back_is_offered_only_to_a_page_of_this_site(client, demo, staff):
    response = client.post("/login", data={"email": staff[0]},
                           headers={"Referer": "https://elsewhere.example/form"})
    assert response.status_code == 400
    assert "elsewhere.example" not in response.get_data(as_text=True)


def test_a_description_given_where_the_error_arose_is_kept(client, demo):
    response = client.get("/programme.pdf?size=A3")
    assert response.status_code == 400
    assert "Paper size must be one of" in response.get_data(as_text=True)


def test_the_api_still_answers_problem_json(client, demo):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["title"] == "Not Found"
