"""Bench databases: copies of the demo city under generated division codes, built city by city.

Each synthetic city is the demo city (offices/demo_data/linyi_3713.csv: 13
counties, 156 townships, 4,186 villages) under another 4-digit city code, its
villages topped up or trimmed to the profile's density, filled by every app's
demo step with a random generator seeded by the city's index. A city is
therefore the same whatever database it is built into: city №1 (the first
built) of the national database and the one-city database `national-city`
hold the same data, which is what the "national / one city" figure compares.

This is bench data, not app data: the demo steps write the models directly
with bulk_create (no service, no recompute); the stored compliance results
are filled once at the end (`fill_store`).

| profile       | cities | townships | villages | years     |
|---------------|--------|-----------|----------|-----------|
| small         | 1      | 11        | 364      | 2023–2025 |
| city          | 1      | 156       | 5,167    | 2023–2025 |
| province      | 12     | 1,872     | 62,004   | 2023–2025 |
| national      | 257    | 40,092    | 643,785  | 2025      |
| national-city | 1      | 156       | 2,505    | 2025 (the national database's city №1) |

The national database generates 8 cities and copies them into the other 249
in the database (`clone_cities`); the stored results are filled by the app's
recompute_all() at the end (or copied too, with `copy_store`: see `build`).
"""
import math
import random
import time
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import transaction

from offices import demo as offices_demo
from offices.demo import DivisionRow
from offices.models import City

DEMO_TOWNSHIPS = 156  # townships of the demo city: its census population is spread over them

# The first provinces whose 2-digit code is used for the synthetic cities (37 = Shandong first, as before),
# then every other 2-digit province code; each province has city numbers 01…99.
FIRST_PROVINCES = (37,)


def city_prefixes(copies, *, avoid=()):
    """`copies` distinct 4-digit city codes: 3701…3799, then 1101…3699, 3801…9999; none that `avoid` covers.

    `avoid` holds the jurisdiction codes of the non-default standards (e.g. 320481, Liyang): a synthetic
    city under that prefix would be judged by that standard instead of the default one.
    """
    provinces = [*FIRST_PROVINCES, *(p for p in range(11, 100) if p not in FIRST_PROVINCES)]
    out = []
    for province in provinces:
        for number in range(1, 100):
            prefix = f"{province:02d}{number:02d}"
            if any(code and (code.startswith(prefix) or prefix.startswith(code)) for code in avoid):
                continue
            out.append(prefix)
            if len(out) == copies:
                return out
    raise ValueError(f"at most {len(out)} distinct city codes; asked for {copies}")


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


def add_villages(rows, target):
    """Add synthetic villages (codes 400+ under their township) until there are about `target`."""
    villages = [r for r in rows if r.level == "village"]
    townships = [r for r in rows if r.level == "township"]
    extra = max(0, target - len(villages))
    if extra > 600 * len(townships):
        raise ValueError("at most 600 synthetic villages per township (codes 400–999)")
    added = []
    for number in range(extra):
        township = townships[number % len(townships)]
        serial = 400 + number // len(townships)
        added.append(DivisionRow(code=township.code[:9] + f"{serial:03d}", name=f"新增{serial}村民委员会",
                                 level="village", parent_code=township.code))
    return rows + added


def trim_villages(rows, share):
    """Keep the first ceil(n × share) villages of every township (at least one)."""
    by_township = {}
    for row in rows:
        if row.level == "village":
            by_township.setdefault(row.parent_code, []).append(row)
    kept = set()
    for villages in by_township.values():
        villages.sort(key=lambda r: r.code)
        kept.update(r.code for r in villages[:max(1, math.ceil(len(villages) * share))])
    return [r for r in rows if r.level != "village" or r.code in kept]


@dataclass(frozen=True)
class Profile:
    """How a database is made: how many copies of the demo city, how dense in villages, which years."""

    name: str
    copies: int
    years: tuple
    villages_per_city: int | None = None  # top up to this many per full city (province density)
    village_share: float | None = None  # or keep this share of each township's villages (national density)
    counties: int | None = None  # keep only the first N counties of each copy (small databases)
    templates: int | None = None  # generate this many cities with the demo steps and copy them for the rest


