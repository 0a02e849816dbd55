"""The staffing lists as offices.tables lists: 序号 across pages, sorting each list on its own, red for a shortfall
or a finding, the clerk's buttons, and the same rows as a file; out of scope still 404, and the page's queries do
not grow with its rows."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.offices import PopulationFactory, StandardFactory, UserFactory, VillageFactory
from tests.factories.staffing import AuthorizedPostsFactory, StaffMemberFactory, VillageAssistantFactory
from tests.listing import column, exported, row_count, table_rows
from tests.store import fill_store

pytestmark = pytest.mark.django_db

YEAR = 2025
STAFF_HEADERS = ["序号", "姓名", "岗位", "性别", "出生日期", "学历", "专职", "社会工作职业资格", "到岗日期", "离岗日期"]


def staff_page(client, township, **params):
    return client.get(reverse("staffing:staff_list", args=[township.code]), {"year": YEAR, **params})


def assistant_page(client, township, **params):
    return client.get(reverse("staffing:assistant_list", args=[township.code]), {"year": YEAR, **params})



@pytest.fixture
def staff(township):
    StaffMemberFactory(township=township, name="张主任", director=True, birth_date=datetime.date(1975, 5, 1),
                       education="postgraduate", qualification="social_worker", start_date=datetime.date(2012, 1, 1))
    StaffMemberFactory(township=township, name="李四", sex="male", full_time=False, education="junior_college",
                       start_date=datetime.date(2019, 9, 1))
    StaffMemberFactory(township=township, name="王五", start_date=datetime.date(2016, 4, 1))
    StaffMemberFactory(township=township, name="已离岗甲", end_date=datetime.date(2024, 6, 30))
    StaffMemberFactory(township=township, name="新到岗乙", start_date=datetime.date(2026, 2, 1))


# --- the staff page -----------------------------------------------------------------------------------------------

def test_staff_lists_show_the_people_with_numbers_and_the_clerks_buttons(township, clerk, login, staff):
    html = staff_page(login(clerk), township).content.decode()
    in_post = table_rows(html, "in_post")
    assert [row["number"] for row in in_post] == [1, 2, 3]
    assert [row["name"] for row in in_post] == ["张主任", "王五", "李四"]  # post, then start date, as before
    director = in_post[0]
    assert (director["post"], director["sex"], director["birth_date"], director["education"], director["full_time"],
            director["qualification"], director["start_date"], director["end_date"]) == (
        "民政办公室主任", "女", "1975-05-01", "研究生", "是", "社会工作师", "2012-01-01", "—")
    assert in_post[2]["full_time"] == "否" and in_post[2]["qualification"] == "无"
    assert row_count(html, "in_post") == 3 and "2025年末在岗（3人）" in html
    assert column(html, "others", "name") == ["已离岗甲", "新到岗乙"] and row_count(html, "others") == 2
    assert column(html, "others", "end_date") == ["2024-06-30", "—"]
    # The clerk edits each person and ends those still in post.
    assert html.count("/edit/") == 5
    assert html.count('/end/">离岗</a>') == 4  # not 已离岗甲, who has an end date


def test_read_only_users_see_the_lists_without_buttons(township, county_official, login, staff):
    html = staff_page(login(county_official), township).content.decode()
    assert column(html, "in_post", "name") == ["张主任", "王五", "李四"]
    assert "/edit/" not in html and "/end/" not in html
    assert html.count('data-testid="export"') == 3  # in post, others, posts: each list exports


def test_staff_sorts_each_list_on_its_own_and_keeps_the_year(township, clerk, login, staff):
    client = login(clerk)
    html = staff_page(client, township, **{"in_post-sort": "name"}).content.decode()
    ascending = column(html, "in_post", "name")
    assert ascending == sorted(["张主任", "王五", "李四"])
    assert column(staff_page(client, township, **{"in_post-sort": "-name"}).content.decode(), "in_post",
                  "name") == ascending[::-1]
    assert column(html, "others", "name") == ["已离岗甲", "新到岗乙"]  # the other list is not sorted by it
    assert 'aria-sort="ascending" data-sort="name"' in html
    assert "?year=2025&amp;in_post-sort=-name#in_post" in html  # the header reverses the sort, keeping the year
    # Education sorts by level (lowest first), not by the stored code.
    html = staff_page(client, township, **{"in_post-sort": "-education"}).content.decode()
    assert column(html, "in_post", "education") == ["研究生", "大学本科", "大专"]
    html = staff_page(client, township, **{"in_post-sort": "start_date", "others-sort": "-start_date"}).content.decode()
    assert column(html, "in_post", "name") == ["张主任", "王五", "李四"]
    assert column(html, "others", "name") == ["新到岗乙", "已离岗甲"]


def test_numbers_go_on_across_pages(township, clerk, login):
    StaffMemberFactory.create_batch(52, township=township)
    client = login(clerk)
    first = staff_page(client, township).content.decode()
    assert [row["number"] for row in table_rows(first, "in_post")] == list(range(1, 51))
    assert row_count(first, "in_post") == 52 and 'data-testid="pagination"' in first
    second = staff_page(client, township, **{"in_post-page": 2}).content.decode()
    assert [row["number"] for row in table_rows(second, "in_post")] == [51, 52]
    assert "2025年末在岗（52人）" in second


def test_staff_export_is_the_lists_rows_in_its_sort(township, clerk, login, staff):
    response = staff_page(login(clerk), township, **{"in_post-sort": "-name", "export": "in_post"})
    sheet, keys, rows = exported(response)
    assert keys == STAFF_HEADERS
    assert "兰山街道2025年末在岗民政办工作人员" in sheet["A1"].value
    assert [row[0] for row in rows] == [1, 2, 3]
    assert [row[1] for row in rows] == sorted(["张主任", "王五", "李四"], reverse=True)
    director = next(row for row in rows if row[1] == "张主任")
    assert director[2:] == ["民政办公室主任", "女", "1975-05-01", "研究生", "是", "社会工作师", "2012-01-01", None]
    response = staff_page(login(clerk), township, export="others")
    sheet, keys, rows = exported(response)
    assert "兰山街道已离岗或2025年末尚未到岗的民政办工作人员" in sheet["A1"].value
    assert [row[1] for row in rows] == ["已离岗甲", "新到岗乙"]


# --- 编制数 by year ---------------------------------------------------------------------------------------------

@pytest.fixture
def posts(township):
    """Two tiers (2 posts to 30,000 people, 4 to 60,000); 2024 short by two, 2025 one over, 2023 not entered."""
    StandardFactory(jurisdiction_code="3713", posts_tiers=[{"max_population": 30_000, "posts": 2},
                                                           {"max_population": 60_000, "posts": 4}],
                    posts_step_population=None)
    for year, resident in ((2023, 20_000), (2024, 45_000), (2025, 28_000)):
        PopulationFactory(township=township, year=year, resident=resident)
    AuthorizedPostsFactory(township=township, year=2024, posts=2)
    AuthorizedPostsFactory(township=township, year=2025, posts=3)


def test_posts_by_year_mark_the_shortfall_red_and_have_no_total(township, clerk, login, posts):
    html = staff_page(login(clerk), township).content.decode()
    rows = {row["year"]: row for row in table_rows(html, "posts")}
    assert [row["year"] for row in table_rows(html, "posts")] == ["2025", "2024", "2023"]  # newest first, as before
    assert (rows["2024"]["population"], rows["2024"]["required"], rows["2024"]["authorized"], rows["2024"]["gap"]) == (
        "45,000", "4", "2", "缺2人")
    assert rows["2024"]["failed"] == {"gap"}
    assert (rows["2025"]["gap"], rows["2025"]["failed"], rows["2025"]["css"]) == ("超出1人", set(), "table-active")
    assert (rows["2023"]["authorized"], rows["2023"]["gap"], rows["2023"]["failed"]) == ("—", "未录入", {"gap"})
    start = html.index('data-table="posts"')
    assert 'data-testid="total-row"' not in html[start:html.index("</table>", start)]  # years do not add up


def test_posts_sort_and_export(township, clerk, login, posts):
    client = login(clerk)
    html = staff_page(client, township, **{"posts-sort": "-population"}).content.decode()
    assert column(html, "posts", "year") == ["2024", "2025", "2023"]
    html = staff_page(client, township, **{"posts-sort": "gap"}).content.decode()
    assert column(html, "posts", "gap") == ["未录入", "缺2人", "超出1人"]  # the worst first
    sheet, keys, rows = exported(staff_page(client, township, **{"posts-sort": "-year", "export": "posts"}))
    assert keys == ["序号", "年度", "人口（人）", "应配编制（人）", "实有编制（人）", "差额"]
    assert "兰山街道民政办编制数" in sheet["A1"].value
    assert rows == [[1, "2025", 28000, 2, 3, "超出1人"], [2, "2024", 45000, 4, 2, "缺2人"],
                    [3, "2023", 20000, 2, None, "未录入"]]


# --- village assistants --------------------------------------------------------------------------------------------

@pytest.fixture
def assistants(township):
    """Three villages under one assistant each with filing required: 甲 covered and filed, 乙 covered by an unfiled
    assistant (and one who left), 丙 with nobody in post."""
    StandardFactory(jurisdiction_code="3713", assistants_per_village=1, assistant_filing_required=True)
    first, second, third = (VillageFactory(township=township, name=f"{n}村民委员会", code=f"37130200100{i}")
                            for i, n in enumerate(("甲", "乙", "丙"), start=1))
    VillageAssistantFactory(village=first, name="赵一", role="full_time", education="bachelor")
    VillageAssistantFactory(village=second, name="钱二", filed_date=None)
    VillageAssistantFactory(village=second, name="孙三", end_date=datetime.date(2023, 5, 1))
    VillageAssistantFactory(village=third, name="周四", start_date=datetime.date(2026, 3, 1), filed_date=None)


def test_assistants_list_keeps_every_status_as_text_and_red_where_it_is_a_finding(township, clerk, login,
                                                                                   assistants):
    html = assistant_page(login(clerk), township).content.decode()
    rows = table_rows(html, "assistants")
    assert [(row["number"], row["village"], row["name"], row["status"]) for row in rows] == [
        (1, "甲村", "赵一", "年末在岗"), (2, "乙村", "钱二", "年末在岗"), (3, "乙村", "孙三", "已离任"),
        (4, "丙村", "—", "年末无在岗民政助理员"), (5, "丙村", "周四", "年末尚未到任")]
    first, unfiled, left, empty, coming = rows
    assert (first["role"], first["education"], first["filed"], first["failed"], first["css"]) == (
        "专职", "大学本科", "2021-01-30", set(), "")
    assert (unfiled["filed"], unfiled["failed"]) == ("未备案", {"filed"})
    assert (left["end_date"], left["css"], left["failed"]) == ("2023-05-01", "text-muted", set())
    assert (empty["staffed"], empty["failed"], empty["css"]) == ("未配足", {"status", "staffed"}, "table-warning")
    assert (coming["css"], coming["filed"], coming["failed"]) == ("text-muted", "—", set())
    assert row_count(html, "assistants") == 5
    # The clerk's buttons: edit everyone, file the unfiled one in post, end those in post, add to the empty village.
    assert html.count("/edit/") == 4
    assert html.count("/file/") == 1 and html.count('/end/">离任</a>') == 2
    assert "/assistants/add/?village=" in html


def test_an_assistant_filed_after_year_end_is_still_unfiled_that_year(township, clerk, login):
    StandardFactory(jurisdiction_code="3713", assistant_filing_required=True)
    VillageAssistantFactory(village=VillageFactory(township=township), name="迟备案", filed_date=datetime.date(2026, 1, 5))
    html = assistant_page(login(clerk), township).content.decode()
    (row,) = table_rows(html, "assistants")
    assert (row["filed"], row["failed"]) == ("2026-01-05（年末未备案）", {"filed"})


def test_assistants_sort_and_read_only_users(township, county_official, login, assistants):
    client = login(county_official)
    html = assistant_page(client, township, **{"assistants-sort": "name"}).content.decode()
    names = column(html, "assistants", "name")
    assert names == [*sorted(["赵一", "钱二", "孙三", "周四"]), "—"]  # the empty village's line last
    html = assistant_page(client, township, **{"assistants-sort": "-name"}).content.decode()
    assert column(html, "assistants", "name") == [*sorted(["赵一", "钱二", "孙三", "周四"], reverse=True), "—"]
    html = assistant_page(client, township, **{"assistants-sort": "-village"}).content.decode()
    assert column(html, "assistants", "village") == ["丙村", "丙村", "乙村", "乙村", "甲村"]
    assert "/edit/" not in html and "/assistants/add/" not in html


def test_assistants_export_is_the_lists_rows(township, clerk, login, assistants):
    sheet, keys, rows = exported(assistant_page(login(clerk), township, export="assistants"))
    assert keys == ["序号", "村（社区）", "姓名", "任职方式", "学历", "出生日期", "选聘日期", "离任日期", "报县备案",
                    "年末状态", "配备情况"]
    assert "兰山街道村（社区）民政助理员" in sheet["A1"].value
    assert [row[:3] for row in rows] == [[1, "甲村", "赵一"], [2, "乙村", "钱二"], [3, "乙村", "孙三"],
                                         [4, "丙村", None], [5, "丙村", "周四"]]
    assert rows[1][8] == "未备案" and rows[3][9:] == ["年末无在岗民政助理员", "未配足"]


# --- scope and queries ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("page", "export"), [("staff_list", "in_post"), ("staff_list", "others"),
                                              ("staff_list", "posts"), ("assistant_list", "assistants")])
def test_out_of_scope_users_get_404_for_the_files_too(township, other_township, other_county, login, staff, page,
                                                      export):
    other_clerk = UserFactory(role="township", township=other_township)
    other_official = UserFactory(role="county", county=other_county)
    address = reverse(f"staffing:{page}", args=[township.code])
    for user in (other_clerk, other_official):
        assert login(user).get(address, {"year": YEAR, "export": export}).status_code == 404


def queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address, {"year": YEAR})
    assert response.status_code == 200
    return len(captured)


def test_the_pages_queries_do_not_grow_with_their_rows(township, clerk, login, django_assert_max_num_queries):
    StandardFactory(jurisdiction_code="3713", assistants_per_village=1, assistant_filing_required=True)
    StaffMemberFactory(township=township)
    village = VillageFactory(township=township)
    VillageAssistantFactory(village=village)
    fill_store()
    client = login(clerk)
    staff_address = reverse("staffing:staff_list", args=[township.code])
    assistant_address = reverse("staffing:assistant_list", args=[township.code])
    few = queries(client, staff_address), queries(client, assistant_address)
    StaffMemberFactory.create_batch(20, township=township)
    StaffMemberFactory.create_batch(5, township=township, end_date=datetime.date(2024, 1, 1))
    AuthorizedPostsFactory(township=township, year=2024, posts=3)
    for other in VillageFactory.create_batch(6, township=township):
        VillageAssistantFactory.create_batch(2, village=other, filed_date=None)
    VillageAssistantFactory(village=village, end_date=datetime.date(2023, 1, 1))
    fill_store()
    assert (queries(client, staff_address), queries(client, assistant_address)) == few
    with django_assert_max_num_queries(16):
        client.get(staff_address, {"year": YEAR})
    with django_assert_max_num_queries(14):
        client.get(assistant_address, {"year": YEAR})
    with django_assert_max_num_queries(16):
        client.get(staff_address, {"year": YEAR, "export": "in_post"})
    with django_assert_max_num_queries(14):
        client.get(assistant_address, {"year": YEAR, "export": "assistants"})
