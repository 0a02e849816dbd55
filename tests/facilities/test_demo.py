"""The facilities and regulations demo: most townships pass, every rule fails somewhere."""
import random
import time
from collections import Counter

import pytest

from facilities import compliance, demo
from facilities.models import Room, VillageStation, VillageStationSpace
from offices import demo as offices_demo
from offices.compliance.engine import compliance_for
from offices.models import Township
from regulations import compliance as regulations_compliance
from regulations.demo import build as build_regulations
from regulations.models import RegulationDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    rng = random.Random(3713)
    units = offices_demo.build(rng, users=False)
    started = time.perf_counter()
    demo.build(rng, units)
    build_regulations(rng, units)
    return units, time.perf_counter() - started, tmp_path


def statuses(year):
    """(rule code, status) → number of townships, by the one computation."""
    counts = Counter()
    for card in compliance_for(Township.objects.all(), year, modules=(compliance, regulations_compliance)):
        for result in card.results:
            counts[(result.code, result.status)] += 1
    return counts


def test_demo_has_realistic_variety(units):
    units, seconds, media = units
    assert seconds < 8
    assert Room.objects.exists() and VillageStationSpace.objects.count() > 0.95 * len(units.villages)
    assert 0.9 * len(units.villages) < VillageStation.objects.count() < len(units.villages)
    documents = RegulationDocument.objects.count()
    assert documents > 156 * 7
    # A handful of tiny PDFs shared by all rows.
    files = [p for p in media.rglob("*") if p.is_file()]
    assert len(files) == 8 and sum(p.stat().st_size for p in files) < 10_000
    for year in (2024, 2025):
        counts = statuses(year)
        for code in ("facilities.area", "facilities.rooms", "facilities.village_stations", "facilities.naming",
                     "facilities.equipment", "regulations.required"):
            assert counts[(code, "fail")] > 0, code
        for code in ("facilities.area", "facilities.rooms", "facilities.equipment", "regulations.required"):
            assert counts[(code, "pass")] > counts[(code, "fail")], code
    assert statuses(2024)[("facilities.area", "fail")] > statuses(2025)[("facilities.area", "fail")]
