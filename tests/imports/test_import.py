"""Bulk import: the template round trip, the dry run, all-or-nothing writes through the services, hostile files."""
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from facilities.models import Equipment, Room
from funding.models import AssistantSubsidyPayment, BudgetLine
from imports import safety, services, template
from imports.models import ImportBatch
from offices import reporting
from offices.acting import acting_as
from offices.models import Population
from staffing.models import AuthorizedPosts, StaffMember, VillageAssistant
from tests.factories.facilities import EquipmentFactory, RoomFactory
from tests.factories.funding import BudgetLineFactory, SubsidyPaymentFactory
from tests.factories.offices import PopulationFactory, TownshipFactory, UserFactory, VillageFactory
from tests.factories.staffing import AuthorizedPostsFactory, StaffMemberFactory, VillageAssistantFactory
from tests.uploads import zips

pytestmark = pytest.mark.django_db

YEAR = 2025
MODELS = [Population, AuthorizedPosts, StaffMember, VillageAssistant, BudgetLine, AssistantSubsidyPayment, Room,
          Equipment]


@pytest.fixture
def township():
    township = TownshipFactory(code="371302001000", name="兰山街道", county__code="371302000000",
                               county__name="兰山区", county__city__code="371300000000")
    PopulationFactory(township=township, year=YEAR, resident=60_000)
    AuthorizedPostsFactory(township=township, year=YEAR, posts=5)
    StaffMemberFactory(township=township, name="王芳")
    village = VillageFactory(township=township, code="371302001201", name="东村村民委员会")
    assistant = VillageAssistantFactory(village=village, name="李强")
    SubsidyPaymentFactory(assistant=assistant, year=YEAR, quarter=1, amount=Decimal("1500.00"))
    BudgetLineFactory(township=township, year=YEAR, kind="working_funds", budgeted=Decimal("80000"),
                      allocated=Decimal("80000"))
    RoomFactory(township=township, kind="office", name="办公室", area=Decimal("40.00"), since_year=2018)
    EquipmentFactory(township=township, kind="computer", count=2, since_year=2020)
    return township


@pytest.fixture
def clerk(township):
    return UserFactory(role="township", township=township)


def snapshot():
    """Every row of every importable model, as plain values."""
    return {model.__name__: {row.pk: model_to_dict(row) for row in model.objects.all()} for model in MODELS}


