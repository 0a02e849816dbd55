"""A circular published before the supervision app existed still renders, in today's vocabulary.

Given a published circular whose frozen snapshot names the old "oversight" dimension and rule codes
"oversight.*", when its page and its download are rendered, then they show its frozen figures and
findings, the figures are read with "supervision" and "supervision.*", and the stored snapshot is
left exactly as it was frozen.
"""
import copy

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import circulars
from assessments.models import Circular
from offices.compliance import Dimension

pytestmark = pytest.mark.django_db

FINDING = {"code": "oversight.rectification", "dimension": "oversight", "title": "检查发现问题按期整改",
           "explanation": "截至2024-12-31，1项检查发现的问题逾期未整改：县级检查（2024-05-01，整改期限2024-06-30）",
           "missing": "1项"}
OLD_SNAPSHOT = {
    "version": 1,
    "city": {"code": "371300000000", "name": "临沂市"},
    "year": 2024,
    "taken_at": "2025-02-01T09:00:00+08:00",
    "overall": {"townships": 2, "passing": 1, "assessed": 2, "percent": 50.0, "posts_short": 0, "posts_surplus": 0,
                "funds_shortfall": "0.00", "area_shortfall": "0.00"},
    "dimensions": [
        {"key": "staffing", "label": "有人管事", "passing": 2, "assessed": 2, "percent": 100.0},
        {"key": "oversight", "label": "考评与检查", "passing": 1, "assessed": 2, "percent": 50.0},
    ],
    "counties": [{
        "rank": 1, "code": "371302000000", "name": "兰山区", "townships": 2, "passing": 1, "assessed": 2,
        "percent": 50.0, "posts_short": 0, "posts_surplus": 0, "posts_net": 0, "funds_shortfall": "0.00",
        "area_shortfall": "0.00", "missing_equipment": [],
        "failing": [{"code": "371302001000", "name": "兰山街道", "findings": [FINDING],
                     "rules": {"oversight.rectification": "fail", "staffing.posts_authorized": "pass"}}],
    }],
}


@pytest.fixture
def old_circular(city, city_staff):
    now = timezone.now()
    return Circular.objects.create(
        city=city, year=2024, title="关于2024年度乡镇民政办规范化建设情况的通报", state=Circular.State.PUBLISHED,
        snapshot=copy.deepcopy(OLD_SNAPSHOT), snapshot_taken_at=now, published_at=now, published_by=city_staff,
    )


def test_old_codes_and_dimension_keys_are_read_as_today(old_circular):
    figures = circulars.circular_figures_for(old_circular)
    assert [d["key"] for d in figures["dimensions"]] == ["staffing", Dimension.SUPERVISION]
    township = figures["counties"][0]["failing"][0]
    finding = township["findings"][0]
    assert (finding["code"], finding["dimension"]) == ("supervision.rectification", "supervision")
    assert township["rules"] == {"supervision.rectification": "fail", "staffing.posts_authorized": "pass"}
    # Codes of places, names and frozen wording are untouched.
    assert township["code"] == "371302001000" and figures["counties"][0]["code"] == "371302000000"
    assert finding["title"] == FINDING["title"] and finding["explanation"] == FINDING["explanation"]
    old_circular.refresh_from_db()
    assert old_circular.snapshot == OLD_SNAPSHOT  # the frozen record itself never changes


def test_a_circular_with_old_codes_renders(old_circular, city_staff, login):
    client = login(city_staff)
    detail = client.get(reverse("assessments:circular_detail", args=[old_circular.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "考评与检查达标1个" in html
    assert "兰山街道" in html and "检查发现问题按期整改缺1项" in html
    download = client.get(reverse("assessments:circular_download", args=[old_circular.pk]))
    assert download.status_code == 200 and "检查发现问题按期整改缺1项" in download.content.decode()


def test_current_snapshots_read_unchanged():
    current = copy.deepcopy(OLD_SNAPSHOT)
    current["dimensions"][1]["key"] = "supervision"
    current["counties"][0]["failing"][0]["findings"] = [{**FINDING, "code": "supervision.rectification",
                                                         "dimension": "supervision"}]
    current["counties"][0]["failing"][0]["rules"] = {"supervision.rectification": "fail",
                                                     "staffing.posts_authorized": "pass"}
    assert circulars.legacy_snapshot(current) == current
