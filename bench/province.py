"""A province-sized database: the demo city copied under other city codes.

12 copies of 临沂市 (offices/demo_data/linyi_3713.csv) under the codes
3701…3712 give about 1,870 townships and 50,000 villages over three years;
each app's demo builder then fills it as it fills the demo city. Names keep
the demo's county and township names; the city names are marked synthetic.
"""
import random
import time

from django.db import transaction

from offices import demo as offices_demo
from offices.demo import DivisionRow
from offices.models import City

SOURCE_PREFIX = "3713"


def city_prefixes(copies):
    return [f"37{number:02d}" for number in range(1, copies + 1)]


def copy_rows(rows, prefix, index, *, counties=None):
    """The demo city's divisions under the city code `prefix` (keeping only the first `counties` counties)."""
    keep = None
    if counties is not None:
        keep = {r.code[:6] for r in rows if r.level == "county"}
        keep = set(sorted(keep)[:counties])
    out = []
    for row in rows:
        if keep is not None and row.level != "city" and row.code[:6] not in keep:
            continue
        name = f"合成{index:02d}市" if row.level == "city" else row.name
        parent = prefix + row.parent_code[4:] if row.parent_code else row.parent_code
        out.append(DivisionRow(code=prefix + row.code[4:], name=name, level=row.level, parent_code=parent))
    return out


def add_villages(rows, target, rng):
    """Add synthetic villages (codes 400+ under their township) until there are about `target`.

    Twelve copies of the demo city have the province's ~1,850 townships but only
    ~50,000 villages; a province like Shandong has ~62,000 per 1,850 townships.
    """
    villages = [r for r in rows if r.level == "village"]
    townships = [r for r in rows if r.level == "township"]
    extra = max(0, target - len(villages))
    added = []
    for number in range(extra):
        township = townships[number % len(townships)]
        serial = 400 + number // len(townships)
        added.append(DivisionRow(code=township.code[:9] + f"{serial:03d}", name=f"新增{serial}村民委员会",
                                 level="village", parent_code=township.code))
    return rows + added


def build_province(*, copies=12, counties=None, seed=37, villages=62_000, log=print):
    """Build the province (once): returns the DemoUnits; every app's demo step runs on all copies together."""
    from assessments.management.commands.load_demo import demo_steps

    source = offices_demo.read_divisions()
    rows = []
    for index, prefix in enumerate(city_prefixes(copies), start=1):
        rows += copy_rows(source, prefix, index, counties=counties)
    rng = random.Random(seed)
    if counties is None:
        rows = add_villages(rows, villages, rng)
    started = time.perf_counter()
    with transaction.atomic():
        townships = sum(1 for r in rows if r.level == "township")
        # Same people per township as the demo city (156 townships for its census population).
        units = offices_demo.build(rng, rows=rows, total_population=offices_demo.DEMO_CITY_CENSUS_2020 * townships // 156)
        log(f"  区划与人口：{len(units.townships)} 个乡镇，{len(units.villages)} 个村（{time.perf_counter() - started:.1f} 秒）")
        for step in demo_steps():
            step_started = time.perf_counter()
            step(rng, units)
            log(f"  {step.__module__}：{time.perf_counter() - step_started:.1f} 秒")
    return units


def province_exists():
    return City.objects.exists()
