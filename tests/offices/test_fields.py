"""Numbers and dates as clerks type them (offices.fields), the messages of every data-entry form, the year picker."""
import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from facilities.forms import EquipmentForm, RoomForm, StationSpacesForm
from funding.forms import BudgetForm, SubsidySheetForm
from offices import selectors
from offices.fields import (
    DateEntryField,
    EntryDecimalField,
    EntryIntegerField,
    EntryNumberMixin,
    money_field,
    parse_date,
    parse_number,
)
from offices.forms import PopulationForm
from offices.models import Township
from regulations.forms import RegulationForm
from staffing.forms import (
    AssistantEndForm,
    AssistantFileForm,
    AuthorizedPostsForm,
    DirectorOpinionForm,
    StaffEndForm,
    StaffMemberForm,
    VillageAssistantForm,
)
from staffing.models import StaffMember
from supervision.forms import ContractForm, GradesForm, InspectionForm, RectifyForm, SurveyForm
from tests.factories.offices import PopulationFactory, VillageFactory
from tests.factories.supervision import InspectionFactory
from training.forms import SessionForm

FIELD_CODES = {"required", "invalid", "min_value", "max_value", "max_digits", "max_decimal_places", "max_whole_digits"}
FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


# --- parsing ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("5万", Decimal(50000)),
    ("1.2万", Decimal(12000)),
    ("7.655万", Decimal(76550)),
    ("76,550", Decimal(76550)),
    ("76，550", Decimal(76550)),           # full-width comma of a Chinese input method
    ("７６５５０", Decimal(76550)),          # full-width digits
    ("  76550 ", Decimal(76550)),
    ("\u300076550\u3000", Decimal(76550)),  # ideographic spaces
    ("1,234,567.5", Decimal("1234567.5")),
    ("0.5万", Decimal(5000)),
    ("3亿", Decimal(300_000_000)),
    ("1.234万", Decimal(12340)),
    ("-5", Decimal(-5)),
    ("\u22125", Decimal(-5)),              # a minus sign pasted from a document
    ("－5", Decimal(-5)),
    ("-0", Decimal(0)),
    (".5", Decimal("0.5")),
    ("5.", Decimal(5)),
    ("12000.00", Decimal(12000)),
])
def test_parse_number_reads_what_clerks_type(text, value):
    parsed = parse_number(text)
    assert parsed == value
    assert parsed.as_tuple().exponent >= 0 or parsed != parsed.to_integral_value()  # 12340, never 12340.000


@pytest.mark.parametrize("text", [
    "", " ", "abc", "万", "5万万", "5万5", "76,55", "7,6550", "1,2345", "1e5", "1.2.3", "--5", "5-", "0x10", "五万",
    "1" * 41, "5元",  # a unit the field does not declare
])
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_units_are_the_fields_own_and_wan_can_be_off():
    assert parse_number("5万人", units=("人",)) == 50000
    assert parse_number("1.2万元", units=("元",)) == 12000
    assert parse_number("120平方米", units=("㎡", "平方米")) == 120
    assert parse_number("120㎡", units=("㎡",)) == 120
    assert parse_number("2025年", units=("年",), wan=False) == 2025
    with pytest.raises(ValueError):
        parse_number("5万", wan=False)


def _grouped(n):
    return f"{n:,}"


@given(st.integers(min_value=0, max_value=10**12))
def test_any_whole_number_written_any_way_reads_back(n):
    for text in (str(n), _grouped(n), _grouped(n).translate(FULL_WIDTH), f"  {n}\u3000", f"{Decimal(n) / 10_000}万"):
        assert parse_number(text) == n, text


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2))
def test_any_amount_reads_back_exactly(amount):
    assert parse_number(str(amount)) == amount
    assert parse_number(f"{amount:,}".translate(FULL_WIDTH)) == amount
    assert parse_number(f"{amount / 10_000}万") == amount


@pytest.mark.parametrize("text", [
    "2025年3月1日", "2025年03月01日", "2025年3月1号", "2025年3月1", "2025.3.1", "2025/3/1", "2025-03-01", "2025-3-1",
    "20250301", "２０２５年３月１日", " 2025 年 3 月 1 日 ", "２０２５／３／１",
])
def test_parse_date_reads_chinese_and_iso_forms(text):
    assert parse_date(text) == datetime.date(2025, 3, 1)


@pytest.mark.parametrize("text", ["", "abc", "2025-02-30", "2025年13月1日", "2025-3/1", "25.3.1", "2025031", "3/1/2025"])
def test_parse_date_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_any_date_written_any_usual_way_reads_back(day):
    y, m, d = day.year, day.month, day.day
    for text in (f"{y}年{m}月{d}日", f"{y}.{m}.{d}", f"{y}/{m}/{d}", day.isoformat(), day.strftime("%Y%m%d"),
                 f"{y}年{m}月{d}日".translate(FULL_WIDTH)):
        assert parse_date(text) == day, text


