"""The city dashboard's per-county aggregates in ONE hand-written SQL statement, straight from the input tables.

The floor the dashboard is measured against (issue 9, point 8): what a database
does when it is asked the dashboard's question directly, with no stored results.
It decides every rule of the standard that SQL can express — 21 of the 23; the
other two (satisfaction, bought services) are tracked figures the standard never
judges ("not assessed") — for every township of a city in one year, then adds up
per county: townships, pass/fail overall, per dimension and per rule, posts
short/surplus, working-funds and floor-area shortfall, and how many townships
miss each required kind of equipment.

The statement is the same for SQLite and PostgreSQL but for a few functions
(`Dialect`): the year and month of a date, GREATEST/LEAST, date literals. The
standard's parameters are bound values; its lists (tiers of posts, groups of
rooms, kinds of equipment and regulations, grade factors) are written into the
text as bound values too, one per item. A rule the standard leaves out is NULL
(not assessed), as the engine says.

`app_aggregates` computes the same figures from the app's one computation
(`offices.compliance.engine.compliance_for`) and `compare` says where they differ.
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal

# Rules in the engine's order: (code, dimension). Satisfaction and service contracts are never assessed.
RULES = [
    ("staffing.posts_authorized", "staffing"),
    ("staffing.staff_in_post", "staffing"),
    ("staffing.village_assistants", "staffing"),
    ("staffing.assistants_filed", "staffing"),
    ("staffing.director_opinion", "staffing"),
    ("funding.working_funds", "funding"),
    ("funding.assistant_subsidy", "funding"),
    ("funding.vehicle_costs", "funding"),
    ("facilities.area", "facilities"),
    ("facilities.rooms", "facilities"),
    ("facilities.village_stations", "facilities"),
    ("facilities.naming", "facilities"),
    ("facilities.equipment", "equipment"),
    ("regulations.required", "regulations"),
    ("training.graded", "training"),
    ("training.rotation", "training"),
    ("training.before_post", "training"),
    ("supervision.assistants_graded", "supervision"),
    ("supervision.incompetent_replaced", "supervision"),
    ("supervision.subsidy_by_grade", "supervision"),
    ("supervision.rectification", "supervision"),
]
TRACKED = ["supervision.satisfaction", "supervision.service_contracts"]
DIMENSIONS = ["staffing", "funding", "facilities", "equipment", "regulations", "training", "supervision"]

# village_short_name (offices.models.hierarchy) in SQL: NBS committee suffixes, longest first.
COMMITTEE_SUFFIXES = [
    ("社区居民委员会", "社区"), ("社区居民委员", "社区"), ("社区居委会", "社区"), ("居民委员会", "社区"),
    ("社区居会", "社区"), ("居委会", "社区"), ("村民委员会", "村"), ("村民委员", "村"), ("村委会", "村"),
]


def column(name):
    """A rule code as a column name: staffing.posts_authorized → staffing__posts_authorized."""
    return name.replace(".", "__")


@dataclass(frozen=True)
class Dialect:
    vendor: str

    def date(self, param):
        return f"CAST({param} AS DATE)" if self.vendor == "postgresql" else param

    def year(self, expression):
        if self.vendor == "postgresql":
            return f"CAST(EXTRACT(YEAR FROM {expression}) AS INTEGER)"
        return f"CAST(substr({expression}, 1, 4) AS INTEGER)"

    def month(self, expression):
        if self.vendor == "postgresql":
            return f"CAST(EXTRACT(MONTH FROM {expression}) AS INTEGER)"
        return f"CAST(substr({expression}, 6, 2) AS INTEGER)"

    def greatest(self, *expressions):
        return f"{'GREATEST' if self.vendor == 'postgresql' else 'MAX'}({', '.join(expressions)})"

    def least(self, *expressions):
        return f"{'LEAST' if self.vendor == 'postgresql' else 'MIN'}({', '.join(expressions)})"

    def right(self, expression, length):
        """The last `length` characters."""
        if self.vendor == "postgresql":
            return f"right({expression}, {length})"
        return f"substr({expression}, -{length})"

    def number(self, value):
        """A bound decimal: exact on PostgreSQL (numeric), a float on SQLite (which stores decimals as REAL)."""
        if value is None:
            return None
        return Decimal(value) if self.vendor == "postgresql" else float(value)


def short_name(expression, d):
    """SQL for village_short_name(expression): the committee suffix replaced by 村 or 社区."""
    branches = []
    for suffix, replacement in COMMITTEE_SUFFIXES:
        stem = f"substr({expression}, 1, length({expression}) - {len(suffix)})"
        ends = f"{d.right(stem, len(replacement))} = '{replacement}'"
        branches.append(f"WHEN {d.right(expression, len(suffix))} = '{suffix}' "
                        f"THEN CASE WHEN {ends} THEN {stem} ELSE {stem} || '{replacement}' END")
    return f"(CASE {' '.join(branches)} ELSE {expression} END)"


class Params:
    """Bound values named p0, p1, … so that the text holds no value."""

    def __init__(self, **named):
        self.values = dict(named)

    def add(self, value):
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"%({name})s"

    def many(self, values):
        return ", ".join(self.add(v) for v in values) or "NULL"


def tables():
    from facilities.models import Equipment, Room, VillageStation, VillageStationSpace
    from funding.models import AssistantSubsidyPayment, BudgetLine
    from offices.models import County, Population, Township, TownshipOffice, Village
    from regulations.models import RegulationDocument
    from staffing.models import AuthorizedPosts, DirectorOpinion, StaffMember, VillageAssistant
    from supervision.models import AssistantAssessment, Inspection, InspectionFinding
    from training.models import Attendance, TrainingSession

    models = {
        "township": Township, "county": County, "population": Population, "village": Village,
        "office": TownshipOffice, "posts": AuthorizedPosts, "staff": StaffMember, "opinion": DirectorOpinion,
        "assistant": VillageAssistant, "budget": BudgetLine, "payment": AssistantSubsidyPayment, "room": Room,
        "equipment": Equipment, "station": VillageStation, "space": VillageStationSpace,
        "regulation": RegulationDocument, "grade": AssistantAssessment, "inspection": Inspection,
        "finding": InspectionFinding,
        "attendance": Attendance, "session": TrainingSession,
    }
    return {key: model._meta.db_table for key, model in models.items()}


def judged_quarters(year, today):
    """How many quarters of `year` have ended before `today` (funding.rules.judged_quarters: always a prefix 1…k)."""
    from funding.rules import judged_quarters as judged

    return len(judged(year, today))


def build_sql(standard, *, city_id, year, today, vendor):
    """(sql, params): the per-county aggregates of the city's townships in `year` under `standard`."""
    d = Dialect(vendor)
    t = tables()
    ye, ys = datetime.date(year, 12, 31), datetime.date(year, 1, 1)
    as_of = min(today, ye)
    cycle = standard.training_cycle_years
    window = datetime.date(year - cycle + 1, 1, 1) if cycle else datetime.date(1, 1, 1)
    p = Params(city=city_id, year=year, ye=ye.isoformat(), ys=ys.isoformat(), today=today.isoformat(),
               as_of=as_of.isoformat(), window=window.isoformat(), quarters=judged_quarters(year, today),
               ym=year * 12)
    YE, YS, TODAY, AS_OF, WINDOW = (d.date(f"%({n})s") for n in ("ye", "ys", "today", "as_of", "window"))
    basis = "registered" if standard.population_basis == "registered" else "resident"

    # --- what the standard sets (the engine's `applies`) -------------------------------------------------------
    tiers = sorted((int(x["max_population"]), int(x["posts"])) for x in standard.posts_tiers or [])
    factors = {grade: Decimal(str(f)) for grade, f in (standard.grade_subsidy_factors or {}).items()}
    applies = {
        "staffing.posts_authorized": bool(tiers), "staffing.staff_in_post": bool(tiers),
        "staffing.village_assistants": bool(standard.assistants_per_village),
        "staffing.assistants_filed": standard.assistant_filing_required,
        "staffing.director_opinion": standard.director_opinion_required,
        "funding.working_funds": standard.funds_per_10k_population is not None,
        "funding.assistant_subsidy": standard.assistant_monthly_subsidy is not None,
        "funding.vehicle_costs": bool(standard.vehicle_costs_required),
        "facilities.area": standard.area_per_10k_population is not None or standard.area_minimum is not None,
        "facilities.rooms": bool(standard.required_rooms),
        "facilities.village_stations": standard.village_station_space_required,
        "facilities.naming": standard.naming_required,
        "facilities.equipment": bool(standard.required_equipment),
        "regulations.required": bool(standard.required_regulations),
        "training.graded": bool(standard.graded_training), "training.rotation": bool(cycle),
        "training.before_post": bool(standard.training_before_post),
        "supervision.assistants_graded": bool(factors), "supervision.incompetent_replaced": bool(factors),
        "supervision.subsidy_by_grade": bool(factors) and bool(standard.assistant_monthly_subsidy),
        "supervision.rectification": True,
    }

    # Required posts (staffing.rules.required_posts): the first tier whose bound is at least P, then steps.
    if tiers:
        top_population, top_posts = tiers[-1]
        if standard.posts_step_population:
            step = p.add(standard.posts_step_population)
            excess = f"(tw.pop - {p.add(top_population)})"
            steps = (f"(({excess} + {step} - 1) / {step})" if standard.posts_step_rounding == "ceil"
                     else f"({excess} / {step})")
            above = f"{p.add(top_posts)} + {steps} * {p.add(standard.posts_step_posts)}"
        else:
            above = p.add(top_posts)
        whens = " ".join(f"WHEN tw.pop <= {p.add(bound)} THEN {p.add(posts)}" for bound, posts in tiers)
        required_posts = f"CASE WHEN tw.pop IS NULL THEN NULL {whens} ELSE {above} END"
    else:
        required_posts = "NULL"
    funds_rate = d.number(standard.funds_per_10k_population)
    required_funds = (f"ROUND(tw.pop * {p.add(funds_rate)} / 10000.0, 2)" if funds_rate is not None else "NULL")
    area_parts = []
    if standard.area_minimum is not None:
        area_parts.append(p.add(d.number(standard.area_minimum)))
    if standard.area_per_10k_population is not None:
        area_parts.append(f"tw.pop * {p.add(d.number(standard.area_per_10k_population))} / 10000.0")
    required_area = (area_parts[0] if len(area_parts) == 1 else d.greatest(*area_parts)) if area_parts else "NULL"
    area_needs_population = standard.area_per_10k_population is not None

    groups = [list(group) for group in standard.required_rooms or []]
    room_flags = ",\n    ".join(
        f"MAX(CASE WHEN r.kind IN ({p.many(group)}) THEN 1 ELSE 0 END) AS room_{i}" for i, group in enumerate(groups))
    kinds = list(standard.required_equipment or [])

    def counted(kind):
        """facilities.rules.equipment_counts: every computer counts as 「电脑」, only networked ones as 「电脑（可联网）」."""
        if kind == "computer":
            return "e.kind = 'computer' AND e.networked"
        if kind == "computer_any":
            return "e.kind = 'computer'"
        return f"e.kind = {p.add(kind)}"

    equipment_sums = ",\n    ".join(
        f"SUM(CASE WHEN {counted(kind)} THEN e.count ELSE 0 END) AS eq_{i}" for i, kind in enumerate(kinds))
    regulations = list(standard.required_regulations or [])
    regulation_flags = ",\n    ".join(
        f"MAX(CASE WHEN g.kind = {p.add(kind)} THEN 1 ELSE 0 END) AS reg_{i}" for i, kind in enumerate(regulations))
    monthly = d.number(standard.assistant_monthly_subsidy)
    monthly_param = p.add(monthly if monthly is not None else 0)
    factor_case = ("CASE a.grade " + " ".join(f"WHEN {p.add(g)} THEN {p.add(d.number(f))}" for g, f in factors.items())
                   + " END") if factors else "NULL"

    def months(quarter):
        """funding.rules.months_in_post on month numbers (year × 12 + month)."""
        first = f"(%(ym)s + 3 * {quarter} - 2)"
        last = f"(%(ym)s + 3 * {quarter})"
        started = f"({d.year('a.start_date')} * 12 + {d.month('a.start_date')})"
        left = f"(CASE WHEN a.end_date IS NULL THEN {last} ELSE {d.year('a.end_date')} * 12 + {d.month('a.end_date')} END)"
        return d.greatest(f"{d.least(left, last)} - {d.greatest(started, first)} + 1", "0")

    due = d.greatest(YE, f"COALESCE(a.assessed_on, {YE})")

    # --- each rule: 1 pass, 0 fail, NULL not assessed ------------------------------------------------------------
    status = {
        "staffing.posts_authorized":
            "CASE WHEN tw.pop IS NULL OR tw.posts IS NULL THEN 0 WHEN tw.posts >= tw.req_posts THEN 1 ELSE 0 END",
        "staffing.staff_in_post":
            "CASE WHEN tw.pop IS NULL THEN 0 WHEN COALESCE(sf.headcount, 0) >= tw.req_posts THEN 1 ELSE 0 END",
        "staffing.village_assistants":
            "CASE WHEN COALESCE(vl.villages, 0) = COALESCE(cv.covered, 0) THEN 1 ELSE 0 END",
        "staffing.assistants_filed": "CASE WHEN COALESCE(ast.unfiled, 0) = 0 THEN 1 ELSE 0 END",
        "staffing.director_opinion":
            "CASE WHEN COALESCE(sf.directors, 0) > 0 AND sf.directors_late = 0 THEN 1 ELSE 0 END",
        "funding.working_funds":
            "CASE WHEN tw.pop IS NULL OR COALESCE(bd.funds_lines, 0) = 0 THEN 0 "
            "WHEN ROUND(bd.funds_allocated, 2) >= tw.req_funds THEN 1 ELSE 0 END",
        "funding.assistant_subsidy": "CASE WHEN COALESCE(sb.subsidy_short, 0) = 0 THEN 1 ELSE 0 END",
        "funding.vehicle_costs": "CASE WHEN COALESCE(bd.vehicle_lines, 0) > 0 AND bd.vehicle_budgeted > 0 THEN 1 ELSE 0 END",
        "facilities.area":
            ("CASE WHEN tw.pop IS NULL THEN 0 " if area_needs_population else "CASE ")
            + "WHEN ROUND(COALESCE(rm.area, 0), 6) >= ROUND(tw.req_area, 6) THEN 1 ELSE 0 END",
        "facilities.rooms": ("CASE WHEN " + " AND ".join(f"COALESCE(rm.room_{i}, 0) = 1" for i in range(len(groups)))
                             + " THEN 1 ELSE 0 END") if groups else "NULL",
        "facilities.village_stations": "CASE WHEN COALESCE(vl.lacking_space, 0) = 0 THEN 1 ELSE 0 END",
        "facilities.naming":
            "CASE WHEN o.name = (tw.name || '民政办公室') AND COALESCE(vl.bad_station_names, 0) = 0 THEN 1 ELSE 0 END",
        "facilities.equipment": ("CASE WHEN " + " AND ".join(f"COALESCE(eq.eq_{i}, 0) >= 1" for i in range(len(kinds)))
                                 + " THEN 1 ELSE 0 END") if kinds else "NULL",
        "regulations.required": ("CASE WHEN " + " AND ".join(f"COALESCE(rg.reg_{i}, 0) = 1"
                                                             for i in range(len(regulations)))
                                 + " THEN 1 ELSE 0 END") if regulations else "NULL",
        "training.graded":
            "CASE WHEN COALESCE(wk.workers, 0) > 0 AND wk.graded_lacking = 0 THEN 1 ELSE 0 END",
        "training.rotation":
            "CASE WHEN COALESCE(wk.workers, 0) > 0 AND wk.rotation_lacking = 0 THEN 1 ELSE 0 END",
        "training.before_post":
            "CASE WHEN COALESCE(wk.workers, 0) > 0 AND wk.before_lacking = 0 THEN 1 ELSE 0 END",
        "supervision.assistants_graded":
            f"CASE WHEN {TODAY} <= {YE} THEN NULL WHEN COALESCE(ast.ungraded, 0) = 0 THEN 1 ELSE 0 END",
        "supervision.incompetent_replaced": "CASE WHEN COALESCE(ast.incompetent_staying, 0) = 0 THEN 1 ELSE 0 END",
        "supervision.subsidy_by_grade": "CASE WHEN COALESCE(sb.grade_short, 0) = 0 THEN 1 ELSE 0 END",
        "supervision.rectification": "CASE WHEN COALESCE(ins.overdue, 0) = 0 THEN 1 ELSE 0 END",
    }
    status = {code: (sql if applies[code] else "NULL") for code, sql in status.items()}
    rule_columns = ",\n    ".join(f"{sql} AS {column(code)}" for code, sql in status.items())

    def combined(codes):
        """engine.combined_status over 1/0/NULL: 0 if any fails, 1 if any passes, else NULL."""
        if len(codes) == 1:
            return column(codes[0])
        return f"NULLIF({d.least(*(f'COALESCE({column(c)}, 2)' for c in codes))}, 2)"

    dimension_columns = ",\n    ".join(
        f"{combined([c for c, dim in RULES if dim == dimension])} AS dim_{dimension}" for dimension in DIMENSIONS)
    # The gaps the dashboard adds up (in `township_t`, over the columns of `rules`).
    gap_posts = (f"CASE WHEN {column('staffing.posts_authorized')} IS NULL OR pop IS NULL THEN 0 "
                 f"ELSE {d.greatest('req_posts - COALESCE(posts, 0)', '0')} END")
    surplus_posts = (f"CASE WHEN {column('staffing.posts_authorized')} IS NULL OR pop IS NULL THEN 0 "
                     f"ELSE {d.greatest('COALESCE(posts, 0) - req_posts', '0')} END")
    gap_funds = (f"CASE WHEN {column('funding.working_funds')} = 0 AND pop IS NOT NULL "
                 f"THEN {d.greatest('req_funds - COALESCE(funds_allocated, 0)', '0')} ELSE 0 END")
    gap_area = (f"CASE WHEN {column('facilities.area')} = 0 AND req_area IS NOT NULL "
                f"THEN {d.greatest('req_area - COALESCE(area, 0)', '0')} ELSE 0 END")
    equipment_counts = "".join(f", COALESCE(eq.eq_{i}, 0) AS eq_{i}" for i in range(len(kinds)))
    missing_equipment = "".join(
        f",\n    CASE WHEN {column('facilities.equipment')} = 0 AND eq_{i} < 1 THEN 1 ELSE 0 END AS miss_{i}"
        for i in range(len(kinds)))

    sums = [
        "COUNT(*) AS townships",
        "SUM(CASE WHEN overall = 1 THEN 1 ELSE 0 END) AS overall_pass",
        "SUM(CASE WHEN overall = 0 THEN 1 ELSE 0 END) AS overall_fail",
        *(f"SUM(CASE WHEN dim_{x} = 1 THEN 1 ELSE 0 END) AS {x}_pass" for x in DIMENSIONS),
        *(f"SUM(CASE WHEN dim_{x} = 0 THEN 1 ELSE 0 END) AS {x}_fail" for x in DIMENSIONS),
        *(f"SUM(CASE WHEN {column(c)} = 1 THEN 1 ELSE 0 END) AS {column(c)}_pass" for c, _x in RULES),
        *(f"SUM(CASE WHEN {column(c)} = 0 THEN 1 ELSE 0 END) AS {column(c)}_fail" for c, _x in RULES),
        "SUM(posts_short) AS posts_short", "SUM(posts_surplus) AS posts_surplus",
        "SUM(funds_shortfall) AS funds_shortfall", "SUM(area_shortfall) AS area_shortfall",
        *(f"SUM(miss_{i}) AS missing_{kind}" for i, kind in enumerate(kinds)),
    ]
    everything = [code for code, _dimension in RULES]

    sql = f"""
WITH tw AS (
  SELECT t.id, t.county_id, t.name, p.{basis} AS pop, ap.posts
  FROM {t['township']} t
  JOIN {t['county']} c ON c.id = t.county_id
  LEFT JOIN {t['population']} p ON p.township_id = t.id AND p.year = %(year)s
  LEFT JOIN {t['posts']} ap ON ap.township_id = t.id AND ap.year = %(year)s
  WHERE c.city_id = %(city)s
), req AS (
  SELECT tw.*, {required_posts} AS req_posts, {required_funds} AS req_funds, {required_area} AS req_area FROM tw
), staff AS (  -- office staff in post on 31 December
  SELECT s.id, s.township_id, s.post, s.start_date
  FROM {t['staff']} s JOIN tw ON tw.id = s.township_id
  WHERE s.start_date <= {YE} AND (s.end_date IS NULL OR s.end_date >= {YE})
), staff_t AS (
  SELECT s.township_id, COUNT(*) AS headcount,
    SUM(CASE WHEN s.post = 'director' THEN 1 ELSE 0 END) AS directors,
    SUM(CASE WHEN s.post = 'director' AND (o.opinion_date IS NULL OR o.opinion_date > s.start_date) THEN 1 ELSE 0 END)
      AS directors_late
  FROM staff s LEFT JOIN {t['opinion']} o ON o.director_id = s.id
  GROUP BY s.township_id
), vil AS (
  SELECT v.id, v.township_id, v.name FROM tw CROSS JOIN {t['village']} v WHERE v.township_id = tw.id
), asst AS (  -- village assistants in post at some time of the year, with the year's grade
  SELECT a.id, v.township_id, a.village_id, a.start_date, a.end_date, a.filed_date, g.grade, g.assessed_on,
    CASE WHEN a.start_date <= {YE} AND (a.end_date IS NULL OR a.end_date >= {YE}) THEN 1 ELSE 0 END AS at_year_end
  FROM {t['assistant']} a JOIN vil v ON v.id = a.village_id
  LEFT JOIN {t['grade']} g ON g.assistant_id = a.id AND g.year = %(year)s
  WHERE a.start_date <= {YE} AND (a.end_date IS NULL OR a.end_date >= {YS})
), vil_t AS (
  SELECT v.township_id, COUNT(*) AS villages,
    SUM(CASE WHEN sp.kind IS NULL OR sp.kind = 'none' THEN 1 ELSE 0 END) AS lacking_space,
    SUM(CASE WHEN st.name IS NULL OR st.name <> ({short_name('v.name', d)} || '民政工作站') THEN 1 ELSE 0 END)
      AS bad_station_names
  FROM vil v
  LEFT JOIN {t['space']} sp ON sp.village_id = v.id
  LEFT JOIN {t['station']} st ON st.village_id = v.id
  GROUP BY v.township_id
), covered_t AS (  -- villages with enough assistants in post on 31 December
  SELECT township_id, COUNT(*) AS covered
  FROM (SELECT township_id, village_id FROM asst WHERE at_year_end = 1
        GROUP BY township_id, village_id HAVING COUNT(*) >= %(per_village)s) x
  GROUP BY township_id
), asst_t AS (
  SELECT a.township_id,
    SUM(CASE WHEN a.at_year_end = 1 AND (a.filed_date IS NULL OR a.filed_date > {YE}) THEN 1 ELSE 0 END) AS unfiled,
    SUM(CASE WHEN a.at_year_end = 1 AND a.grade IS NULL THEN 1 ELSE 0 END) AS ungraded,
    SUM(CASE WHEN a.grade = 'incompetent' AND {due} < {TODAY} AND (a.end_date IS NULL OR a.end_date > {due})
        THEN 1 ELSE 0 END) AS incompetent_staying
  FROM asst a GROUP BY a.township_id
), quarters AS (
  SELECT 1 AS q UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
), owed AS (  -- every (assistant, judged quarter) with the months in post
  SELECT a.township_id, a.id, a.grade, q.q, {months('q.q')} AS months, {factor_case} AS factor
  FROM asst a CROSS JOIN quarters q WHERE q.q <= %(quarters)s
), paid AS (  -- what each (assistant, quarter) owed was paid: one index lookup each, whatever the table's size
  SELECT w.*, COALESCE((SELECT pay.amount FROM {t['payment']} pay
                        WHERE pay.assistant_id = w.id AND pay.year = %(year)s AND pay.quarter = w.q), 0) AS amount
  FROM owed w WHERE w.months > 0
), sub_t AS (
  SELECT w.township_id,
    SUM(CASE WHEN w.amount < ROUND({monthly_param} * w.months, 2) THEN 1 ELSE 0 END) AS subsidy_short,
    SUM(CASE WHEN w.factor IS NOT NULL AND w.amount < ROUND({monthly_param} * w.factor * w.months, 2)
        THEN 1 ELSE 0 END) AS grade_short
  FROM paid w
  GROUP BY w.township_id
), budget_t AS (
  SELECT b.township_id,
    SUM(CASE WHEN b.kind = 'working_funds' THEN 1 ELSE 0 END) AS funds_lines,
    SUM(CASE WHEN b.kind = 'working_funds' THEN b.allocated ELSE 0 END) AS funds_allocated,
    SUM(CASE WHEN b.kind = 'vehicle' THEN 1 ELSE 0 END) AS vehicle_lines,
    SUM(CASE WHEN b.kind = 'vehicle' THEN b.budgeted ELSE 0 END) AS vehicle_budgeted
  FROM tw CROSS JOIN {t['budget']} b WHERE b.township_id = tw.id AND b.year = %(year)s
  GROUP BY b.township_id
), room_t AS (
  SELECT r.township_id, SUM(r.area) AS area{',' if groups else ''}
    {room_flags}
  FROM tw CROSS JOIN {t['room']} r
  WHERE r.township_id = tw.id AND r.since_year <= %(year)s AND (r.until_year IS NULL OR r.until_year >= %(year)s)
  GROUP BY r.township_id
), equipment_t AS (
  SELECT e.township_id{',' if kinds else ''}
    {equipment_sums}
  FROM tw CROSS JOIN {t['equipment']} e
  WHERE e.township_id = tw.id AND e.since_year <= %(year)s AND (e.until_year IS NULL OR e.until_year >= %(year)s)
  GROUP BY e.township_id
), regulation_t AS (
  SELECT g.township_id{',' if regulations else ''}
    {regulation_flags}
  FROM tw CROSS JOIN {t['regulation']} g
  WHERE g.township_id = tw.id AND g.adopted_on <= {YE} AND (g.retired_on IS NULL OR g.retired_on > {YE})
  GROUP BY g.township_id
), workers AS (  -- everybody in post on 31 December and the level that must train them
  SELECT 's' AS kind, s.id AS person, s.township_id, CASE WHEN s.post = 'director' THEN 'city' ELSE 'county' END AS level,
    s.start_date
  FROM staff s
  UNION ALL
  SELECT 'a', a.id, a.township_id, 'township', a.start_date FROM asst a WHERE a.at_year_end = 1
), trained AS (  -- their trainings dated up to 31 December
  SELECT 's' AS kind, x.staff_member_id AS person, se.level AS lvl, se.date AS day
  FROM staff s CROSS JOIN {t['attendance']} x CROSS JOIN {t['session']} se
  WHERE x.staff_member_id = s.id AND se.id = x.session_id AND se.date <= {YE}
  UNION ALL
  SELECT 'a', x.assistant_id, se.level, se.date
  FROM asst a CROSS JOIN {t['attendance']} x CROSS JOIN {t['session']} se
  WHERE a.at_year_end = 1 AND x.assistant_id = a.id AND se.id = x.session_id AND se.date <= {YE}
), person_t AS (
  SELECT kind, person,
    MAX(CASE WHEN day >= {WINDOW} THEN 1 ELSE 0 END) AS in_window,
    MAX(CASE WHEN day >= {WINDOW} AND lvl = 'city' THEN 1 ELSE 0 END) AS city_window,
    MAX(CASE WHEN day >= {WINDOW} AND lvl = 'county' THEN 1 ELSE 0 END) AS county_window,
    MAX(CASE WHEN day >= {WINDOW} AND lvl = 'township' THEN 1 ELSE 0 END) AS township_window,
    MIN(day) AS first_training
  FROM trained GROUP BY kind, person
), worker_t AS (
  SELECT w.township_id, COUNT(*) AS workers,
    SUM(CASE WHEN (w.level = 'city' AND pt.city_window = 1) OR (w.level = 'county' AND pt.county_window = 1)
             OR (w.level = 'township' AND pt.township_window = 1) THEN 0 ELSE 1 END) AS graded_lacking,
    SUM(CASE WHEN pt.in_window = 1 THEN 0 ELSE 1 END) AS rotation_lacking,
    SUM(CASE WHEN pt.first_training IS NOT NULL AND pt.first_training <= w.start_date THEN 0 ELSE 1 END)
      AS before_lacking
  FROM workers w LEFT JOIN person_t pt ON pt.kind = w.kind AND pt.person = w.person
  GROUP BY w.township_id
), inspection_t AS (
  -- each finding counts on its own; an overdue one is open on the day judged, so an earlier year's counts too
  SELECT i.township_id,
    SUM(CASE WHEN i.date <= {AS_OF} AND f.deadline < {AS_OF} AND (f.rectified_on IS NULL OR f.rectified_on > {AS_OF})
        THEN 1 ELSE 0 END) AS overdue
  FROM tw CROSS JOIN {t['inspection']} i JOIN {t['finding']} f ON f.inspection_id = i.id
  WHERE i.township_id = tw.id AND i.date <= {YE}
  GROUP BY i.township_id
), rules AS (  -- every rule of every township: 1 pass, 0 fail, NULL not assessed
  SELECT tw.id, tw.county_id, tw.pop, tw.posts, tw.req_posts, tw.req_funds, tw.req_area,
    bd.funds_allocated, rm.area{equipment_counts},
    {rule_columns}
  FROM req tw
  LEFT JOIN staff_t sf ON sf.township_id = tw.id
  LEFT JOIN vil_t vl ON vl.township_id = tw.id
  LEFT JOIN covered_t cv ON cv.township_id = tw.id
  LEFT JOIN asst_t ast ON ast.township_id = tw.id
  LEFT JOIN sub_t sb ON sb.township_id = tw.id
  LEFT JOIN budget_t bd ON bd.township_id = tw.id
  LEFT JOIN room_t rm ON rm.township_id = tw.id
  LEFT JOIN equipment_t eq ON eq.township_id = tw.id
  LEFT JOIN regulation_t rg ON rg.township_id = tw.id
  LEFT JOIN worker_t wk ON wk.township_id = tw.id
  LEFT JOIN inspection_t ins ON ins.township_id = tw.id
  LEFT JOIN {t['office']} o ON o.township_id = tw.id
), township_t AS (
  SELECT r.*,
    {combined(everything)} AS overall,
    {dimension_columns},
    {gap_posts} AS posts_short,
    {surplus_posts} AS posts_surplus,
    {gap_funds} AS funds_shortfall,
    {gap_area} AS area_shortfall{missing_equipment}
  FROM rules r
)
SELECT county_id,
  {(',' + chr(10) + '  ').join(sums)}
FROM township_t
GROUP BY county_id
ORDER BY county_id
"""
    p.values["per_village"] = standard.assistants_per_village or 0
    return sql, p.values, kinds


