"""No stored value can break a spreadsheet: the xlsx writer drops the characters openpyxl refuses.

Given the demo county, with an assistant whose name holds a vertical tab written straight to the
database (as data stored before the forms refused it would be), when the county official and the
city bureau download their compliance spreadsheets, then both answer 200 and the name is in the
workbook without the character.
"""
import random
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments.management.commands.load_demo import demo_steps
from bench.province import copy_rows
from offices import demo as offices_demo
from offices.models import User
from offices.text import has_control_characters
from offices.workbooks import Column, OfficialSheet
from staffing.models import VillageAssistant

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def demo():
    rows = copy_rows(offices_demo.read_divisions(), "3713", 0, counties=1)
    rng = random.Random(7)
    units = offices_demo.build(rng, rows=rows, total_population=800_000)
    for step in demo_steps():
        step(rng, units)
    return units


def workbook_texts(response):
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [value for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
            if isinstance(value, str)]


def downloads(client_for):
    county = User.objects.filter(role="county").order_by("username").first()
    city = User.objects.filter(role="city").order_by("username").first()
    yield workbook_texts(client_for(county).get(reverse("assessments:export_county", args=[county.county.code]),
                                                {"year": YEAR}))
    yield workbook_texts(client_for(city).get(reverse("assessments:export_city", args=[city.city.code]),
                                              {"year": YEAR}))


def test_a_vertical_tab_stored_in_a_name_does_not_break_either_export(demo, login):
    before = list(downloads(login))
    named = [a for a in VillageAssistant.objects.order_by("pk") if len(a.name) > 1
             and all(any(a.name in text for text in texts) for texts in before)]
    assert named, "the exports name at least one assistant (the subsidy and grading findings)"
    assistant = named[0]
    pasted = f"{assistant.name[0]}\x0b{assistant.name[1:]}"
    VillageAssistant.objects.filter(pk=assistant.pk).update(name=pasted)  # bypasses the service, as old data did

    for texts in downloads(login):
        assert not any(pasted in text for text in texts)
        assert any(assistant.name in text for text in texts)
        assert not any(has_control_characters(text, multiline=True) for text in texts)


def test_the_writer_strips_every_refused_character_and_keeps_line_breaks():
    workbook = Workbook(write_only=True)
    writer = OfficialSheet(workbook, "t", [Column("a")], title="表\x0b题")
    assert writer.cell("张\x0b三\x00\x1f\x85").value == "张三"
    assert writer.cell("第一行\n第二行").value == "第一行\n第二行"
    assert writer.cell("=1+1\x0b").value == "=1+1" and writer.cell("=1+1\x0b").data_type == "s"
    writer.append(["李\x0c四"])
    target = BytesIO()
    workbook.save(target)  # openpyxl raised IllegalCharacterError here
    sheet = load_workbook(target)["t"]
    assert sheet["A1"].value == "表题"
    assert sheet.cell(row=writer.first_data_row, column=1).value == "李四"
