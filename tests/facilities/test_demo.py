"""The facilities and regulations demo: most townships pass, every rule fails somewhere."""
import random
import time
from collections import Counter

import pytest

from facilities import compliance, demo
from facilities.models import Room, VillageStationSpace
from offices import demo as offices_demo
from offices import regulations_compliance
from offices.compliance import TownshipContext
from offices.models import Population, RegulationDocument, Standard, Township
from offices.querysets import pick_standard
from offices.regulations_demo import build_regulations

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
    townships = Township.objects.all()
    standards = list(Standard.objects.in_force(year))
    populations = dict(Population.objects.filter(year=year).values_list("township_id", "resident"))
    facilities = compliance.gather(townships, year)
    regulations = regulations_compliance.gather(townships, year)
    counts = Counter()
    for township in townships:
        context = TownshipContext(township_id=township.pk, code=township.code, name=township.name, year=year,
                                  standard=pick_standard(standards, township.code),
                                  population=populations.get(township.pk))
        for result in compliance.evaluate(facilities[township.pk], context) + regulations_compliance.evaluate(
            regulations[township.pk], context
        ):
            counts[(result.code, result.status)] += 1
    return counts


def test_demo_has_realistic_variety(units):
    units, seconds, media = units
    assert seconds < 8
    assert Room.objects.exists() and VillageStationSpace.objects.count() > 0.95 * len(units.villages)
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
