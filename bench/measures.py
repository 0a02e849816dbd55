"""What a bench worker measures on its database, each call one timing (the orchestrator interleaves and takes medians).

Pages are measured through HTTP only (Django's test Client, logged in with
force_login): the server time of a GET or POST, its status and size, the
queries it runs (CaptureQueriesContext). Nothing here calls the app's
selectors, so the figures stay comparable while the code behind the pages changes.
"""
import io
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

# Tables the framework reads on every request (session, user, lockouts, second factor): not the page's own data.
FRAMEWORK_TABLES = ("django_session", "offices_user", "auth_", "axes_", "otp_", "django_content_type")


class Bench:
    """The units, users, URLs and clients of the database's city №1 (its first county and township)."""

    def __init__(self):
        from offices.models import City, County, Population, Township

        self.today = timezone.localdate()
        # The first city built (city №1): the same city in every database, whatever order the codes sort in.
        self.city = City.objects.order_by("pk").first()
        self.county = County.objects.filter(city=self.city).order_by("code").first()
        self.township = Township.objects.filter(county=self.county).order_by("code").first()
        years = sorted(set(Population.objects.values_list("year", flat=True).distinct().order_by()), reverse=True)
        self.years = years
        self.year = next((y for y in years if y <= self.today.year), self.today.year)
        self.clients = {}
        self.users = {
            "city": f"city{self.city.code[:4]}",
            "county": f"county{self.county.code[:6]}",
            "township": f"town{self.township.code[:9]}",
        }
        y = f"?year={self.year}"
        self.pages = {
            "scorecard": ("township", reverse("assessments:scorecard", args=[self.township.code]) + y),
            "county": ("county", reverse("assessments:county", args=[self.county.code]) + y),
            "dashboard": ("city", reverse("assessments:dashboard", args=[self.city.code]) + y),
            "trend": ("city", reverse("assessments:dashboard_trend", args=[self.city.code])),
            "export_county": ("county", reverse("assessments:export_county", args=[self.county.code]) + y),
            "export_city": ("city", reverse("assessments:export_city", args=[self.city.code]) + y),
        }
        self.population_url = reverse("offices:population_edit", args=[self.township.code])

    def describe(self):
        from offices.models import City, Township, Village

        return {
            "vendor": connection.vendor, "cities": City.objects.count(), "townships": Township.objects.count(),
            "villages": Village.objects.count(), "years": self.years, "year": self.year,
            "city": self.city.code[:4], "city_name": self.city.name,
            "city_townships": Township.objects.filter(county__city=self.city).count(),
            "county": self.county.code[:6], "county_townships": Township.objects.filter(county=self.county).count(),
            "township": self.township.code[:9], "store": store_state(self.city, self.year),
            "store_current": store_current(),
        }

    def client(self, role):
        from offices.models import User

        if role not in self.clients:
            client = Client()
            client.force_login(User.objects.get(username=self.users[role]))
            self.clients[role] = client
        return self.clients[role]

    # --- pages ------------------------------------------------------------------------------------------------

    def get(self, page):
        """One GET of a page: server time (s), status, bytes (a file download is read to its end)."""
        role, url = self.pages[page]
        client = self.client(role)
        started = time.perf_counter()
        response = client.get(url)
        size = len(b"".join(response.streaming_content)) if response.streaming else len(response.content)
        return {"seconds": time.perf_counter() - started, "status": response.status_code, "bytes": size,
                "type": response.get("Content-Type", "")}

    def queries(self, page, *, keep_sql=False):
        """The queries one GET runs: how many, of which framework; their SQL when asked (to replay them)."""
        role, url = self.pages[page]
        client = self.client(role)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        sqls = [q["sql"] for q in captured.captured_queries]
        framework = [s for s in sqls if any(t in s for t in FRAMEWORK_TABLES)]
        out = {"status": response.status_code, "count": len(sqls), "framework": len(framework)}
        if keep_sql:
            out["sql"] = sqls
        return out

    def replay(self, sqls, *, data_only=False):
        """Run captured statements again (reads only) and fetch every row: the time the database spends on a page."""
        selects = [s for s in sqls if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        if data_only:
            selects = [s for s in selects if not any(t in s for t in FRAMEWORK_TABLES)]
        each = []
        with connection.cursor() as cursor:
            started = time.perf_counter()
            for sql in selects:
                began = time.perf_counter()
                cursor.execute(sql)  # no parameters: the statement as captured, values inlined
                rows = len(cursor.fetchall())
                each.append((time.perf_counter() - began, rows, sql[:160]))
            return {"seconds": time.perf_counter() - started, "statements": len(selects), "each": each}

    # --- the two hand-written statements ------------------------------------------------------------------------

    def standard(self):
        from offices.models import Standard

        return Standard.objects.applicable(self.city.code, self.year)

    def sql_inputs(self):
        from bench import sql_inputs

        started = time.perf_counter()
        rows = sql_inputs.run(self.standard(), city_id=self.city.pk, year=self.year, today=self.today)
        return {"seconds": time.perf_counter() - started, "counties": len(rows)}

    def sql_store(self):
        from bench import sql_store

        started = time.perf_counter()
        rows = sql_store.run(city_id=self.city.pk, year=self.year)
        return {"seconds": time.perf_counter() - started, "counties": len(rows)}

    def check(self):
        """Do the statements say what the app says? SQL from the inputs vs the engine, and vs the store."""
        from bench import sql_inputs, sql_store
        from offices.compliance.engine import compliance_for
        from offices.models import Township

        standard = self.standard()
        from_inputs = sql_inputs.run(standard, city_id=self.city.pk, year=self.year, today=self.today)
        cards = compliance_for(Township.objects.filter(county__city=self.city), self.year, today=self.today)
        engine = sql_inputs.app_aggregates(cards, standard)
        out = {"engine": _differences(sql_inputs.compare(engine, from_inputs)), "rules": len(sql_inputs.RULES)}
        if store_state(self.city, self.year) == "filled":
            stored = sql_store.run(city_id=self.city.pk, year=self.year)
            out["store"] = _differences(sql_inputs.compare(engine, stored, names=sql_store.SHARED))
        return out

    # --- exports ------------------------------------------------------------------------------------------------

    def export_province(self, *, memory=False):
        """The spreadsheet of every township in the database: time, size, peak memory growth (tracemalloc)."""
        path = Path(tempfile.mkdtemp(prefix="wuyou-bench-")) / "province.xlsx"
        if memory:
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        how = province_export(self.year, path)
        seconds = time.perf_counter() - started
        peak = None
        if memory:
            peak = tracemalloc.get_traced_memory()[1] - before
            tracemalloc.stop()
        return {"seconds": seconds, "peak": peak, "bytes": path.stat().st_size, "how": how, "path": str(path)}

    def bare_dump(self, path, *, memory=False):
        """The same cells with the same styles written by bare openpyxl (write-only): the export's floor."""
        from bench.xlsx_baseline import dump, read_cells

        sheets = read_cells(path)
        target = Path(path).with_name("bare.xlsx")
        if memory:
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        dump(sheets, target)
        seconds = time.perf_counter() - started
        peak = None
        if memory:
            peak = tracemalloc.get_traced_memory()[1] - before
            tracemalloc.stop()
        return {"seconds": seconds, "peak": peak, "bytes": target.stat().st_size,
                "cells": sum(len(row) for rows in sheets.values() for row, _styles in rows)}

    # --- a clerk's save ---------------------------------------------------------------------------------------------

    def population_post(self, *, recompute=True, count=False, bump=0, keep_sql=False):
        """The township clerk saves the year's population (the value moves by `bump`): time, status, queries."""
        from offices.models import Population

        population = Population.objects.get(township=self.township, year=self.year)
        if not hasattr(self, "_population"):
            self._population = (population.resident, population.registered)
        resident, registered = self._population
        data = {"year": self.year, "resident": resident + bump, "registered": registered}
        client = self.client("township")
        with override_settings(WUYOU_RECOMPUTE_ON_WRITE=recompute):
            if count:
                with CaptureQueriesContext(connection) as captured:
                    response = client.post(self.population_url, data)
                out = {"status": response.status_code, "count": len(captured.captured_queries)}
                if keep_sql:
                    out["sql"] = [q["sql"] for q in captured.captured_queries]
                return out
            started = time.perf_counter()
            response = client.post(self.population_url, data)
            return {"seconds": time.perf_counter() - started, "status": response.status_code}

    # --- the full recompute -------------------------------------------------------------------------------------

    def recompute_all(self):
        try:
            from offices.compliance.store import recompute_all
        except ImportError:
            return {"skipped": "offices.compliance.store.recompute_all 尚不存在"}
        started = time.perf_counter()
        total = recompute_all()
        return {"seconds": time.perf_counter() - started, "township_years": total}


def _differences(differences):
    return [[county, name, _plain(a), _plain(b)] for county, name, a, b in differences]


def _plain(value):
    if value is None or isinstance(value, (int, str)):
        return value
    return float(value)


def store_state(city, year):
    """'filled' when the city's year has stored results, 'empty' when not, 'missing' before the store exists."""
    try:
        from offices.models import ComplianceSummary
    except ImportError:
        return "missing"
    if "offices_compliancesummary" not in connection.introspection.table_names():
        return "missing"
    return "filled" if ComplianceSummary.objects.filter(city=city, year=year).exists() else "empty"


def store_current():
    """Whether the stored results were written by the store's present code (the build records its digest)."""
    from bench.databases import build_info
    from bench.province import store_fingerprint

    info = build_info()
    written = info.get("store_code") or info.get("templates_store_code")
    return written == store_fingerprint() if written else None


def province_export(year, path):
    """Write the spreadsheet of every township for `year` to `path`; return how (the app's way is changing).

    The management command when it can export every township (an --all or --province option); else the
    report and writer the export views use, over the whole database: `assessments.oversight.scope_for(None)`
    (issue 9), or a queryset of every township (before it).
    """
    from django.core.management import call_command, get_commands, load_command_class

    command = load_command_class(get_commands()["export_compliance"], "export_compliance")
    options = {action.dest for action in command.create_parser("manage.py", "export_compliance")._actions}
    for option in ("all", "province"):
        if option in options:
            call_command("export_compliance", f"--{option}", "--year", str(year), "-o", str(path), stdout=io.StringIO())
            return f"manage.py export_compliance --{option}"
    from assessments import exports, oversight
    from assessments.reports import compliance_report
    from offices.models import Township

    if hasattr(oversight, "scope_for"):
        exports.write_workbook(compliance_report(oversight.scope_for(None), year), path)
        return "compliance_report(oversight.scope_for(None)) + exports.write_workbook"
    exports.write_workbook(compliance_report(Township.objects.all(), year), path)
    return "compliance_report(Township.objects.all()) + exports.write_workbook"