PROVINCE_YEARS = offices_demo.DEMO_YEARS  # 2023–2025
NATIONAL_YEARS = (2025,)

PROFILES = {
    "small": Profile("small", 1, PROVINCE_YEARS, villages_per_city=5_167, counties=1),
    "city": Profile("city", 1, PROVINCE_YEARS, villages_per_city=5_167),
    "province": Profile("province", 12, PROVINCE_YEARS, villages_per_city=5_167),  # 12 × 5,167 ≈ 62,000
    "national": Profile("national", 257, NATIONAL_YEARS, village_share=0.58, templates=8),  # 257 × 156 = 40,092 townships
    "national-city": Profile("national-city", 1, NATIONAL_YEARS, village_share=0.58),
}


def city_rows(source, prefix, index, profile):
    """The divisions of one synthetic city under `profile`."""
    rows = copy_rows(source, prefix, index, counties=profile.counties)
    if profile.villages_per_city:
        townships = sum(1 for r in rows if r.level == "township")
        rows = add_villages(rows, profile.villages_per_city * townships // DEMO_TOWNSHIPS)
    if profile.village_share:
        rows = trim_villages(rows, profile.village_share)
    return rows


def upper_steps():
    """Every app's demo step except the administrators' (created once, not per city) and the reporting cycle's
    (it acts as each city's logins, which the bench creates in bulk at the end; the measured pages read the
    store, not the reports)."""
    from assessments.management.commands.load_demo import DEMO_STEPS, demo_steps

    skipped = ("security.", "offices.demo_reporting.")
    return [step for path, step in zip(DEMO_STEPS, demo_steps()) if not path.startswith(skipped)]


def build_city(source, prefix, index, profile, *, seed, steps):
    """One synthetic city with every app's demo data; return (townships, villages, seconds per demo step)."""
    rng = random.Random(seed * 100_003 + index)
    rows = city_rows(source, prefix, index, profile)
    townships = sum(1 for r in rows if r.level == "township")
    with transaction.atomic():
        units = offices_demo.build(rng, rows=rows, years=profile.years, users=False,
                                   total_population=offices_demo.DEMO_CITY_CENSUS_2020 * townships // DEMO_TOWNSHIPS)
        timings = {}
        for step in steps:
            started = time.perf_counter()
            step(rng, units)
            timings[step.__module__] = time.perf_counter() - started
    return len(units.townships), len(units.villages), timings


def build_users(password=offices_demo.DEMO_PASSWORD):
    """A login per city, county and township (`city3701`, `county370102`, `town370102001`), and the administrators.

    The password is hashed once with PBKDF2 (Django's default hasher), so that the production settings
    (gunicorn) accept it whatever settings built the database; like the demo's, these accounts are created
    directly and are never asked to change their password.
    """
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from offices.models import County, Role, Township, User
    from security import demo as security_demo

    hasher = PBKDF2PasswordHasher()
    hashed = hasher.encode(password, hasher.salt())
    users = [User(username="admin", is_staff=True, is_superuser=True, password=hashed, last_name="超级用户")]
    users += [User(username=f"city{c.code[:4]}", role=Role.CITY, city=c, password=hashed, last_name=f"{c.name}民政局")
              for c in City.objects.order_by("code")]
    users += [User(username=f"county{c.code[:6]}", role=Role.COUNTY, county=c, password=hashed,
                   last_name=f"{c.name}民政局") for c in County.objects.order_by("code")]
    users += [User(username=f"town{t.code[:9]}", role=Role.TOWNSHIP, township=t, password=hashed,
                   last_name=f"{t.name}民政办") for t in Township.objects.order_by("code").only("code", "name")]
    User.objects.bulk_create(users, batch_size=5000)
    security_demo.build(None, None)
    User.objects.filter(is_staff=True, is_superuser=False).update(password=hashed)
    return len(users)


STORE_CODE = ("offices/compliance/store.py", "offices/models/compliance.py", "offices/compliance/engine.py")


def store_fingerprint():
    """A digest of the code that writes the stored results: results written by other code may need refilling."""
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    for name in STORE_CODE:
        path = root / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:12]


def fill_store(log=print):
    """Fill the stored compliance results: offices.compliance.store.recompute_all() when the store exists.

    HOOK (issue 9): until `offices.compliance.store.recompute_all` exists, the database is left without
    stored results and the store-dependent figures say so.
    """
    try:
        from offices.compliance.store import recompute_all
    except ImportError:
        log("  （未找到 offices.compliance.store.recompute_all：未填充达标结果表，依赖它的指标将跳过）")
        return None
    started = time.perf_counter()
    total = recompute_all()
    elapsed = time.perf_counter() - started
    log(f"  达标结果表：重算 {total} 个乡镇·年度，{elapsed:.0f} 秒（{total / elapsed:.0f} 个/秒）")
    return {"store_township_years": total, "store_seconds": round(elapsed, 1), "store_code": store_fingerprint()}


def cloned_models(*, store=False):
    """The models a synthetic city is made of, parents first, with the lookups that reach its City.

    Every model of the rules apps whose foreign keys all lead to the hierarchy (and so to a City), or to a
    standard (kept as it is) — not the users or the jobs, which are made afresh, and the stored compliance
    results only with `store`. Found from the models, so a new table of a rules app is cloned without a
    change here.
    """
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from offices.models import City

    users = get_user_model()
    labels = ("offices", "staffing", "funding", "facilities", "regulations", "training", "supervision")
    candidates = [m for m in apps.get_models() if m._meta.app_label in labels and not m._meta.proxy
                  and (store or m.__module__ != "offices.models.compliance") and m is not users
                  and m not in KEPT_MODELS()]
    lookups = {City: ["pk"]}
    ordered = [City]
    changed = True
    while changed:
        changed = False
        for model in candidates:
            if model in lookups:
                continue
            relations = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model not in KEPT_MODELS()]
            if not relations or any(f.related_model not in lookups for f in relations):
                continue
            required = [f for f in relations if not f.null]
            chosen = required[:1] or relations
            lookups[model] = [
                f.name if f.related_model is City else f"{f.name}__{path}"
                for f in chosen for path in lookups[f.related_model]
            ]
            ordered.append(model)
            changed = True
    return [(model, lookups[model]) for model in ordered]


