"""Circulars: a draft shows live figures; publishing freezes them for good."""
import copy
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import circulars
from assessments.models import Circular
from offices.services import population_set
from tests.assessments.oversight_fixtures import add_townships
from tests.factories.offices import CityFactory, CountyFactory, UserFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db


def body(html):
    """The circular itself (the page around it carries a fresh CSRF token)."""
    return html[html.index('<article class="circular"'):html.index("</article>")]


@pytest.fixture
def draft(small_city):
    return circulars.circular_create(city=small_city.city, year=2025, title="关于全市乡镇民政办规范化建设情况的通报",
                                     reference="临民字〔2025〕12号", preface="根据年度考核安排，现将有关情况通报如下。")


class TestServices:
    def test_figures_rank_counties_and_name_what_townships_lack(self, draft):
        figures = circulars.circular_figures(draft.city, 2025)
        assert [(c["rank"], c["name"], c["percent"]) for c in figures["counties"]] == [(1, "兰山区", 50.0),
                                                                                       (2, "罗庄区", 0.0)]
        luozhuang = figures["counties"][1]["failing"][0]
        assert luozhuang["name"] == "罗庄镇"
        assert {f["title"]: f["missing"] for f in luozhuang["findings"]}["办公设备"] == "打印机、影录设备"
        assert figures["overall"] | {} == figures["overall"]  # plain JSON data
        assert figures["overall"]["funds_shortfall"] == "10000.00"

    def test_publish_freezes_the_snapshot(self, draft, city_staff, small_city):
        published = circulars.circular_publish(circular=draft, user=city_staff)
        assert published.state == Circular.State.PUBLISHED
        assert published.snapshot_taken_at == published.published_at
        frozen = published.snapshot
        # the data change after publication …
        population_set(township=small_city.townships[2], year=2025, resident=30_000, registered=30_000)
        published.refresh_from_db()
        # … the published circular does not; a new draft would
        assert circulars.circular_figures_for(published) == frozen
        assert frozen["counties"][1]["percent"] == 0.0
        assert circulars.circular_figures(draft.city, 2025)["counties"][0]["name"] == "罗庄区"

    def test_publishing_twice_is_refused(self, draft, city_staff):
        circulars.circular_publish(circular=draft, user=city_staff)
        with pytest.raises(ValidationError):
            circulars.circular_publish(circular=draft, user=city_staff)

    def test_published_circular_cannot_be_edited(self, draft, city_staff):
        published = circulars.circular_publish(circular=draft, user=city_staff)
        with pytest.raises(ValidationError):
            circulars.circular_update(circular=published, title="改")

    def test_create_validates(self, small_city):
        with pytest.raises(ValidationError) as error:
            circulars.circular_create(city=small_city.city, year=2025, title="")
        assert "title" in error.value.message_dict
        assert not Circular.objects.exists()


