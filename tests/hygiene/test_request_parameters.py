"""A NUL byte anywhere in a request is answered 400 before any view or query sees it.

PostgreSQL refuses a NUL in a string literal, so `?township=%00` (or the same in the path, a form
field or the session cookie) answered 500 there. Given such a request, on either database, the
answer is 400 with a Chinese message.
"""
import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

MESSAGE = "请求的网址、参数或表单中含有空字符（NUL），已拒绝。请检查链接或填写的内容后重试。"


def assert_refused(response):
    assert response.status_code == 400
    assert response.content.decode() == MESSAGE


@pytest.mark.parametrize("query", ["year=%00", "township=37%0013", "page=1%00", "%00=1", "kind=procedures&x=%00"])
def test_a_nul_in_a_query_parameter(township, clerk, login, query):
    assert_refused(login(clerk).get(f"{reverse('regulations:add', args=[township.code])}?{query}"))


def test_a_nul_in_the_path(clerk, login):
    assert_refused(login(clerk).get("/townships/371302%00001000/scorecard/"))


def test_a_nul_in_the_api_parameters(county_official, login):
    assert_refused(login(county_official).get(reverse("assessments:api_compliance"), {"year": "2025",
                                                                                       "county": "\x00"}))


def test_a_nul_in_a_form_field(township, clerk, login):
    response = login(clerk).post(reverse("offices:office_edit", args=[township.code]),
                                 {"name": "兰山街道民政办公室\x00", "setup": "standalone"})
    assert_refused(response)


def test_a_nul_in_the_login_form(client):
    assert_refused(client.post(reverse("login"), {"username": "admin\x00", "password": "x"}))


def test_a_nul_in_the_session_cookie(client):
    # A quoted cookie value may escape characters in octal: Django's cookie parser reads \000 as a NUL.
    cookie = f'{settings.SESSION_COOKIE_NAME}="\\000abcdefghijklmnop"'
    assert_refused(client.get(reverse("login"), HTTP_COOKIE=cookie))


def test_ordinary_requests_pass(township, clerk, login):
    client = login(clerk)
    assert client.get(reverse("regulations:list", args=[township.code]), {"year": "2025"}).status_code == 200
    assert client.get(reverse("regulations:list", args=[township.code]), {"year": "%"}).status_code == 200