def KEPT_MODELS():  # noqa: N802 — a constant that needs the app registry
    """Rows a copied city refers to as they are (the standards)."""
    from offices.models import Standard

    return {Standard}


def clone_cities(templates, clones, *, store=False, log=print):
    """Copy the rows of the template cities into new cities with INSERT … SELECT, one statement per table and template.

    `templates` are City rows built by the demo steps; `clones` are (prefix, index) of the cities to make,
    clone n (from 1) copying template (n − 1) mod len(templates). Every id is shifted by n × the table's
    largest id, every foreign key by its target's shift, and the division codes get the clone's prefix.
    """
    from django.db import connection
    from django.db.models import Max, Q

    from offices.models import City

    models = cloned_models(store=store)
    stride = {model: model.objects.aggregate(top=Max("pk"))["top"] or 0 for model, _lookups in models}
    quote = connection.ops.quote_name
    started = time.perf_counter()
    rows = 0
    for model, lookups in models:
        table = quote(model._meta.db_table)
        columns, expressions = [], []
        for f in model._meta.concrete_fields:
            column = f"t.{quote(f.column)}"
            columns.append(quote(f.column))
            if f.primary_key:
                expressions.append(f"{column} + c.n * {stride[model]}")
            elif f.is_relation and f.related_model in KEPT_MODELS():
                expressions.append(column)
            elif f.is_relation:
                expressions.append(f"{column} + c.n * {stride[f.related_model]}")
            elif f.name == "code" and model.__module__ == "offices.models.hierarchy":
                expressions.append(f"c.prefix || substr({column}, 5)")
            elif model is City and f.name == "name":
                expressions.append("c.name")
            else:
                expressions.append(column)
        for number, template in enumerate(templates):
            mine = [(n, prefix, index) for n, (prefix, index) in enumerate(clones, start=1)
                    if (n - 1) % len(templates) == number]
            if not mine:
                continue
            condition = Q()
            for lookup in lookups:
                condition |= Q(**{lookup: template.pk})
            subquery, subparams = model.objects.filter(condition).values("pk").query.sql_with_params()
            values = ", ".join(["(%s, %s, %s)"] * len(mine))
            params = [value for n, prefix, index in mine for value in (n, prefix, f"合成{index:02d}市")]
            sql = (f"WITH c(n, prefix, name) AS (VALUES {values}) "
                   f"INSERT INTO {table} ({', '.join(columns)}) "
                   f"SELECT {', '.join(expressions)} FROM {table} t CROSS JOIN c WHERE t.{quote(model._meta.pk.column)} IN ({subquery})")
            with connection.cursor() as cursor:
                cursor.execute(sql, params + list(subparams))
            rows += model.objects.filter(condition).count() * len(mine)
    sequences = connection.ops.sequence_reset_sql(no_style(), [model for model, _lookups in models])
    with connection.cursor() as cursor:
        for statement in sequences:
            cursor.execute(statement)
    log(f"  复制 {len(clones)} 个市：{rows} 行（{time.perf_counter() - started:.0f} 秒）")
    return rows


