"""The demo city, cut down for tests: real divisions, every app's demo data, one login per role."""
import random

from assessments.management.commands.load_demo import demo_steps
from bench.province import copy_rows
from offices import demo as offices_demo
from offices.compliance.store import recompute_all


def build_demo_city(*, counties, seed=3713):
    """The first `counties` counties of the demo city with every app's demo data and its demo logins."""
    rows = copy_rows(offices_demo.read_divisions(), "3713", 0, counties=counties)
    rows = [r if r.level != "city" else type(r)(code=r.code, name="临沂市", level="city", parent_code="") for r in rows]
    rng = random.Random(seed)
    townships = sum(1 for r in rows if r.level == "township")
    units = offices_demo.build(rng, rows=rows, total_population=offices_demo.DEMO_CITY_CENSUS_2020 * townships // 156)
    for step in demo_steps():
        step(rng, units)
    recompute_all()  # as load_demo does: the pages read stored results
    return units
