"""A regulation replaced by a new version or retired: kept with its file, counted only in the years it was in force.

A regulation counts in year Y when adopted_on.year ≤ Y and (retired_on is null or retired_on.year > Y); the
SQL (`in_force`) and the Python (`counts_in`) say the same; the services ask the lock, validate in Chinese
naming the field, leave history rows, and the page lists retired ones with their dates and replacement.
"""
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offices.acting import acting_as
from offices.compliance import store
from offices.compliance.engine import township_compliance
from offices.history import TRACKED
from offices.models import AnnualReport, ReportState, Township
from regulations import compliance, rules, services
from regulations.models import RegulationDocument, in_force
from tests.factories.offices import StandardFactory
from tests.factories.regulations import PDF_BYTES, PNG_BYTES, RegulationDocumentFactory
from tests.store import fill_store

pytestmark = pytest.mark.django_db

CODE = rules.REQUIRED_REGULATIONS.code
ALL_KINDS = ["procedures", "post_responsibility", "service_commitment", "archives",
             "first_inquiry", "time_limit", "finance", "assessment_rewards"]
ADDRESS = "10.8.0.12"
MID_2024 = datetime.date(2024, 6, 30)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def all_adopted(township):
    """Every kind the default standard requires, adopted in 2020; returns the finance document."""
    StandardFactory()
    documents = {kind: RegulationDocumentFactory(township=township, kind=kind, adopted_on=datetime.date(2020, 1, 1))
                 for kind in ALL_KINDS}
    return documents["finance"]


def status(township, year):
    result = township_compliance(township, year).result(CODE)
    return result.status, result.gap


def upload(name="新版财务制度.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content)


def stored_files(root):
    return sorted(path.name for path in root.rglob("*") if path.is_file())


# --- the rule: which years a document counts in ---------------------------------------------------------------

dates = st.dates(min_value=datetime.date(2018, 1, 1), max_value=datetime.date(2026, 12, 31))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=st.lists(st.tuples(dates, st.none() | st.integers(min_value=0, max_value=2000)), min_size=1, max_size=6))
def test_sql_and_python_agree_on_the_years_a_document_counts(township, spans):
    RegulationDocument.objects.all().delete()
    documents = [
        RegulationDocumentFactory(township=township, adopted_on=adopted,
                                  retired_on=None if days is None else adopted + datetime.timedelta(days=days))
        for adopted, days in spans
    ]
    for year in range(2017, 2029):
        in_sql = set(RegulationDocument.objects.filter(in_force(year)).values_list("pk", flat=True))
        assert in_sql == {d.pk for d in documents if d.counts_in(year)}, year
        kinds = compliance.gather(Township.objects.filter(pk=township.pk), year)[township.pk]
        assert kinds == ({"procedures"} if in_sql else set())


@pytest.mark.parametrize(("retired_on", "counts"), [
    (datetime.date(2024, 1, 1), {2023: True, 2024: False, 2025: False}),
    (datetime.date(2024, 12, 31), {2023: True, 2024: False, 2025: False}),
    (datetime.date(2025, 1, 1), {2023: True, 2024: True, 2025: False}),
])
def test_a_document_retired_in_a_year_no_longer_counts_for_that_year(township, retired_on, counts):
    document = RegulationDocumentFactory(township=township, adopted_on=datetime.date(2020, 1, 1), retired_on=retired_on)
    assert {year: document.counts_in(year) for year in counts} == counts


# --- retirement -------------------------------------------------------------------------------------------------


def test_a_retirement_counts_before_its_year_and_not_from_it(township, all_adopted, clerk, media_root):
    fill_store(years=(2023, 2024, 2025))
    assert status(township, 2024) == ("pass", [])
    with acting_as(clerk):
        services.regulation_retire(document=all_adopted, retired_on=MID_2024, reason="已并入新的内控制度")

    assert status(township, 2023) == ("pass", [])
    assert status(township, 2024) == ("fail", ["财务收支"])
    assert status(township, 2025) == ("fail", ["财务收支"])
    for year in (2023, 2024, 2025):  # the service recomputed the stored results
        assert store.differences(Township.objects.filter(pk=township.pk), year) == []
    all_adopted.refresh_from_db()
    assert (all_adopted.retired_on, all_adopted.retire_reason, all_adopted.superseded_by) == (
        MID_2024, "已并入新的内控制度", None)
    assert str(all_adopted.status_label) == "已废止"
    assert all_adopted.file.name and "rule" in stored_files(media_root)[0]  # the record and its file are kept