class TestViews:
    def test_create_then_preview(self, small_city, city_staff, login):
        client = login(city_staff)
        page = client.get(reverse("assessments:circular_create"))
        assert page.status_code == 200
        assert "关于全市乡镇民政办规范化建设情况的通报" in page.content.decode()
        response = client.post(reverse("assessments:circular_create"),
                               {"year": 2025, "title": "关于全市乡镇民政办规范化建设情况的通报", "reference": "临民字〔2025〕1号",
                                "preface": "现将情况通报如下。"})
        circular = Circular.objects.get()
        assert response["Location"] == reverse("assessments:circular_detail", args=[circular.pk])
        html = client.get(response["Location"]).content.decode()
        assert "罗庄镇" in html and "缺打印机、影录设备" in html
        assert "草稿" in html

    def test_bad_input_gets_a_chinese_message_and_no_write(self, small_city, city_staff, login):
        page = login(city_staff).post(reverse("assessments:circular_create"), {"year": 1999, "title": "  "})
        assert page.status_code == 200
        html = page.content.decode()
        assert "年度“1999”没有数据" in html and "请填写通报标题" in html
        assert not Circular.objects.exists()

    def test_publish_and_edit_after(self, draft, small_city, city_staff, login):
        client = login(city_staff)
        response = client.post(reverse("assessments:circular_publish", args=[draft.pk]))
        assert response.status_code == 302
        before = client.get(reverse("assessments:circular_detail", args=[draft.pk])).content.decode()
        assert "已发布" in before and "罗庄镇" in before
        population_set(township=small_city.townships[2], year=2025, resident=30_000, registered=30_000)
        add_townships(small_city.counties[1], 2, population=200_000)
        after = client.get(reverse("assessments:circular_detail", args=[draft.pk])).content.decode()
        assert body(after) == body(before)

    def test_publish_needs_post(self, draft, city_staff, login):
        assert login(city_staff).get(reverse("assessments:circular_publish", args=[draft.pk])).status_code == 405

    def test_download_is_a_self_contained_html(self, draft, city_staff, login):
        response = login(city_staff).get(reverse("assessments:circular_download", args=[draft.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert f"filename*=utf-8''{quote(draft.title + '.html')}" in response["Content-Disposition"]
        html = response.content.decode()
        assert "@page" in html and "size: A4" in html and "<link" not in html and "<script" not in html
        assert "临民字〔2025〕12号" in html and "兰山区" in html

    def test_scope(self, draft, small_city, county_official, clerk, city_staff, login):
        detail = reverse("assessments:circular_detail", args=[draft.pk])
        # counties see published circulars of their city only; drafts stay with the city bureau
        assert login(county_official).get(detail).status_code == 404
        assert "暂无通报" in login(county_official).get(reverse("assessments:circular_list")).content.decode()
        circulars.circular_publish(circular=draft, user=city_staff)
        assert login(county_official).get(detail).status_code == 200
        assert login(county_official).post(reverse("assessments:circular_publish", args=[draft.pk])).status_code == 403
        assert login(clerk).get(detail).status_code == 403
        stranger = UserFactory(role="city", city=CityFactory(code="371400000000"))
        assert login(stranger).get(detail).status_code == 404
        assert login(stranger).get(reverse("assessments:circular_list")).context["circulars"].count() == 0

    def test_detail_query_count_is_fixed(self, draft, small_city, city_staff, login, django_assert_max_num_queries):
        client = login(city_staff)
        url = reverse("assessments:circular_detail", args=[draft.pk])
        client.get(url)
        fill_store()  # the services keep the store current; count the page's own reads
        with django_assert_max_num_queries(40) as few:
            client.get(url)
        add_townships(small_city.counties[1], 18)
        fill_store()  # the services keep the store current; count the page's own reads
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url)


class TestEditDraft:
    def test_city_staff_correct_a_draft(self, small_city, city_staff, login):
        client = login(city_staff)
        circular = circulars.circular_create(city=small_city.city, year=2025, title="草稿", reference="", preface="")
        url = reverse("assessments:circular_edit", args=[circular.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"year": 2025, "title": "关于2025年度规范化建设的通报", "reference": "临民字〔2025〕3号",
                                     "preface": "经检查"})
        assert response.status_code == 302 and response["Location"].endswith(f"/circulars/{circular.pk}/")
        circular.refresh_from_db()
        assert (circular.title, circular.reference) == ("关于2025年度规范化建设的通报", "临民字〔2025〕3号")

    def test_published_circular_cannot_be_edited(self, small_city, city_staff, login):
        client = login(city_staff)
        circular = circulars.circular_create(city=small_city.city, year=2025, title="通报", reference="", preface="")
        circulars.circular_publish(circular=circular, user=city_staff)
        response = client.post(reverse("assessments:circular_edit", args=[circular.pk]),
                               {"year": 2025, "title": "改", "reference": "", "preface": ""})
        assert response.status_code == 200 and "已发布的通报不能修改" in response.content.decode()
        circular.refresh_from_db()
        assert circular.title == "通报"

    def test_counties_cannot_edit(self, small_city, county_official, city_staff, login):
        circular = circulars.circular_create(city=small_city.city, year=2025, title="草稿", reference="", preface="")
        response = login(county_official).get(reverse("assessments:circular_edit", args=[circular.pk]))
        assert response.status_code == 403


def snapshot_county(rank, code, name, passing, assessed):
    """A county of a version 1 snapshot (no "tied"), as circulars stored them."""
    return {"rank": rank, "code": code, "name": name, "townships": assessed, "passing": passing, "assessed": assessed,
            "percent": round(passing / assessed * 100, 1) if assessed else None, "posts_short": 0, "posts_surplus": 0,
            "posts_net": 0, "funds_shortfall": "0.00", "area_shortfall": "0.00", "missing_equipment": [], "failing": []}


class TestTiedRanks:
    """Counties with the same share passing share a rank, printed 「并列第2」; the next rank counts all of them."""

    def test_tied_counties_share_a_rank_and_are_marked(self):
        counties = [snapshot_county(0, "3", "丙", 1, 2), snapshot_county(0, "1", "甲", 0, 2),
                    snapshot_county(0, "2", "乙", 1, 2), snapshot_county(0, "4", "丁", 0, 0),
                    snapshot_county(0, "5", "戊", 0, 3), snapshot_county(0, "6", "己", 2, 3)]
        ranked = circulars.ranked(counties)
        assert [(c["code"], c["rank"], c["tied"]) for c in ranked] == [
            ("6", 1, False), ("2", 2, True), ("3", 2, True), ("1", 4, True), ("5", 4, True), ("4", 6, False)]
        assert {k: v for k, v in ranked[0].items() if k != "tied"} | {"rank": 0} == counties[5]  # figures carried
        assert counties[5]["rank"] == 0 and "tied" not in counties[5]  # and the input is not changed

    def test_a_circular_prints_tied_counties_with_one_rank(self, small_city, city_staff, login):
        # 罗庄区 (罗庄镇, 90,000) and 河东区 (one township of 90,000) pass no township: they tie for second.
        hedong = CountyFactory(city=small_city.city, code="371312000000", name="河东区", kind="district")
        add_townships(hedong, 1, population=90_000)
        draft = circulars.circular_create(city=small_city.city, year=2025, title="通报")
        figures = circulars.circular_figures(small_city.city, 2025)
        assert [(c["rank"], c["name"], c["tied"]) for c in figures["counties"]] == [
            (1, "兰山区", False), (2, "罗庄区", True), (2, "河东区", True)]
        circulars.circular_publish(circular=draft, user=city_staff)
        html = body(login(city_staff).get(reverse("assessments:circular_detail", args=[draft.pk])).content.decode())
        assert html.count('<td data-rank="2" data-tied>并列第2</td>') == 2
        assert '<td data-rank="1">1</td>' in html

    def test_an_old_snapshot_numbering_ties_by_code_reads_with_one_rank(self, city, city_staff, login):
        # Circulars published before ranks were shared numbered tied counties 2, 3 by code; the snapshot is frozen.
        snapshot = {"version": 1, "city": {"code": city.code, "name": city.name}, "year": 2024,
                    "taken_at": "2025-02-01T09:00:00+08:00",
                    "overall": {"townships": 4, "passing": 1, "assessed": 4, "percent": 25.0, "posts_short": 0,
                                "posts_surplus": 0, "funds_shortfall": "0.00", "area_shortfall": "0.00"},
                    "dimensions": [],
                    "counties": [snapshot_county(1, "371302000000", "兰山区", 1, 2),
                                 snapshot_county(2, "371311000000", "罗庄区", 0, 1),
                                 snapshot_county(3, "371312000000", "河东区", 0, 1)]}
        now = timezone.now()
        old = Circular.objects.create(city=city, year=2024, title="通报", state=Circular.State.PUBLISHED,
                                      snapshot=copy.deepcopy(snapshot), snapshot_taken_at=now, published_at=now,
                                      published_by=city_staff)
        figures = circulars.circular_figures_for(old)
        assert [(c["rank"], c["name"], c["tied"]) for c in figures["counties"]] == [
            (1, "兰山区", False), (2, "罗庄区", True), (2, "河东区", True)]
        assert figures["overall"] == snapshot["overall"]
        client = login(city_staff)
        for name in ("assessments:circular_detail", "assessments:circular_download"):
            html = body(client.get(reverse(name, args=[old.pk])).content.decode())
            assert html.count('<td data-rank="2" data-tied>并列第2</td>') == 2, name
            assert 'data-rank="3"' not in html
        old.refresh_from_db()
        assert old.snapshot == snapshot  # the frozen record itself never changes
