#!/usr/bin/env python3
"""Province-sized benchmark of the oversight pages: `make bench`.

Builds (once; reused on later runs) a province of 12 synthetic cities in
bench/out/province.sqlite3 — or in the database DATABASE_URL names — then
prints: the city dashboard's time (through the selector the view uses and
through a GET), one hand-written SQL query computing the per-county shares of
the rules SQL can express (posts, funds, area) and the ratio, and the city
spreadsheet export's time and peak memory growth.
"""
import argparse
import os
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "bench" / "out" / "province.sqlite3"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

# The rules SQL can express, checked on the applicable standard's parameters.
SQL_SHARES = """
WITH t AS (
  SELECT tw.id AS township_id, tw.county_id, p.resident AS pop,
    (SELECT ap.posts FROM staffing_authorizedposts ap WHERE ap.township_id = tw.id AND ap.year = %(year)s) AS posts,
    (SELECT bl.allocated FROM funding_budgetline bl
      WHERE bl.township_id = tw.id AND bl.year = %(year)s AND bl.kind = 'working_funds') AS funds,
    (SELECT COALESCE(SUM(r.area), 0) FROM facilities_room r WHERE r.township_id = tw.id
      AND r.since_year <= %(year)s AND (r.until_year IS NULL OR r.until_year >= %(year)s)) AS area
  FROM offices_township tw
  JOIN offices_county c ON c.id = tw.county_id
  LEFT JOIN offices_population p ON p.township_id = tw.id AND p.year = %(year)s
  WHERE c.city_id = %(city)s
), r AS (
  SELECT county_id, posts, funds, area,
    CASE WHEN pop IS NULL THEN NULL WHEN pop <= %(tier1_max)s THEN %(tier1_posts)s
         WHEN pop <= %(tier2_max)s THEN %(tier2_posts)s
         ELSE %(tier2_posts)s + (pop - %(tier2_max)s) / %(step)s * %(step_posts)s END AS required_posts,
    pop * %(funds_per_10k)s / 10000.0 AS required_funds,
    CASE WHEN pop * %(area_per_10k)s / 10000.0 > %(area_min)s THEN pop * %(area_per_10k)s / 10000.0
         ELSE %(area_min)s END AS required_area
  FROM t
)
SELECT county_id, COUNT(*) AS townships,
  SUM(CASE WHEN posts >= required_posts THEN 1 ELSE 0 END) AS posts_pass,
  SUM(CASE WHEN funds >= required_funds THEN 1 ELSE 0 END) AS funds_pass,
  SUM(CASE WHEN required_area IS NOT NULL AND area >= required_area THEN 1 ELSE 0 END) AS area_pass
FROM r GROUP BY county_id ORDER BY county_id
"""


def use_project_python():
    """Started as `bench/run.py` by a Python without Django: run again with the project's .venv."""
    try:
        import django  # noqa: F401
    except ModuleNotFoundError:
        if VENV_PYTHON.exists() and os.path.abspath(sys.executable) != str(VENV_PYTHON):
            os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])
        raise SystemExit("bench/run.py 需要 Django：先运行 make install（建立 .venv），再 make bench。") from None


def setup_django(db_path):
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        db_path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # whitenoise warns that collectstatic has not run; the pages measured here do not need it.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


def median_time(function, runs):
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def sql_parameters(standard, city, year):
    tiers = sorted(standard.posts_tiers, key=lambda tier: tier["max_population"])
    return {
        "year": year, "city": city.pk,
        "tier1_max": tiers[0]["max_population"], "tier1_posts": tiers[0]["posts"],
        "tier2_max": tiers[-1]["max_population"], "tier2_posts": tiers[-1]["posts"],
        "step": standard.posts_step_population, "step_posts": standard.posts_step_posts,
        "funds_per_10k": float(standard.funds_per_10k_population),
        "area_per_10k": float(standard.area_per_10k_population), "area_min": float(standard.area_minimum),
    }


def sql_shares(city, year, standard):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(SQL_SHARES, sql_parameters(standard, city, year))
        return {row[0]: row[1:] for row in cursor.fetchall()}


def python_shares(cards):
    """The same counts from the one computation (to check the SQL says the same)."""
    out = {}
    for card in cards:
        entry = out.setdefault(card.township.county_id, [0, 0, 0, 0])
        entry[0] += 1
        for index, code in enumerate(("staffing.posts_authorized", "funding.working_funds", "facilities.area"), 1):
            result = card.result(code)
            entry[index] += 1 if result is not None and result.passed else 0
    return {key: tuple(value) for key, value in out.items()}


def measure_export(make_report):
    """Time and peak memory growth of computing `make_report()` and writing the workbook."""
    from assessments import exports

    started = time.perf_counter()
    report = make_report()
    handle = exports.workbook_file(report)
    elapsed = time.perf_counter() - started
    size = handle.seek(0, 2)
    handle.close()
    del report
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    exports.workbook_file(make_report()).close()
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    return elapsed, peak, size


