"""Bulk import: time and peak memory of the demo county's filled template and of a 10,000-row workbook.

    .venv/bin/python bench/imports.py [--rows 10000] [--fresh]

It builds the demo (load_demo) once into bench/out/imports.sqlite3, then, as the demo county's official
(county371302, 兰山区): downloads the template for 2025, changes every township's population by 1 %, previews
and imports it; then previews and imports a workbook of N new staff rows spread over the county's townships.
Each figure: wall seconds, and how much the process's peak resident memory grew during that step.
"""
import argparse
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def measure(label, function):
    """Run `function`; print its wall time and how much the process's peak resident memory grew meanwhile."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before  # KiB on Linux
    print(f"{label:<44} {seconds:8.2f} s   peak RSS +{grown / 1024:7.1f} MB")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--fresh", action="store_true", help="build the demo database again")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "imports.sqlite3"
    if args.fresh and database.exists():
        database.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from openpyxl import load_workbook

    from imports import services, template
    from offices.acting import acting_as
    from offices.models import Township, User

    if not database.exists() or not User.objects.filter(username="county371302").exists():
        call_command("migrate", verbosity=0)
        measure("load_demo", lambda: call_command("load_demo", verbosity=0))
    official = User.objects.get(username="county371302")
    townships = list(Township.objects.for_user(official).order_by("code"))
    year = 2025

    def workbook_bytes(workbook):
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    buffer = io.BytesIO()
    measure("template (county 371302, 2025)", lambda: template.write_template(townships, year, buffer))
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    rows = sum(max(sheet.max_row - 1, 0) for sheet in workbook.worksheets[1:])
    print(f"template rows: {rows} in {len(workbook.sheetnames) - 1} sheets, {len(buffer.getvalue()):,} bytes")
    sheet = workbook["人口"]
    for row in sheet.iter_rows(min_row=2):
        if row[3].value:
            row[3].value = int(row[3].value * 1.01)
    filled = workbook_bytes(workbook)
    with acting_as(official):
        outcome = measure("preview: filled template", lambda: services.run(io.BytesIO(filled), official))
        print(f"  {outcome.counts}, problems {len(outcome.problems)}")
        for problem in outcome.problems[:5]:
            print("  ", problem)
        outcome = measure("import: filled template", lambda: services.run(io.BytesIO(filled), official, write=True))
        print(f"  {outcome.counts}, problems {len(outcome.problems)}")

    big = load_workbook(io.BytesIO(buffer.getvalue()))
    for name in big.sheetnames:
        if name not in ("说明", "人员"):
            del big[name]
    staff = big["人员"]
    for index in range(args.rows):
        township = townships[index % len(townships)]
        staff.append([township.code, township.name, None, f"测试人员{index}", "女", "1990-05-01", "大学本科", "工作人员", "是", "无",
                      "2026-03-01", None])
    data = workbook_bytes(big)
    print(f"big workbook: {args.rows:,} new staff rows, {len(data):,} bytes")
    with acting_as(official):
        outcome = measure(f"preview: {args.rows:,} rows", lambda: services.run(io.BytesIO(data), official))
        print(f"  {outcome.counts}, problems {len(outcome.problems)}")
        outcome = measure(f"import: {args.rows:,} rows", lambda: services.run(io.BytesIO(data), official, write=True))
        print(f"  {outcome.counts}, problems {len(outcome.problems)}")


if __name__ == "__main__":
    main()