# --- the fields -------------------------------------------------------------------------------------------------

def test_an_integer_field_refuses_a_fraction_naming_the_field():
    field = EntryIntegerField(label="常住人口", greater_than=0, unit="人", examples=("76550", "7.6万"))
    assert field.clean("7.6万") == 76000
    for bad in ("1.5", "7.65505万", "abc", "0", "-3"):
        with pytest.raises(forms.ValidationError) as error:
            field.clean(bad)
        assert error.value.messages == ["常住人口：请输入大于0的整数，例如 76550 或 7.6万。"], bad


def test_a_money_field_reads_wan_as_yuan_to_the_fen():
    field = money_field("工作经费")
    assert field.clean("1.2万") == Decimal("12000.00")
    assert field.clean("1.2万元") == Decimal("12000.00")
    assert field.clean("12,000.5") == Decimal("12000.50")
    assert field.clean("") is None
    with pytest.raises(forms.ValidationError) as error:
        field.clean("1.234")
    assert error.value.messages == ["工作经费：最多保留2位小数。"]
    with pytest.raises(forms.ValidationError) as error:
        field.clean("10000000000")
    assert error.value.messages == ["工作经费：不能大于9,999,999,999.99，请核对后重新输入。"]


def test_the_inputs_are_text_with_a_decimal_keyboard(db):
    html = str(PopulationForm({"year": "2025", "resident": "5万", "registered": "x"}, township=None)["resident"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="5万"' in html
    assert 'data-entry="number"' in html and 'data-unit="人"' in html and 'data-wan="1"' in html
    date_html = str(StaffEndForm({"end_date": "2025年3月1日"})["end_date"])
    assert 'type="text"' in date_html and 'value="2025年3月1日"' in date_html and 'data-entry="date"' in date_html


# --- every data-entry form --------------------------------------------------------------------------------------

@pytest.fixture
def every_form(township):
    """A maker (data → bound form) of each data-entry form with a numeric or date field."""
    village = VillageFactory(township=township, name="甲村村民委员会")
    inspection = InspectionFactory(township=township)
    makers = [
        (PopulationForm, {"township": township}),
        (AuthorizedPostsForm, {}), (StaffMemberForm, {}), (StaffEndForm, {}),
        (DirectorOpinionForm, {"directors": StaffMember.objects.none()}), (VillageAssistantForm, {"township": township}),
        (AssistantEndForm, {}), (AssistantFileForm, {}),
        (BudgetForm, {}), (SubsidySheetForm, {"rows": []}),
        (RoomForm, {}), (EquipmentForm, {}), (StationSpacesForm, {"villages": [village]}),
        (RegulationForm, {}), (SessionForm, {}),
        (GradesForm, {"assistants": [], "year": 2025}), (SurveyForm, {}), (ContractForm, {}),
        (InspectionForm, {"townships": Township.objects.all()}), (RectifyForm, {"inspection": inspection}),
    ]
    return [lambda data=None, form_class=form_class, kwargs=kwargs: form_class(data, **kwargs)
            for form_class, kwargs in makers]


def entry_fields(form):
    return [(name, field) for name, field in form.fields.items()
            if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.DateField))]


def test_every_numeric_and_date_field_is_an_entry_field(every_form):
    seen = 0
    for make in every_form:
        form = make()
        for name, field in entry_fields(form):
            seen += 1
            assert isinstance(field, (EntryNumberMixin, DateEntryField)), f"{type(form).__name__}.{name}"
    assert seen >= 30


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5", "99999999999999", "2025-02-30", "0"])
def test_every_error_names_the_field_says_what_to_type_and_keeps_the_text(every_form, bad):
    refused = 0
    for make in every_form:
        names = [name for name, _field in entry_fields(make())]
        form = make(dict.fromkeys(names, bad))
        form.is_valid()
        for name in names:
            label = str(form.fields[name].label)
            # The field's own checks (a form's cross-field rules have their own wording).
            field_errors = [e for e in form.errors.as_data().get(name, []) if e.code in FIELD_CODES]
            for message in (m for error in field_errors for m in error.messages):
                refused += 1
                where = f"{type(form).__name__}.{name} {bad!r}: {message}"
                assert "确保" not in message and "Ensure" not in message, where
                assert message.startswith((f"{label}：", f"请填写{label}")), where
                assert any(word in message for word in ("请输入", "请核对", "保留", "不能", "例如")), where
            assert f'value="{bad}"' in str(form[name]), f"{type(form).__name__}.{name} lost what was typed"
    assert refused > 0