def template_workbook(township, year=YEAR):
    buffer = io.BytesIO()
    template.write_template([township], year, buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def saved(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def column(sheet, header):
    return [c.value for c in sheet[1]].index(header) + 1


def set_cell(workbook, sheet_name, header, value, row=2):
    sheet = workbook[sheet_name]
    sheet.cell(row=row, column=column(sheet, header), value=value)


def test_the_template_holds_every_sheet_and_the_current_values(township):
    workbook = template_workbook(township)
    assert workbook.sheetnames == ["说明", "人口", "编制", "人员", "民政助理员", "经费", "助理员补助", "功能室与面积", "设备"]
    assert [c.value for c in workbook["人口"][2]] == ["371302001000", "兰山街道", YEAR, 60_000, 60_000]
    staff = workbook["人员"]
    assert staff.cell(2, column(staff, "姓名")).value == "王芳"
    assert staff.cell(2, column(staff, "学历")).value == "大学本科"
    assert workbook["助理员补助"].cell(2, column(workbook["助理员补助"], "第一季度（元）")).value == 1500
    assert workbook["人口"].freeze_panes == "A2"


def test_a_round_trip_changes_exactly_the_cells_changed(township, clerk):
    workbook = template_workbook(township)
    set_cell(workbook, "人口", "常住人口（人）", "6.2万")
    set_cell(workbook, "人员", "学历", "研究生")
    set_cell(workbook, "功能室与面积", "使用面积（㎡）", 45.5)
    set_cell(workbook, "经费", "实际到位（元）", "7.5万")
    before = snapshot()
    with acting_as(clerk):
        outcome = services.run(saved(workbook), clerk, write=False)
    assert outcome.problems == [] and not outcome.refused
    changed = [(i.sheet, [(c.column, c.before, c.after) for c in i.changes]) for i in outcome.items
               if i.kind != "unchanged"]
    assert sorted(changed) == sorted([
        ("人口", [("常住人口（人）", "60000", "62000")]),
        ("人员", [("学历", "大学本科", "研究生")]),
        ("功能室与面积", [("使用面积（㎡）", "40", "45.5")]),
        ("经费", [("实际到位（元）", "80000", "75000")]),
    ])
    assert snapshot() == before  # the dry run wrote nothing
    with acting_as(clerk):
        outcome = services.run(saved(workbook), clerk, write=True, expected=outcome.fingerprint())
    assert outcome.problems == [] and not outcome.refused
    after = snapshot()
    expected = {name: {pk: dict(row) for pk, row in rows.items()} for name, rows in before.items()}
    population = Population.objects.get(township=township, year=YEAR)
    expected["Population"][population.pk]["resident"] = 62_000
    staff = StaffMember.objects.get(name="王芳")
    expected["StaffMember"][staff.pk]["education"] = "postgraduate"
    room = Room.objects.get(township=township)
    expected["Room"][room.pk]["area"] = Decimal("45.50")
    line = BudgetLine.objects.get(township=township, year=YEAR, kind="working_funds")
    expected["BudgetLine"][line.pk]["allocated"] = Decimal("75000.00")
    assert after == expected
    # Written through the services: each change has its history row by the clerk.
    assert Population.history.filter(township_id=township.pk).latest("history_id").history_user_id == clerk.pk


def test_new_rows_are_created_through_the_services(township, clerk):
    workbook = template_workbook(township)
    staff = workbook["人员"]
    staff.append(["371302001000", "兰山街道", None, "赵敏", "女", "1990-05-01", "大专", "工作人员", "是", "", "2024年3月1日",
                  None])
    with acting_as(clerk):
        outcome = services.run(saved(workbook), clerk, write=True)
    assert [(i.sheet, i.kind) for i in outcome.items if i.kind != "unchanged"] == [("人员", "new")]
    person = StaffMember.objects.get(name="赵敏")
    assert (person.sex, person.education, str(person.start_date)) == ("female", "junior_college", "2024-03-01")


def test_every_error_names_sheet_row_and_column_and_nothing_is_written(township, clerk):
    workbook = template_workbook(township)
    set_cell(workbook, "人口", "常住人口（人）", "6.2万")  # valid on its own
    set_cell(workbook, "人员", "出生日期", "去年")
    set_cell(workbook, "设备", "数量", "abc")
    workbook["人口"].append(["371399001000", "别处", YEAR, 1000, 1000])
    before = snapshot()
    with acting_as(clerk):
        outcome = services.run(saved(workbook), clerk, write=True)
    texts = [str(p) for p in outcome.problems]
    assert any(t.startswith("“人员”表第2行「出生日期」：") for t in texts), texts
    assert any(t.startswith("“设备”表第2行「数量」：") for t in texts), texts
    assert any(t.startswith("“人口”表第3行「乡镇代码」：") and "不在您的管辖范围内" in t for t in texts), texts
    assert snapshot() == before


def test_a_locked_year_is_refused_like_the_forms(township, clerk):
    with acting_as(clerk):
        reporting.report_submit(township=township, year=YEAR, statement="自查完毕")
    workbook = template_workbook(township)
    set_cell(workbook, "人口", "常住人口（人）", 61_000)
    with acting_as(clerk):
        outcome = services.run(saved(workbook), clerk, write=True)
    assert len(outcome.problems) == 1
    assert "已锁定" in str(outcome.problems[0]) and str(outcome.problems[0]).startswith("“人口”表第2行")
    assert Population.objects.get(township=township, year=YEAR).resident == 60_000


def test_a_big_move_asks_for_confirmation(township, clerk):
    PopulationFactory(township=township, year=YEAR - 1, resident=60_000)
    workbook = template_workbook(township)
    set_cell(workbook, "人口", "常住人口（人）", 5)
    with acting_as(clerk):
        outcome = services.run(saved(workbook), clerk, write=True)
    assert outcome.needs_confirmation and Population.objects.get(township=township, year=YEAR).resident == 60_000
    with acting_as(clerk):
        outcome = services.run(saved(workbook), clerk, write=True, confirmed=True)
    assert outcome.problems == [] and Population.objects.get(township=township, year=YEAR).resident == 5


def test_data_changed_after_the_preview_writes_nothing(township, clerk, client):
    workbook = template_workbook(township)
    set_cell(workbook, "人口", "常住人口（人）", 61_000)
    client.force_login(clerk)
    response = client.post(reverse("imports:start"), {"file": SimpleUploadedFile("人口.xlsx", saved(workbook).read())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:preview", args=[batch.token])
    page = client.get(response["Location"]).content.decode()
    assert "修改 1 条" in page and "常住人口（人）：60000 → 61000" in page
    Population.objects.filter(township=township, year=YEAR).update(resident=59_000)  # somebody else, meanwhile
    response = client.post(reverse("imports:apply", args=[batch.token]), follow=True)
    assert "预览之后数据已有变化" in response.content.decode()
    assert Population.objects.get(township=township, year=YEAR).resident == 59_000


def test_the_pages_preview_then_import(township, clerk, client):
    workbook = template_workbook(township)
    set_cell(workbook, "编制", "编制数（名）", 6)
    client.force_login(clerk)
    assert client.get(reverse("imports:template") + f"?year={YEAR}")["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    client.post(reverse("imports:start"), {"file": SimpleUploadedFile("编制.xlsx", saved(workbook).read())})
    batch = ImportBatch.objects.get()
    assert AuthorizedPosts.objects.get(township=township, year=YEAR).posts == 5
    response = client.post(reverse("imports:apply", args=[batch.token]), follow=True)
    assert "已导入：新增0条，修改1条" in response.content.decode()
    assert AuthorizedPosts.objects.get(township=township, year=YEAR).posts == 6
    # Somebody else's batch is not found; a batch is written once.
    other = UserFactory(role="township", township=township)
    client.force_login(other)
    assert client.get(reverse("imports:preview", args=[batch.token])).status_code == 404
    client.force_login(clerk)
    response = client.post(reverse("imports:apply", args=[batch.token]), follow=True)
    assert "不能再次导入" in response.content.decode()


def test_a_county_imports_for_its_townships_only(township):
    official = UserFactory(role="county", county=township.county)
    other = TownshipFactory(code="371311001000", county__code="371311000000",
                            county__city=township.county.city)
    PopulationFactory(township=other, year=YEAR, resident=30_000)
    workbook = template_workbook(township)
    workbook["人口"].append([other.code, other.name, YEAR, 31_000, 31_000])
    with acting_as(official):
        outcome = services.run(saved(workbook), official, write=True)
    assert [p.column for p in outcome.problems] == ["乡镇代码"]
    assert Population.objects.get(township=other, year=YEAR).resident == 30_000


# --- hostile workbooks --------------------------------------------------------------------------------------------


def refusal_of(data):
    with pytest.raises(safety.WorkbookRefused) as error:
        safety.check_file(io.BytesIO(data))
        workbook = safety.open_workbook(io.BytesIO(data))
        for sheet in workbook.worksheets:
            safety.check_sheet(sheet)
    return str(error.value)


def test_a_formula_is_an_error_of_its_cell_never_evaluated(township, clerk):
    workbook = template_workbook(township)
    set_cell(workbook, "人口", "常住人口（人）", "=60000+1")
    with acting_as(clerk):
        outcome = services.run(saved(workbook), clerk, write=True)
    assert [str(p) for p in outcome.problems] == ["“人口”表第2行「常住人口（人）」：不接受公式，请复制后“粘贴为数值”。"]


def test_merged_cells_are_refused_naming_the_sheet(township):
    workbook = template_workbook(township)
    workbook["人员"].merge_cells("D2:E2")
    assert "“人员”表有合并单元格（D2:E2）" in refusal_of(saved(workbook).read())


def test_a_zip_bomb_is_refused_with_memory_flat():
    import tracemalloc

    bomb = zips.zip_bomb(declared=512 * zips.MiB, name="xl/worksheets/sheet1.xml")
    tracemalloc.start()
    message = refusal_of(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "压缩炸弹" in message
    assert peak < 2 * zips.MiB


def test_macros_are_refused():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\0" * 100)
    assert "宏" in refusal_of(buffer.getvalue())


def test_a_huge_declared_dimension_is_refused(township):
    workbook = template_workbook(township)
    data = saved(workbook).read()
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                content = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', content)
                assert b"XFD1048576" in content
            new.writestr(info, content)
    assert "超过20000行、40列的上限" in refusal_of(target.getvalue())


@pytest.mark.parametrize("data", [b"not a workbook", b"\xd0\xcf\x11\xe0old xls"])
def test_what_is_not_an_xlsx_is_refused(data):
    assert "不是 Excel 工作簿" in refusal_of(data)


def test_a_refused_file_is_kept_as_refused_and_cannot_be_applied(clerk, client):
    client.force_login(clerk)
    client.post(reverse("imports:start"), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED
    assert "不是 Excel 工作簿" in client.get(reverse("imports:preview", args=[batch.token])).content.decode()
