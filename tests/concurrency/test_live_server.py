"""No lost update, no duplicate, no 500 under concurrency: real simultaneous requests against a live server.

The live server (pytest-django's `live_server`) answers in threads of this process, each request on its own
database connection, so the requests below race as a clerk's double click or two clerks' saves would. They run
on PostgreSQL (`DATABASE_URL=postgres://…`) and on SQLite (a file database whose writers queue with BEGIN
IMMEDIATE, config/settings/base.py).

Measured before the issue (the note): 8 first saves of one population at once answered 500 for 39 of 128
requests, two clerks' saves lost one update in 4 of 4 scenarios, 8 concurrent "add staff" created 8 staff.
"""
import http.client
import re
import threading
from html import unescape
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from offices.models import Population
from staffing.models import StaffMember
from tests.factories.offices import PopulationFactory, TownshipFactory, UserFactory

YEAR = 2025
SIMULTANEOUS = 8


@pytest.fixture
def township(transactional_db):
    return TownshipFactory(code="371302001000", name="兰山街道", county__code="371302000000",
                           county__city__code="371300000000")


class Browser:
    """One signed-in browser: its cookies, real HTTP requests to the live server (no test client)."""

    def __init__(self, base_url, user):
        client = Client()
        client.force_login(user)  # the session row is committed (transactional_db): the live server reads it
        self.cookies = {"sessionid": client.cookies["sessionid"].value}
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port

    def request(self, method, path, data=None):
        """(status, Location header, body text); redirects are not followed."""
        connection_ = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        try:
            connection_.request(method, path, body=body, headers=headers)
            response = connection_.getresponse()
            text = response.read().decode()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _eq, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location", ""), text
        finally:
            connection_.close()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)

    def form(self, path):
        """GET a form page: its hidden fields (csrf token, form token, version) as a dict."""
        status, _location, html = self.get(path)
        assert status == 200, (path, status, html[:500])
        return {name: unescape(value) for name, value in
                re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)}


def at_once(calls):
    """Run the callables at the same moment (a barrier), each in its own thread; their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def population_url(township):
    return reverse("offices:population_edit", args=[township.code])


def messages_of(html):
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_simultaneous_first_saves_of_a_population_answer_no_500(live_server, township):
    clerk = UserFactory(role="township", township=township)
    browser = Browser(live_server.url, clerk)
    forms = [browser.form(population_url(township)) for _ in range(SIMULTANEOUS)]  # eight tabs, eight tokens
    calls = [
        (lambda form=form, index=index: browser.post(population_url(township), {
            **form, "year": YEAR, "resident": 60_000 + index, "registered": 60_000 + index}))
        for index, form in enumerate(forms)
    ]
    answers = at_once(calls)
    statuses = sorted(status for status, _location, _html in answers)
    assert all(status in (200, 302) for status in statuses), statuses
    assert Population.objects.filter(township=township, year=YEAR).count() == 1
    saved = Population.objects.get(township=township, year=YEAR).resident
    winners = [index for index, (status, _location, _html) in enumerate(answers) if status == 302]
    # Every save read the form when there was no population yet: the first one wins, the others are told.
    assert len(winners) == 1 and saved == 60_000 + winners[0], (statuses, saved)
    for index, (status, _location, html) in enumerate(answers):
        if status == 200:
            assert "保存失败：您打开此页后，他人已修改了这些数据" in messages_of(html), index


def test_two_clerks_saving_the_same_form_the_second_is_told_what_the_first_changed(live_server, township):
    PopulationFactory(township=township, year=YEAR - 1, resident=60_000, registered=60_000)
    PopulationFactory(township=township, year=YEAR, resident=60_000, registered=60_000)
    first = UserFactory(role="township", township=township, first_name="", last_name="张三")
    second = UserFactory(role="township", township=township, first_name="", last_name="李四")
    browsers = {"first": Browser(live_server.url, first), "second": Browser(live_server.url, second)}
    forms = {name: browser.form(population_url(township)) for name, browser in browsers.items()}
    assert forms["first"]["read_version"] == forms["second"]["read_version"]
    values = {"first": 61_000, "second": 62_000}
    answers = dict(zip(browsers, at_once([
        (lambda name=name: browsers[name].post(population_url(township), {
            **forms[name], "year": YEAR, "resident": values[name], "registered": values[name]}))
        for name in browsers
    ])))
    winners = [name for name, (status, _location, _html) in answers.items() if status == 302]
    assert len(winners) == 1, {name: status for name, (status, _l, _h) in answers.items()}
    winner, = winners
    loser = "second" if winner == "first" else "first"
    status, _location, html = answers[loser]
    text = messages_of(html)
    assert status == 200
    assert "保存失败：您打开此页后，他人已修改了这些数据" in text
    assert "60,000 → " + format(values[winner], ",") in text, text[:2000]
    assert (first if winner == "first" else second).display_name in text
    assert Population.objects.get(township=township, year=YEAR).resident == values[winner]


def test_simultaneous_resends_of_one_add_staff_form_create_one_person(live_server, township):
    clerk = UserFactory(role="township", township=township)
    browser = Browser(live_server.url, clerk)
    url = reverse("staffing:staff_add", args=[township.code])
    form = browser.form(url)
    assert form.get("form_token"), "the add-staff form carries no form_token"
    data = {**form, "name": "新人", "sex": "female", "birth_date": "1990-01-01", "education": "bachelor",
            "post": "staff", "full_time": "on", "qualification": "", "start_date": "2023-05-01", "end_date": ""}
    answers = at_once([lambda: browser.post(url, data) for _ in range(SIMULTANEOUS)])
    statuses = [status for status, _location, _html in answers]
    assert statuses == [302] * SIMULTANEOUS, statuses  # one saved, the others told 「该表单已保存过」 on the list
    assert StaffMember.objects.filter(township=township, name="新人").count() == 1


# --- Checks on the way in (not concurrency: the same page, one request) -------------------------------------------


@pytest.mark.django_db
def test_a_population_falling_from_76550_to_5_is_refused_until_confirmed(township, login):
    PopulationFactory(township=township, year=YEAR - 1, resident=76_550, registered=76_550)
    client = login(UserFactory(role="township", township=township))
    data = {"year": YEAR, "resident": "5", "registered": "76550"}
    response = client.post(population_url(township), data)
    assert response.status_code == 200
    text = messages_of(response.content.decode())
    assert "常住人口与2024年度相比变动超过30%（76,550人 → 5人）" in text, text[:3000]
    assert "确认变动无误" in text
    assert not Population.objects.filter(township=township, year=YEAR).exists()
    response = client.post(population_url(township), {**data, "confirmed": "on"})
    assert response.status_code == 302
    assert Population.objects.get(township=township, year=YEAR).resident == 5