def test_population_messages(township):
    form = PopulationForm({"year": "1800", "resident": "abc", "registered": ""}, township=township)
    assert not form.is_valid()
    assert form.errors == {
        "year": ["年度：请输入1949至2100之间的年份，例如 2025。"],
        "resident": ["常住人口：请输入大于0的整数，例如 76550 或 7.6万。"],
        "registered": ["请填写户籍人口，例如 81200 或 8.12万。"],
    }
    form = PopulationForm({"year": "2025年", "resident": "5万", "registered": "７６，５５０"}, township=township)
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"year": 2025, "resident": 50000, "registered": 76550, "confirmed": False}


def test_equipment_zero_and_negative_get_the_same_message(db):
    """0 was refused as 「数量至少为1」 while -1 was told 「确保该值大于或等于0」: one rule, one message."""
    messages = set()
    for count in ("0", "-1", "0.5"):
        form = EquipmentForm({"kind": "printer", "count": count, "since_year": "2020"})
        assert not form.is_valid()
        messages.add(tuple(form.errors["count"]))
    assert messages == {("数量：请输入不小于1的整数，例如 1 或 2。",)}
    form = EquipmentForm({"kind": "printer", "count": "2台", "since_year": "2020年"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["count"], form.cleaned_data["since_year"]) == (2, 2020)


def test_dates_in_chinese_are_accepted_by_model_forms(township):
    form = SessionForm({"date": "2025年3月1日", "topic": "政策", "hours": "1.5小时", "audience": "all"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == datetime.date(2025, 3, 1) and form.cleaned_data["hours"] == Decimal("1.5")
    form = RectifyForm({"rectified_on": "2024年13月1日"}, inspection=InspectionFactory(township=township))
    assert form.errors["rectified_on"] == ["整改完成日期：请输入日期，例如 2025年3月1日 或 2025-03-01。"]


def test_budget_reads_wan(township):
    form = BudgetForm({"working_funds_budgeted": "1.2万", "working_funds_allocated": "11,999.5"})
    assert form.is_valid(), form.errors
    assert form.lines()["working_funds"] == (Decimal("12000.00"), Decimal("11999.50"))


def test_entry_decimal_field_is_exact():
    field = EntryDecimalField(label="使用面积（㎡）", greater_than=0, max_digits=8, decimal_places=2, wan=False,
                              unit="㎡", units=("㎡",), examples=("120",))
    assert field.clean("35.50㎡") == Decimal("35.5")
    with pytest.raises(forms.ValidationError) as error:
        field.clean("0")
    assert error.value.messages == ["使用面积（㎡）：请输入大于0的数字，例如 120。"]


# --- the year picker --------------------------------------------------------------------------------------------

def test_the_picker_offers_the_current_year_and_opens_on_the_newest_with_data(township, clerk):
    for year in (2023, 2024, 2025):
        PopulationFactory(township=township, year=year)
    year, years = selectors.year_choices(clerk, today=datetime.date(2026, 11, 23))
    assert (year, years) == (2025, [2026, 2025, 2024, 2023])


def render_picker(query, year, years):
    request = RequestFactory().get(f"/dashboard/?{query}")
    template = Template('{% include "includes/year_picker.html" %}')
    return template.render(Context({"request": request, "year": year, "years": years}))


def test_the_picker_marks_the_year_shown_and_keeps_the_other_filters():
    html = render_picker("county=371302&dimension=staffing&status=fail&status=pass&year=2024&page=3",
                         2026, [2026, 2025, 2024, 2023])
    assert '<option value="2026" selected>2026</option>' in html
    assert html.count(" selected") == 1
    for name, value in (("county", "371302"), ("dimension", "staffing"), ("status", "fail"), ("status", "pass")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in html
    assert 'type="hidden" name="year"' not in html and 'name="page"' not in html  # a new year starts at page 1
    assert 'autocomplete="off"' in html


def test_the_picker_escapes_what_it_carries():
    html = render_picker("county=%22%3E%3Cscript%3E", 2025, [2025])
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


def test_a_page_for_the_current_year_marks_it(township, clerk, login):
    PopulationFactory(township=township, year=2025)
    today = datetime.date.today().year
    page = login(clerk).get(reverse("offices:township", args=[township.code]) + f"?year={today}").content.decode()
    assert f'<option value="{today}" selected>{today}</option>' in page
    assert '<option value="2025">2025</option>' in page



def test_the_picker_reads_all_years_when_the_page_shows_all():
    html = render_picker("year=all", None, [2026, 2025])
    assert '<option value="all" selected>全部年度</option>' in html and html.count(" selected") == 1