def run(standard, *, city_id, year, today, connection=None):
    """{county_id: {figure: value}} from the inputs, in one statement."""
    from django.db import connection as default

    connection = connection or default
    sql, params, _kinds = build_sql(standard, city_id=city_id, year=year, today=today, vendor=connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(names[1:], row[1:])) for row in cursor.fetchall()}


# --- the same figures from the app's one computation ---------------------------------------------------------------


def app_aggregates(cards, standard):
    """{county_id: {figure: value}} from TownshipCompliance cards (the engine's or the store's)."""
    from offices.vocabulary import EquipmentKind

    labels = {str(EquipmentKind(kind).label): kind for kind in standard.required_equipment or []}
    out = {}
    for card in cards:
        row = out.setdefault(card.township.county_id, _empty(standard))
        row["townships"] += 1
        _count(row, "overall", card.status)
        for dimension in DIMENSIONS:
            _count(row, dimension, card.dimension_status(dimension))
        for code, _dimension in RULES:
            result = card.result(code)
            _count(row, column(code), result.status if result else "not_assessed")
        posts = card.result("staffing.posts_authorized")
        if posts is not None and posts.assessed:
            row["posts_short"] += _number(posts.gap)
            row["posts_surplus"] += _number(posts.surplus)
        funds = card.result("funding.working_funds")
        if funds is not None and funds.failed:
            row["funds_shortfall"] += Decimal(_number(funds.gap))
        area = card.result("facilities.area")
        if area is not None and area.failed:
            row["area_shortfall"] += Decimal(_number(area.gap))
        equipment = card.result("facilities.equipment")
        if equipment is not None and equipment.failed:
            for label in equipment.gap or ():
                row[f"missing_{labels[str(label)]}"] += 1
    return out