def test_a_retirement_leaves_a_history_row_with_who_and_the_dates(township, all_adopted, clerk, login):
    response = login(clerk).post(reverse("regulations:retire", args=[township.code, all_adopted.pk]),
                                 {"retired_on": "2024年6月30日", "reason": "已并入新的内控制度"}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    row = RegulationDocument.history.filter(id=all_adopted.pk).latest()
    assert (row.history_type, row.history_user_id, row.history_address, row.retired_on, row.retire_reason) == (
        "~", clerk.pk, ADDRESS, MID_2024, "已并入新的内控制度")
    # The 变更记录 page finds the change in the year of the retirement, and not in a year before the adoption.
    tracked = TRACKED["regulations.regulationdocument"]
    assert tracked.rows(township.pk, 2024).filter(history_id=row.history_id).exists()
    assert not tracked.rows(township.pk, 2019).exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"retired_on": "", "reason": "不再适用"}, "请填写废止日期"),
    ({"retired_on": "2019-12-31", "reason": "不再适用"},
     "废止日期（2019-12-31）不能早于原制度“兰山街道财务收支制度”的印发日期（2020-01-01）"),
    ({"retired_on": "tomorrow", "reason": "不再适用"}, "废止日期不能晚于今天"),
    ({"retired_on": "2024-06-30", "reason": ""}, "请填写废止原因"),
    ({"retired_on": "2024-06-30", "reason": "   "}, "请填写废止原因"),
])
def test_a_bad_retirement_is_refused_in_chinese_naming_the_field(township, all_adopted, clerk, login, data, message):
    if data["retired_on"] == "tomorrow":
        data = {**data, "retired_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}
    response = login(clerk).post(reverse("regulations:retire", args=[township.code, all_adopted.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    all_adopted.refresh_from_db()
    assert all_adopted.retired_on is None
    assert RegulationDocument.history.filter(id=all_adopted.pk).count() == 1  # only the creation


def test_the_service_validates_without_the_form(township, all_adopted):
    with pytest.raises(ValidationError) as error:
        services.regulation_retire(document=all_adopted, retired_on=datetime.date(2019, 1, 1), reason="不再适用")
    assert [e.code for e in error.value.error_dict["retired_on"]] == ["retired_before_adopted"]
    with pytest.raises(ValidationError) as error:
        services.regulation_retire(document=all_adopted, retired_on=MID_2024, reason="")
    assert list(error.value.message_dict) == ["reason"]


def test_a_retired_document_cannot_be_retired_or_replaced_again(township, all_adopted):
    services.regulation_retire(document=all_adopted, retired_on=MID_2024, reason="不再适用")
    with pytest.raises(ValidationError) as error:
        services.regulation_retire(document=all_adopted, retired_on=datetime.date(2025, 1, 1), reason="再次")
    assert error.value.code == "already_retired"
    assert "已于2024-06-30废止，不能再替换或废止" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        services.regulation_replace(document=all_adopted, title="新制度", adopted_on=datetime.date(2025, 1, 1),
                                    file=upload())
    assert error.value.code == "already_retired"
    assert RegulationDocument.objects.filter(kind="finance").count() == 1


# --- replacement ------------------------------------------------------------------------------------------------


def test_a_replacement_keeps_the_old_one_linked_and_leaves_no_gap(township, all_adopted, clerk, media_root):
    fill_store(years=(2023, 2024, 2025))
    with acting_as(clerk):
        new = services.regulation_replace(document=all_adopted, title="兰山街道财务收支管理办法（2024年修订）",
                                          adopted_on=MID_2024, file=upload())
    all_adopted.refresh_from_db()
    assert (all_adopted.retired_on, all_adopted.superseded_by, str(all_adopted.status_label)) == (
        MID_2024, new, "被替代")
    assert all_adopted.retire_reason == ""  # no note given: the link to the new version says why
    assert (new.kind, new.adopted_on, new.retired_on, new.filename) == ("finance", MID_2024, None, "新版财务制度.pdf")
    assert list(new.supersedes.all()) == [all_adopted]
    for year in (2023, 2024, 2025):
        assert status(township, year) == ("pass", []), year
        assert store.differences(Township.objects.filter(pk=township.pk), year) == []
    assert {all_adopted.counts_in(2023), all_adopted.counts_in(2024), new.counts_in(2023), new.counts_in(2024)} \
        == {True, False} and not all_adopted.counts_in(2024) and new.counts_in(2024)
    assert len(stored_files(media_root)) == len(ALL_KINDS) + 1  # the old file is still there
    # History: the old one changed, the new one created, both by the clerk.
    old_row = RegulationDocument.history.filter(id=all_adopted.pk).latest()
    new_row = RegulationDocument.history.get(id=new.pk)
    assert (old_row.history_type, old_row.superseded_by_id, old_row.history_user_id) == ("~", new.pk, clerk.pk)
    assert (new_row.history_type, new_row.history_user_id) == ("+", clerk.pk)


def test_a_replaced_document_cannot_be_replaced_again(township, all_adopted):
    new = services.regulation_replace(document=all_adopted, title="新版", adopted_on=MID_2024, file=upload(),
                                      reason="  依据2024年省厅通知修订 ")
    all_adopted.refresh_from_db()
    assert all_adopted.retire_reason == "依据2024年省厅通知修订"
    with pytest.raises(ValidationError) as error:
        services.regulation_replace(document=all_adopted, title="又一版", adopted_on=MID_2024, file=upload())
    assert error.value.code == "already_retired"
    assert "已于2024-06-30被新版本替代，不能再替换或废止；请对新版本操作" in error.value.messages[0]
    # The new version can itself be replaced later.
    newest = services.regulation_replace(document=new, title="又一版", adopted_on=datetime.date(2025, 2, 1),
                                         file=upload())
    new.refresh_from_db()
    assert new.superseded_by == newest and new.retired_on == datetime.date(2025, 2, 1)


@pytest.mark.parametrize(("data", "message"), [
    ({"title": "", "adopted_on": "2024-06-30"}, "请填写新版本名称"),
    ({"title": "新版", "adopted_on": ""}, "请填写新版本的印发日期"),
    ({"title": "新版", "adopted_on": "2019-05-01"},
     "新版本的印发日期（2019-05-01）不能早于原制度“兰山街道财务收支制度”的印发日期（2020-01-01）"),
    ({"title": "新版", "adopted_on": "tomorrow"}, "新版本的印发日期不能晚于今天"),
    ({"title": "新版", "adopted_on": "2024-06-30", "file": ("规则.pdf", PNG_BYTES)},
     "制度文件的扩展名“.pdf”与文件内容不符"),
    ({"title": "新版", "adopted_on": "2024-06-30", "file": None}, "请选择要上传的制度文件"),
])
def test_a_bad_replacement_is_refused_in_chinese_and_stores_nothing(
    township, all_adopted, clerk, login, media_root, data, message
):
    before = stored_files(media_root)
    if data["adopted_on"] == "tomorrow":
        data = {**data, "adopted_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}
    file = data.pop("file", ("新版.pdf", PDF_BYTES))
    if file is not None:
        data["file"] = upload(*file)
    response = login(clerk).post(reverse("regulations:replace", args=[township.code, all_adopted.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    all_adopted.refresh_from_db()
    assert all_adopted.retired_on is None and all_adopted.superseded_by is None
    assert RegulationDocument.objects.count() == len(ALL_KINDS)
    assert stored_files(media_root) == before


# --- locks ------------------------------------------------------------------------------------------------------


def lock(township, year=2024, state=ReportState.SUBMITTED):
    return AnnualReport.objects.create(township=township, year=year, state=state)


def test_a_locked_year_refuses_a_retirement_or_replacement_dated_in_it(township, all_adopted, clerk, login, media_root):
    lock(township)
    client = login(clerk)
    before = stored_files(media_root)
    response = client.post(reverse("regulations:retire", args=[township.code, all_adopted.pk]),
                           {"retired_on": "2024-06-30", "reason": "不再适用"})
    assert response.status_code == 200 and "2024年度填报已报送" in response.content.decode()
    response = client.post(reverse("regulations:replace", args=[township.code, all_adopted.pk]),
                           {"title": "新版", "adopted_on": "2024-06-30", "file": upload()})
    assert response.status_code == 200 and "2024年度填报已报送" in response.content.decode()
    all_adopted.refresh_from_db()
    assert all_adopted.retired_on is None and RegulationDocument.objects.count() == len(ALL_KINDS)
    assert stored_files(media_root) == before
    assert RegulationDocument.history.filter(id=all_adopted.pk).count() == 1


def test_a_retirement_after_the_locked_year_is_saved(township, all_adopted, clerk):
    lock(township, year=2024, state=ReportState.ACCEPTED)
    today = timezone.localdate()
    with acting_as(clerk):
        services.regulation_retire(document=all_adopted, retired_on=datetime.date(today.year, 1, 1), reason="废止")
    all_adopted.refresh_from_db()
    assert all_adopted.retired_on == datetime.date(today.year, 1, 1)
    assert status(township, 2024) == ("pass", [])  # the accepted year is as it was


def test_an_accepted_year_refuses_the_system_too(township, all_adopted):
    lock(township, state=ReportState.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        services.regulation_replace(document=all_adopted, title="新版", adopted_on=MID_2024, file=upload())
    assert error.value.code == "locked"


# --- pages ------------------------------------------------------------------------------------------------------


def list_page(client, township, year=2025):
    response = client.get(reverse("regulations:list", args=[township.code]), {"year": year})
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_offers_replace_and_retire_to_the_clerk_only(township, all_adopted, clerk, county_official, login):
    html = list_page(login(clerk), township)
    assert reverse("regulations:replace", args=[township.code, all_adopted.pk]) in html
    assert reverse("regulations:retire", args=[township.code, all_adopted.pk]) in html
    assert "替换" in html and "废止" in html
    html = list_page(login(county_official), township)
    assert reverse("regulations:replace", args=[township.code, all_adopted.pk]) not in html
    assert "retired-regulations" not in html  # nothing retired yet


def test_the_list_shows_retired_ones_with_dates_and_the_replacement(
    township, all_adopted, clerk, county_official, login
):
    new = services.regulation_replace(document=all_adopted, title="财务收支管理办法（修订）", adopted_on=MID_2024,
                                      file=upload())
    archives = RegulationDocument.objects.get(township=township, kind="archives")
    services.regulation_retire(document=archives, retired_on=datetime.date(2025, 3, 1), reason="上级文件已废止")
    for user in (clerk, county_official):
        html = list_page(login(user), township)
        retired = html[html.index('id="retired-regulations"'):]
        current = html[:html.index('id="retired-regulations"')]
        assert f'data-retired="{all_adopted.pk}"' in retired and f'data-retired="{archives.pk}"' in retired
        assert "被替代" in retired and "2024-06-30" in retired and "已废止" in retired and "2025-03-01" in retired
        assert "上级文件已废止" in retired
        assert f'href="#regulation-{new.pk}"' in retired and "财务收支管理办法（修订）" in retired
        assert f'id="regulation-{new.pk}"' in current  # the link lands on the new version's row
        assert f'id="regulation-{all_adopted.pk}"' not in current
    # 2025: archives retired in 2025 is missing; finance is covered by the new version.
    assert status(township, 2025) == ("fail", ["档案管理"])


def test_the_file_of_a_retired_document_still_downloads(township, all_adopted, clerk, county_official, login):
    services.regulation_replace(document=all_adopted, title="新版", adopted_on=MID_2024, file=upload())
    for user in (clerk, county_official):
        response = login(user).get(reverse("regulations:download", args=[township.code, all_adopted.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_read_only_roles_and_other_clerks_cannot_replace_or_retire(
    township, other_township, all_adopted, county_official, city_staff, login
):
    from tests.factories.offices import UserFactory

    for name in ("regulations:replace", "regulations:retire"):
        url = reverse(name, args=[township.code, all_adopted.pk])
        for user in (county_official, city_staff):
            assert login(user).get(url).status_code == 403
        other_clerk = UserFactory(role="township", township=other_township)
        assert login(other_clerk).get(url).status_code == 404
        # A document of another township under this township's code is not found either.
        foreign = RegulationDocumentFactory(township=other_township)
        assert login(other_clerk).get(reverse(name, args=[other_township.code, foreign.pk])).status_code == 200
        assert login(other_clerk).get(reverse(name, args=[township.code, foreign.pk])).status_code == 404
    all_adopted.refresh_from_db()
    assert all_adopted.retired_on is None


def test_the_forms_carry_a_version_and_a_token_and_save_once(township, all_adopted, clerk, login):
    client = login(clerk)
    url = reverse("regulations:retire", args=[township.code, all_adopted.pk])
    html = client.get(url).content.decode()
    assert 'name="read_version"' in html and "兰山街道财务收支制度" in html
    token = re.search(r'name="form_token" value="([^"]*)"', html).group(1)
    version = re.search(r'name="read_version" value="([^"]*)"', html).group(1)
    data = {"retired_on": "2024-06-30", "reason": "不再适用", "form_token": token, "read_version": version}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the double click: saved once, no error
    assert RegulationDocument.history.filter(id=all_adopted.pk).count() == 2


def test_a_stale_form_is_refused_with_the_other_change(township, all_adopted, clerk, login):
    client = login(clerk)
    url = reverse("regulations:replace", args=[township.code, all_adopted.pk])
    html = client.get(url).content.decode()
    version = re.search(r'name="read_version" value="([^"]*)"', html).group(1)
    services.regulation_retire(document=all_adopted, retired_on=MID_2024, reason="另一人已废止")
    response = client.post(url, {"title": "新版", "adopted_on": "2024-06-30", "file": upload(),
                                 "read_version": version})
    assert response.status_code == 200
    assert RegulationDocument.objects.count() == len(ALL_KINDS)


def test_the_list_keeps_its_query_count(township, all_adopted, clerk, login, django_assert_max_num_queries):
    for kind in ("archives", "procedures"):
        document = RegulationDocument.objects.get(township=township, kind=kind)
        services.regulation_replace(document=document, title=f"{kind}新版", adopted_on=MID_2024, file=upload())
    client = login(clerk)
    fill_store()
    with django_assert_max_num_queries(13):
        list_page(client, township)
