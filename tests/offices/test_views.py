"""Data entry in the base app: clear Chinese messages, never a 500 or a partial write."""
import pytest
from django.urls import reverse

from offices.models import Population, TownshipOffice

pytestmark = pytest.mark.django_db


def test_clerk_enters_population(township, clerk, login):
    url = reverse("offices:population_edit", args=[township.code])
    response = login(clerk).post(url, {"year": 2025, "resident": 61234, "registered": 60000})
    assert response.status_code == 302
    assert Population.objects.get(township=township, year=2025).resident == 61234
    login(clerk).post(url, {"year": 2025, "resident": 62000, "registered": 60000})
    assert Population.objects.get(township=township, year=2025).resident == 62000


@pytest.mark.parametrize(
    ("data", "message"),
    [({"year": 2025, "resident": 0, "registered": 5}, "常住人口：请输入大于0的整数，例如 76550 或 7.6万。"),
     ({"year": 2025, "resident": "abc", "registered": 5}, "常住人口：请输入大于0的整数"),
     ({"year": 1800, "resident": 5, "registered": 5}, "年度：请输入1949至2100之间的年份，例如 2025。"),
     ({"year": 2025, "resident": 5}, "请填写户籍人口")],
)
def test_bad_population_names_the_field(township, clerk, login, data, message):
    response = login(clerk).post(reverse("offices:population_edit", args=[township.code]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Population.objects.exists()


def test_office_within_social_affairs_requires_parent(township, clerk, login):
    url = reverse("offices:office_edit", args=[township.code])
    response = login(clerk).post(url, {"name": "兰山街道民政办公室", "setup": "within_social_affairs"})
    assert response.status_code == 200 and "请填写社会事务办公室名称" in response.content.decode()
    assert not TownshipOffice.objects.exists()
    response = login(clerk).post(
        url, {"name": "兰山街道民政办公室", "setup": "within_social_affairs", "parent_office_name": "兰山街道社会事务办公室"}
    )
    assert response.status_code == 302
    assert TownshipOffice.objects.get().parent_office_name == "兰山街道社会事务办公室"