def _empty(standard):
    row = {"townships": 0, "overall_pass": 0, "overall_fail": 0, "posts_short": 0, "posts_surplus": 0,
           "funds_shortfall": Decimal(0), "area_shortfall": Decimal(0)}
    for name in [*DIMENSIONS, *(column(c) for c, _d in RULES)]:
        row[f"{name}_pass"] = row[f"{name}_fail"] = 0
    for kind in standard.required_equipment or []:
        row[f"missing_{kind}"] = 0
    return row


def _count(row, name, status):
    if status == "pass":
        row[f"{name}_pass"] += 1
    elif status == "fail":
        row[f"{name}_fail"] += 1


def _number(value):
    return value if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else 0


def same(a, b):
    """Equal figures; money and areas to the cent (SQLite adds decimals as floats)."""
    if a is None or b is None:
        return (a or 0) == (b or 0)
    if isinstance(a, (float, Decimal)) or isinstance(b, (float, Decimal)):
        return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("0.005")
    return a == b


def compare(expected, actual, *, names=None):
    """[(county_id, figure, expected, actual)] for every figure that differs (names: only these)."""
    differences = []
    for county in sorted(set(expected) | set(actual)):
        left, right = expected.get(county, {}), actual.get(county, {})
        for name in names or sorted(set(left) | set(right)):
            if not same(left.get(name), right.get(name)):
                differences.append((county, name, left.get(name), right.get(name)))
    return differences