def measure(*, runs=5, out=print):
    """Print the figures for the first city of the database (and the export for the whole province)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assessments import oversight
    from assessments.compliance import compliance_for
    from assessments.reports import compliance_report
    from offices.models import City, Standard, Township, User, Village
    from offices.selectors import data_years

    city = City.objects.order_by("code").first()
    years = data_years(None)
    year = years[0]
    townships = Township.objects.filter(county__city=city)
    out(f"数据库：{connection.vendor}，{City.objects.count()} 个市，{Township.objects.count()} 个乡镇，"
        f"{Village.objects.count()} 个村（社区），年度 {sorted(years)}")
    out(f"看板：{city.name}（{townships.count()} 个乡镇），{year}年度，每项取 {runs} 次的中位数")

    selector_time, view = median_time(lambda: oversight.overview(townships, year), runs)
    out(f"  看板 selector（overview，页面所用）：        {selector_time * 1000:8.1f} ms")
    trend_time, points = median_time(lambda: oversight.trend(townships, years), runs)
    out(f"  趋势 selector（{len(points)} 年，页面加载后取 JSON）：{trend_time * 1000:8.1f} ms")
    one_year, cards = median_time(lambda: compliance_for(townships, year), runs)
    out(f"  其中 compliance_for 一个年度：            {one_year * 1000:8.1f} ms")

    user = User.objects.filter(role="city", city=city).first() or User.objects.create(
        username=f"bench{city.code[:4]}", role="city", city=city)
    client = Client()
    client.force_login(user)
    url = reverse("assessments:dashboard", args=[city.code]) + f"?year={year}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        get_time, response = median_time(lambda: client.get(url), runs)
    out(f"  看板 GET（HTTP {response.status_code}，{len(response.content) // 1024} KB，"
        f"{len(queries.captured_queries) // runs} 次查询）：{get_time * 1000:8.1f} ms")
    trend_url = reverse("assessments:dashboard_trend", args=[city.code])
    trend_get, response = median_time(lambda: client.get(trend_url), runs)
    out(f"  趋势 JSON GET（HTTP {response.status_code}）：{trend_get * 1000:8.1f} ms")

    standard = Standard.objects.applicable(city.code, year)
    sql_time, sql = median_time(lambda: sql_shares(city, year, standard), runs)
    python = python_shares(cards)
    same = all(tuple(sql.get(key, ())) == value for key, value in python.items())
    out(f"  手写单条 SQL（各县区 编制/经费/面积 达标数）：{sql_time * 1000:8.1f} ms")
    out(f"  比值：compliance_for / SQL = {one_year / sql_time:.0f} 倍；看板 selector / SQL = {selector_time / sql_time:.0f} 倍")
    out(f"  SQL 与 compliance_for 的三项达标数一致：{'是' if same else '否'}")
    if not same:
        for key, value in sorted(python.items()):
            out(f"    县区 {key}: python {value} / sql {tuple(sql.get(key, ()))}")

    elapsed, peak, size = measure_export(lambda: compliance_report(townships, year))
    out(f"全市 xlsx 导出（{len(cards)} 个乡镇，含计算）：{elapsed * 1000:.0f} ms，文件 {size // 1024} KB，"
        f"内存峰值增长 {peak / 2**20:.1f} MB（目标 < 50 MB）")
    export_url = reverse("assessments:export_city", args=[city.code]) + f"?year={year}"
    get_export, response = median_time(lambda: b"".join(client.get(export_url).streaming_content), runs)
    out(f"  经 GET 下载：{get_export * 1000:.0f} ms")
    elapsed, peak, size = measure_export(lambda: compliance_report(Township.objects.all(), year))
    out(f"全省 xlsx 导出（{Township.objects.count()} 个乡镇，含计算）：{elapsed * 1000:.0f} ms，文件 {size // 1024} KB，"
        f"内存峰值增长 {peak / 2**20:.1f} MB")


def main(argv=None):
    parser = argparse.ArgumentParser(description="省级规模的看板与导出基准测试")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"SQLite 文件（默认 {DEFAULT_DB}；设置 DATABASE_URL 时忽略）")
    parser.add_argument("--copies", type=int, default=12, help="复制演示市的份数（默认 12；只在建库时使用，数据库已建好时忽略）")
    parser.add_argument("--counties", type=int, default=None, help="每市只保留前 N 个县区（用于快速试跑；只在建库时使用）")
    parser.add_argument("--runs", type=int, default=5, help="每项计时的次数（取中位数，默认 5）")
    args = parser.parse_args(argv)
    use_project_python()
    setup_django(args.db)

    from django.core.management import call_command

    from bench.province import build_province, province_exists

    call_command("migrate", verbosity=0, interactive=False)
    if province_exists():
        print("使用已建好的数据库（删除该文件可重建）。")
    else:
        print(f"建立省级规模数据库（{args.copies} 个市）……")
        started = time.perf_counter()
        build_province(copies=args.copies, counties=args.counties)
        print(f"  建库用时 {time.perf_counter() - started:.0f} 秒")
    measure(runs=args.runs)


if __name__ == "__main__":
    main()
