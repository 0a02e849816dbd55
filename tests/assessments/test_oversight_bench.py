"""A smoke run of bench/run.py on a tiny province (the full one is `make bench`)."""
import pytest

from bench.province import build_province, copy_rows
from bench.run import measure
from offices import demo as offices_demo
from offices.models import City, Township

pytestmark = pytest.mark.django_db


def test_copies_keep_codes_consistent():
    rows = copy_rows(offices_demo.read_divisions(), "3702", 2, counties=1)
    assert {r.code[:4] for r in rows} == {"3702"}
    assert all(r.parent_code.startswith("3702") for r in rows if r.level != "city")
    assert len({r.code[:6] for r in rows if r.level != "city"}) == 1


def test_tiny_province_measures(settings):
    build_province(copies=2, counties=1, log=lambda line: None)
    assert City.objects.count() == 2 and Township.objects.exists()
    lines = []
    measure(runs=1, out=lines.append)
    text = "\n".join(lines)
    assert "与应用计算一致：是" in text  # the hand-written SQL over the inputs agrees with the app
    assert "内存峰值增长" in text and "看板 GET（HTTP 200" in text