def build(profile, *, seed=37, log=print, store=True, copy_store=False):
    """Build `profile` (a Profile or its name) into the current, empty database; return the build's figures.

    The first `profile.templates` cities are generated by every app's demo step (each from its own seed);
    the others, if any, are copies of them made in the database (`clone_cities`). The stored results are
    then filled by the app's `recompute_all()` — or, with `copy_store`, computed for the generated cities and
    copied with their data (minutes instead of the better part of an hour for the national database, but the
    copies' stored texts keep the template's database ids in the items that carry one — an assistant's
    underpaid quarters — so `verify_compliance` reports those as differences; every status and number the
    pages add up is the same).
    """
    from offices.models import Standard, Township, Village

    profile = PROFILES[profile] if isinstance(profile, str) else profile
    offices_demo.ensure_standards()
    avoid = [code for code in Standard.objects.values_list("jurisdiction_code", flat=True) if code]
    prefixes = city_prefixes(profile.copies, avoid=avoid)
    generated = min(profile.copies, profile.templates or profile.copies)
    source = offices_demo.read_divisions()
    steps = upper_steps()
    started = time.perf_counter()
    step_times = {}
    for index, prefix in enumerate(prefixes[:generated], start=1):
        _townships, _villages, timings = build_city(source, prefix, index, profile, seed=seed, steps=steps)
        for name, seconds in timings.items():
            step_times[name] = step_times.get(name, 0) + seconds
        if index == 1 or index % 10 == 0 or index == generated:
            log(f"  生成 {index}/{generated} 个市（{time.perf_counter() - started:.0f} 秒）")
    log("  各应用演示数据：" + "，".join(f"{name.split('.')[0]} {seconds:.0f} 秒" for name, seconds in step_times.items()))
    info = {"profile": profile.name, "cities": profile.copies, "years": list(profile.years)}
    if generated < profile.copies:
        # With copy_store, the copies' stored results are the templates' (the same data decides the same way):
        # the store is filled for the templates with the app's recompute, then copied with the data.
        stored = fill_store(log) if store and copy_store else None
        if stored:
            info.update({f"templates_{key}": value for key, value in stored.items()})
        with transaction.atomic():
            templates = list(City.objects.order_by("code"))
            clone_cities(templates, [(prefix, index) for index, prefix in enumerate(prefixes, start=1)][generated:],
                         store=bool(stored), log=log)
        store = store and not stored
    users = build_users()
    data_seconds = time.perf_counter() - started
    townships, villages = Township.objects.count(), Village.objects.count()
    log(f"  {City.objects.count()} 个市，{townships} 个乡镇，{villages} 个村；账号 {users} 个；用时 {data_seconds:.0f} 秒")
    info.update({"townships": townships, "villages": villages, "data_seconds": round(data_seconds, 1)})
    if store:
        info.update(fill_store(log) or {})
    return info


def build_province(*, copies=12, counties=None, seed=37, log=print):
    """A province of `copies` cities (kept for the tests that build a tiny one); returns the build's figures."""
    profile = Profile("province", copies, PROVINCE_YEARS, villages_per_city=5_167 if counties is None else None,
                      counties=counties)
    return build(profile, seed=seed, log=log, store=False)


def province_exists():
    return City.objects.exists()
