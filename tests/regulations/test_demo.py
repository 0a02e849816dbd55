"""The regulations demo: most townships adopted every required regulation, some did not, the files stay tiny."""
import random
from collections import Counter

import pytest

from offices import demo as offices_demo
from offices.compliance.engine import compliance_for
from offices.models import Township
from regulations import compliance, demo, rules
from regulations.models import RegulationDocument

pytestmark = pytest.mark.django_db


def test_demo_has_realistic_variety(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    rng = random.Random(3713)
    units = offices_demo.build(rng, users=False)
    demo.build(rng, units)

    assert RegulationDocument.objects.count() > len(units.townships) * 7
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 8 and sum(p.stat().st_size for p in files) < 10_000
    for year in (2024, 2025):
        statuses = Counter(
            row.result(rules.REQUIRED_REGULATIONS.code).status
            for row in compliance_for(Township.objects.all(), year, modules=(compliance,))
        )
        assert statuses["pass"] > statuses["fail"] > 0, year
