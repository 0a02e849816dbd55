"""The regulations page says what the scorecard says, under a standard that is not the default."""
import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from offices.compliance import LEFT_OUT, Status
from offices.compliance.engine import township_compliance
from regulations import rules
from tests.factories.offices import StandardFactory
from tests.factories.regulations import RegulationDocumentFactory

pytestmark = pytest.mark.django_db

CODE = rules.REQUIRED_REGULATIONS.code
LABELS = {"procedures": "办事程序", "finance": "财务收支", "archives": "档案管理", "time_limit": "限时办结"}


class PageMarks(HTMLParser):
    """What the page marks: the rule's status, the kinds it shows as required, the kinds it shows as missing."""

    def __init__(self, html):
        super().__init__()
        self.status, self.required, self.missing = None, [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and attrs.get("data-rule") == CODE:
            self.status = attrs["data-status"]
        if tag == "tr" and "data-kind" in attrs:
            kind = attrs["data-kind"]
            if attrs.get("data-required") == "1" and kind not in self.required:
                self.required.append(kind)
            if attrs.get("data-missing") == "1":
                self.missing.append(kind)


def page(client, township, year):
    response = client.get(reverse("regulations:list", args=[township.code]), {"year": year})
    assert response.status_code == 200
    return PageMarks(response.content.decode())


@pytest.fixture
def three_regulations(township):
    """A county standard requiring three regulations (the default requires eight), finance listed first."""
    return StandardFactory(jurisdiction_code=township.code[:6], jurisdiction_name="兰山区",
                           required_regulations=["finance", "procedures", "archives"])


@pytest.mark.parametrize("year", [2024, 2025])
def test_page_agrees_with_the_scorecard(township, clerk, login, settings, tmp_path, three_regulations, year):
    settings.MEDIA_ROOT = str(tmp_path)
    RegulationDocumentFactory(township=township, kind="procedures", adopted_on=datetime.date(2020, 1, 1))
    RegulationDocumentFactory(township=township, kind="finance", adopted_on=datetime.date(2025, 3, 1))
    RegulationDocumentFactory(township=township, kind="time_limit", adopted_on=datetime.date(2020, 1, 1))

    marks = page(login(clerk), township, year)
    scorecard = township_compliance(township, year).result(CODE)

    assert marks.status == scorecard.status == Status.FAIL
    assert [LABELS[kind] for kind in marks.required] == scorecard.required == ["财务收支", "办事程序", "档案管理"]
    assert [LABELS[kind] for kind in marks.missing] == scorecard.gap == list(scorecard.items)
    # Finance adopted in March 2025 is missing at the end of 2024 and present at the end of 2025.
    assert marks.missing == (["finance", "archives"] if year == 2024 else ["archives"])
    assert "time_limit" not in marks.required  # shown, but not required by this standard


def test_a_standard_without_regulations_marks_nothing(township, clerk, login, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    StandardFactory(jurisdiction_code=township.code[:6], jurisdiction_name="兰山区", required_regulations=[])
    RegulationDocumentFactory(township=township, kind="procedures")

    marks = page(login(clerk), township, 2025)
    scorecard = township_compliance(township, 2025).result(CODE)

    assert marks.status == scorecard.status == Status.NOT_ASSESSED
    assert scorecard.explanation == str(LEFT_OUT)
    assert marks.required == [] and marks.missing == []
