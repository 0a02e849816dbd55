"""The city dashboard's per-county aggregates in ONE hand-written SQL statement over the stored results.

What the dashboard's own queries are measured against (issue 9, point 8): the
same figures read from offices_compliancesummary (one row per township and
year: overall and per-dimension status) and offices_complianceresult (one row
per township, year and rule: the numbers). Per county: townships; passing,
failing and assessed overall and per dimension; posts short and surplus (the
posts rule where assessed), working-funds and floor-area shortfall (where the
rule fails). The same SQL on SQLite and PostgreSQL.
"""
from bench.sql_inputs import DIMENSIONS

POSTS_RULE = "staffing.posts_authorized"
FUNDS_RULE = "funding.working_funds"
AREA_RULE = "facilities.area"


def tables():
    from offices.models import ComplianceResult, ComplianceSummary

    return ComplianceSummary._meta.db_table, ComplianceResult._meta.db_table


def build_sql():
    summary, result = tables()
    dimensions = ",\n  ".join(
        f"SUM(CASE WHEN s.{d}_status = 'pass' THEN 1 ELSE 0 END) AS {d}_pass,\n"
        f"  SUM(CASE WHEN s.{d}_status = 'fail' THEN 1 ELSE 0 END) AS {d}_fail"
        for d in DIMENSIONS)
    return f"""
SELECT s.county_id,
  COUNT(*) AS townships,
  SUM(CASE WHEN s.status = 'pass' THEN 1 ELSE 0 END) AS overall_pass,
  SUM(CASE WHEN s.status = 'fail' THEN 1 ELSE 0 END) AS overall_fail,
  {dimensions},
  MAX(r.posts_short) AS posts_short,
  MAX(r.posts_surplus) AS posts_surplus,
  MAX(r.funds_shortfall) AS funds_shortfall,
  MAX(r.area_shortfall) AS area_shortfall
FROM {summary} s
LEFT JOIN (
  SELECT county_id,
    SUM(CASE WHEN code = %(posts)s AND status <> 'not_assessed' THEN COALESCE(gap, 0) ELSE 0 END) AS posts_short,
    SUM(CASE WHEN code = %(posts)s AND status <> 'not_assessed' THEN COALESCE(surplus, 0) ELSE 0 END) AS posts_surplus,
    SUM(CASE WHEN code = %(funds)s AND status = 'fail' THEN COALESCE(gap, 0) ELSE 0 END) AS funds_shortfall,
    SUM(CASE WHEN code = %(area)s AND status = 'fail' THEN COALESCE(gap, 0) ELSE 0 END) AS area_shortfall
  FROM {result}
  WHERE city_id = %(city)s AND year = %(year)s AND code IN (%(posts)s, %(funds)s, %(area)s)
  GROUP BY county_id
) r ON r.county_id = s.county_id
WHERE s.city_id = %(city)s AND s.year = %(year)s
GROUP BY s.county_id
ORDER BY s.county_id
"""


def run(*, city_id, year, connection=None):
    """{county_id: {figure: value}} from the stored results, in one statement."""
    from django.db import connection as default

    connection = connection or default
    params = {"city": city_id, "year": year, "posts": POSTS_RULE, "funds": FUNDS_RULE, "area": AREA_RULE}
    with connection.cursor() as cursor:
        cursor.execute(build_sql(), params)
        names = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(names[1:], row[1:])) for row in cursor.fetchall()}


# The figures both statements give, to check one against the other.
SHARED = ["townships", "overall_pass", "overall_fail", *(f"{d}_{s}" for d in DIMENSIONS for s in ("pass", "fail")),
          "posts_short", "posts_surplus", "funds_shortfall", "area_shortfall"]
