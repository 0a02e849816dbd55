#!/usr/bin/env python3
"""Scale benchmark of the oversight pages (issue 9, point 8): `make bench`, or bench/run.py --help.

    bench/run.py build --size province [--vendor postgres]   build a bench database once (cached)
    bench/run.py [measure] [--parts …] [--vendor …]         print every figure beside its baseline and ratio
    bench/run.py load                                      gunicorn + wrk on the PostgreSQL province

Every figure is the median of --runs timings taken in turns with its baseline
(A B B A A B …), each side in its own process on its own database when they
differ (bench/worker.py). Pages are measured through HTTP only.
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
SIZES = ("small", "city", "province", "national", "national-city")
PARTS = ("check", "dashboard", "store", "queries", "national", "export", "save", "recompute")
PAGES = ("scorecard", "county", "dashboard", "trend", "export_county", "export_city")
PAGE_NAMES = {"scorecard": "乡镇达标情况", "county": "县区达标表", "dashboard": "看板", "trend": "趋势 JSON",
              "export_county": "县区 xlsx", "export_city": "全市 xlsx"}
MB = 2 ** 20


def use_project_python():
    """Started by a Python without Django: run again with the project's .venv."""
    try:
        import django  # noqa: F401
    except ModuleNotFoundError:
        if VENV_PYTHON.exists() and os.path.abspath(sys.executable) != str(VENV_PYTHON):
            os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])
        raise SystemExit("bench/run.py 需要 Django：先运行 make install（建立 .venv），再 make bench。") from None


# --- building ------------------------------------------------------------------------------------------------------


def build_command(args):
    """Build one database (in this process); reuse it when already built."""
    sys.path.insert(0, str(ROOT))
    from bench import databases

    if not args.rebuild and not args.store_only and databases.exists(args.vendor, args.size):
        databases.setup_django(args.vendor, args.size)
        info = databases.build_info()
        if info and not databases.sidecar(args.vendor, args.size).exists():
            databases.sidecar(args.vendor, args.size).write_text(json.dumps(info, ensure_ascii=False, indent=1))
        if info:
            print(f"已建好：{args.vendor} {args.size}（{info.get('townships')} 个乡镇，{info.get('villages')} 个村；"
                  f"删除后可重建，或 --rebuild）")
            return info
    if args.store_only and not databases.exists(args.vendor, args.size):
        raise SystemExit(f"{args.vendor} {args.size} 尚未建库：先 bench/run.py build --size {args.size} --vendor {args.vendor}")
    if not args.store_only:
        databases.reset(args.vendor, args.size)
    databases.setup_django(args.vendor, args.size)
    from django.core.management import call_command

    from bench import province

    call_command("migrate", verbosity=0, interactive=False)
    if args.store_only:
        info = databases.build_info()
        info.update(province.fill_store() or {})
        databases.analyze()
        databases.mark_built(info, args.vendor, args.size)
        return info
    print(f"建库：{args.vendor} {args.size}（{databases.database_url(args.vendor, args.size)}）……")
    started = time.perf_counter()
    databases.tune_for_bulk_load()
    info = province.build(args.size, store=not args.no_store, copy_store=args.copy_store)
    databases.analyze()
    if args.vendor == "postgres":
        databases.set_jit_off(args.size)
    info["build_seconds"] = round(time.perf_counter() - started, 1)
    databases.mark_built(info, args.vendor, args.size)
    print(f"  建库用时 {info['build_seconds']:.0f} 秒")
    return info


def ensure_built(vendor, size, *, store=True):
    """Build the database in a child process when it is not built yet."""
    import subprocess

    command = [sys.executable, str(Path(__file__)), "build", "--vendor", vendor, "--size", size]
    if not store:
        command.append("--no-store")
    subprocess.run(command, check=True, cwd=ROOT)


# --- figures -------------------------------------------------------------------------------------------------------


class Report:
    """Collects every figure, prints it as it comes, and writes them all to bench/out/results-<vendor…>.json."""

    def __init__(self):
        self.figures = []

    def line(self, text=""):
        print(text, flush=True)

    def figure(self, name, vendor, value, *, baseline=None, ratio=None, target=None, met=None, unit="ms", note=""):
        self.figures.append({"name": name, "vendor": vendor, "value": value, "baseline": baseline, "ratio": ratio,
                             "target": target, "met": met, "unit": unit, "note": note})
        parts = [f"  {name}（{vendor}）：{_show(value, unit)}"]
        if baseline is not None:
            parts.append(f"基线 {_show(baseline, unit)}")
        if ratio is not None:
            parts.append(f"比值 {ratio:.2f}×")
        if target:
            parts.append(f"目标 {target}：{'达标' if met else '未达标'}")
        if note:
            parts.append(note)
        self.line("；".join(parts))

    def save(self):
        out = ROOT / "bench" / "out" / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps(self.figures, ensure_ascii=False, indent=1))
        self.line(f"（全部数值已写入 {out.relative_to(ROOT)}）")


def _show(value, unit):
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value * 1000:.1f} ms"
    if unit == "MB":
        return f"{value / MB:.1f} MB"
    if unit == "/s":
        return f"{value:.0f} 个/秒"
    if isinstance(value, float):
        return f"{value:.1f}{unit}"
    return f"{value}{unit}"


def paired(a, b, runs):
    """Medians of `runs` timings of a() and b() taken in turns (A B, then B A, …) and the ratio of the medians."""
    a(), b()  # warm up: templates, caches, the database's pages
    times_a, times_b = [], []
    for run in range(runs):
        first, second = (a, b) if run % 2 == 0 else (b, a)
        first_time, second_time = first()["seconds"], second()["seconds"]
        if first is a:
            times_a.append(first_time)
            times_b.append(second_time)
        else:
            times_b.append(first_time)
            times_a.append(second_time)
    median_a, median_b = statistics.median(times_a), statistics.median(times_b)
    return median_a, median_b, median_a / median_b


def describe(report, worker):
    info = worker.info
    report.line(f"数据库（{info['vendor']} {worker.size}）：{info['cities']} 个市，{info['townships']} 个乡镇，"
                f"{info['villages']} 个村，年度 {sorted(info['years'])}；测 {info['city_name']}（{info['city']}，"
                f"{info['city_townships']} 个乡镇）{info['year']}年度；达标结果表：{info['store']}")
    if info.get("store_current") is False:
        report.line(f"  注意：达标结果表由旧版的结果表代码写入；重新填充：bench/run.py build --store-only "
                    f"--size {worker.size} --vendor {vendor_name(info['vendor'])}")


def vendor_name(vendor):
    return "postgres" if vendor == "postgresql" else vendor


def part_check(report, worker, vendor):
    result = worker("check")
    engine = result["engine"]
    report.line(f"  手写 SQL（输入，{result['rules']} 条规则）与应用计算（engine）一致：{'是' if not engine else '否'}")
    for county, name, expected, got in engine[:20]:
        report.line(f"    县区 {county} {name}：应用 {expected} / SQL {got}")
    if "store" in result:
        store = result["store"]
        report.line(f"  手写 SQL（结果表）与应用计算一致：{'是' if not store else '否'}")
        for county, name, expected, got in store[:20]:
            report.line(f"    县区 {county} {name}：应用 {expected} / 结果表 {got}")
    report.figures.append({"name": "check", "vendor": vendor, "value": result})


def part_dashboard(report, worker, vendor, runs):
    status = worker("get", page="dashboard")["status"]
    page, sql, ratio = paired(lambda: worker("get", page="dashboard"), lambda: worker("sql_inputs"), runs)
    report.figure("看板 GET 服务器时间 / 手写 SQL（由输入算）", vendor, page, baseline=sql, ratio=ratio,
                  target="≤ 0.5×", met=ratio <= 0.5, note=f"HTTP {status}")


def part_store(report, worker, vendor, runs):
    if worker.info["store"] != "filled":
        report.line(f"  看板查询 / 手写 SQL（结果表）：跳过——达标结果表{worker.info['store']}")
        return
    captured = worker("queries", page="dashboard", keep_sql=True)
    sqls = captured["sql"]
    everything, sql, ratio = paired(lambda: worker("replay", sqls=sqls), lambda: worker("sql_store"), runs)
    report.figure(f"看板的全部查询（{captured['count']} 条）/ 手写 SQL（结果表）", vendor, everything, baseline=sql,
                  ratio=ratio, target="≤ 1.5×", met=ratio <= 1.5)
    data, sql, ratio = paired(lambda: worker("replay", sqls=sqls, data_only=True), lambda: worker("sql_store"), runs)
    report.figure(f"其中数据查询（{captured['count'] - captured['framework']} 条，不含会话、用户）/ 手写 SQL（结果表）",
                  vendor, data, baseline=sql, ratio=ratio, target="≤ 1.5×", met=ratio <= 1.5)
    slowest = sorted(worker("replay", sqls=sqls, data_only=True)["each"], reverse=True)[:3]
    for seconds, rows, text in slowest:
        report.line(f"    {seconds * 1000:.1f} ms，{rows} 行：{text}…")


def part_queries(report, workers, vendor):
    counts = {}
    for size, worker in workers.items():
        info = worker.info
        row = {}
        for page in PAGES:
            result = worker("queries", page=page)
            row[page] = (result["count"], result["status"])
        counts[size] = row
        report.line(f"  {size}（库内 {info['townships']} 个乡镇；测 {info['city_townships']} 个乡镇的市、"
                    f"{info['county_townships']} 个乡镇的县区）：" +
                    "，".join(f"{page} {count}" + ("" if status == 200 else f"（HTTP {status}）")
                              for page, (count, status) in row.items()))
    for page in PAGES:
        values = [counts[size][page][0] for size in counts]
        equal, small = len(set(values)) == 1, max(values) <= 15
        report.figure(f"每页查询数 {page}", vendor, "/".join(str(v) for v in values), unit=" 条",
                      target="各规模相等且 ≤ 15", met=equal and small,
                      note=("相等" if equal else "随规模变化") + ("" if small else f"，超出 {max(values) - 15} 条"))


def part_national(report, national, one_city, vendor, runs):
    a, b, ratio = paired(lambda: national("get", page="dashboard"), lambda: one_city("get", page="dashboard"), runs)
    report.figure(f"看板 GET：全国库（{national.info['townships']} 个乡镇）/ 同一市的单市库", vendor, a, baseline=b,
                  ratio=ratio, target="≤ 1.2×", met=ratio <= 1.2)


def part_export(report, worker, vendor, runs):
    runs = max(1, min(runs, 3))
    times, bare = [], []
    path = None
    for _run in range(runs):
        result = worker("export_province")
        path = result["path"]
        times.append(result["seconds"])
        bare.append(worker("bare_dump", path=path)["seconds"])
    memory = worker("export_province", memory=True)
    bare_memory = worker("bare_dump", path=memory["path"], memory=True)
    export_time, bare_time = statistics.median(times), statistics.median(bare)
    ratio = export_time / bare_time
    report.line(f"  全省导出：{worker.info['townships']} 个乡镇，文件 {memory['bytes'] // 1024} KB，方式：{memory['how']}")
    report.figure("全省 xlsx 导出时间 / 同样单元格与样式的纯 openpyxl 写出", vendor, export_time, baseline=bare_time,
                  ratio=ratio, target="≤ 2×", met=ratio <= 2)
    report.figure("全省 xlsx 导出内存峰值增长（tracemalloc）", vendor, memory["peak"], unit="MB",
                  baseline=bare_memory["peak"], target="≤ 50 MB", met=memory["peak"] <= 50 * MB)


def part_save(report, workers, main, vendor, runs):
    worker = workers[main]
    bump = iter(range(10 ** 6))
    on, off, ratio = paired(lambda: worker("population_post", recompute=True, bump=next(bump) % 2),
                            lambda: worker("population_post", recompute=False, bump=next(bump) % 2), runs)
    worker("population_post", recompute=True, bump=0)  # the stored results match the data again
    report.figure("乡镇保存人口（POST）：重算 / 不重算", vendor, on, baseline=off, ratio=ratio, target="≤ 2×",
                  met=ratio <= 2)
    counts, statements = {}, {}
    for size, each in workers.items():
        # One save first, uncounted: the first request of a session may save the session (3 statements).
        each("population_post", recompute=True, bump=0)
        with_recompute = each("population_post", recompute=True, count=True, bump=1, keep_sql=True)
        statements[size] = with_recompute["sql"]
        counts[size] = (with_recompute["count"],
                        each("population_post", recompute=False, count=True, bump=0)["count"])
        each("population_post", recompute=True, bump=0)
    sizes = list(counts)
    same = len({c[0] for c in counts.values()}) == 1
    if not same:
        report.line("    查询数不同之处（" + " → ".join(sizes) + "，数字与字符串已归一）：")
        for line in statement_diff(*statements.values())[:12]:
            report.line(f"      {line[:200]}")
    comparable = set(sizes) == {"city", "province"}  # the same township with the same data in both
    report.figure("乡镇保存人口的查询数（重算；" + "/".join(f"{workers[s].info['townships']} 个乡镇的库" for s in sizes) + "）",
                  vendor, "/".join(str(counts[s][0]) for s in sizes), unit=" 条",
                  baseline="/".join(str(counts[s][1]) for s in sizes), target="与乡镇数无关" if comparable else None,
                  met=same, note="基线为不重算时" + ("" if comparable else "；两库的乡镇数据不同，条数可差一两条（仅供参考）"))


def statement_diff(first, second):
    """The lines of a unified diff of two lists of SQL, numbers, strings and savepoint names replaced."""
    import difflib
    import re

    def normal(sql):
        return re.sub(r"\b\d+(\.\d+)?\b", "N", re.sub(r"'[^']*'|\"s\d+_x\d+\"", "'S'", sql))

    return [line for line in difflib.unified_diff([normal(s) for s in first], [normal(s) for s in second],
                                                  lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def part_recompute(report, worker, vendor):
    result = worker("recompute_all")
    if "skipped" in result:
        report.line(f"  全量重算：跳过——{result['skipped']}")
        return
    rate = result["township_years"] / result["seconds"]
    target = "≥ 300 个/秒（SQLite）" if vendor == "sqlite" else None
    report.figure(f"全量重算（{result['township_years']} 个乡镇·年度，{result['seconds']:.0f} 秒）", vendor, rate,
                  unit="/s", target=target, met=rate >= 300 if target else None)


def measure_command(args):
    from bench.worker import Worker

    report = Report()
    parts = args.parts
    for vendor in args.vendor:
        report.line(f"== {vendor} ==")
        main = args.main
        needed = set()
        if set(parts) & {"check", "dashboard", "store", "export", "save", "recompute"}:
            needed.add(main)
        if "queries" in parts:
            needed |= set(args.sizes)
        # The clerk's save at two sizes: the city database's only city is the province's first (same seed, same
        # data), so the two counts differ only if the save's queries grow with the number of townships.
        save_sizes = ["city", main] if main != "city" else ["small", "city"]
        if "save" in parts:
            needed |= set(save_sizes)
        national = "national" in parts and (args.build_national or (
            _built(vendor, "national") and _built(vendor, "national-city")))
        if "national" in parts and not national:
            report.line("  全国库未建：bench/run.py build --size national --vendor " + vendor + "（或 --build-national）")
        if national:
            needed |= {"national", "national-city"}
        for size in sorted(needed, key=lambda s: ["small", "city", "national-city", "province", "national"].index(s)):
            if not args.no_build:
                ensure_built(vendor, size)
        workers = {}
        try:
            for size in sorted(needed):
                workers[size] = Worker(vendor, size)
            if main in workers:
                describe(report, workers[main])
            if "check" in parts:
                part_check(report, workers[main], vendor)
            if "dashboard" in parts:
                part_dashboard(report, workers[main], vendor, args.runs)
            if "store" in parts:
                part_store(report, workers[main], vendor, args.runs)
            if "queries" in parts:
                part_queries(report, {s: workers[s] for s in args.sizes}, vendor)
            if national:
                describe(report, workers["national"])
                part_national(report, workers["national"], workers["national-city"], vendor, args.runs)
            if "export" in parts:
                part_export(report, workers[main], vendor, args.runs)
            if "save" in parts:
                part_save(report, {s: workers[s] for s in save_sizes}, main, vendor, args.runs)
            if "recompute" in parts:
                part_recompute(report, workers[main], vendor)
        finally:
            for worker in workers.values():
                worker.close()
    report.save()


def measure(*, runs=1, out=print):
    """The main figures on the current database, in this process (the test suite's smoke run on a tiny province)."""
    from bench.measures import Bench

    bench = Bench()
    info = bench.describe()
    out(f"数据库：{info['vendor']}，{info['cities']} 个市，{info['townships']} 个乡镇，{info['villages']} 个村；"
        f"测 {info['city_name']} {info['year']}年度")
    pages = {page: bench.get(page) for page in PAGES}
    for page, result in pages.items():
        out(f"  {PAGE_NAMES[page]} GET（HTTP {result['status']}，{result['bytes'] // 1024} KB，"
            f"{bench.queries(page)['count']} 次查询）：{result['seconds'] * 1000:.1f} ms")
    dashboard = statistics.median(bench.get("dashboard")["seconds"] for _ in range(runs))
    sql = statistics.median(bench.sql_inputs()["seconds"] for _ in range(runs))
    out(f"  看板 GET / 手写 SQL（由输入算）：{dashboard * 1000:.1f} ms / {sql * 1000:.1f} ms = {dashboard / sql:.1f}×")
    check = bench.check()
    out(f"  手写 SQL（输入，{check['rules']} 条规则）与应用计算一致：{'是' if not check['engine'] else '否'}")
    for county, name, expected, got in check["engine"][:20]:
        out(f"    县区 {county} {name}：应用 {expected} / SQL {got}")
    export = bench.export_province(memory=True)
    out(f"  全省 xlsx 导出：{export['seconds'] * 1000:.0f} ms，文件 {export['bytes'] // 1024} KB，"
        f"内存峰值增长 {export['peak'] / MB:.1f} MB（{export['how']}）")


def _built(vendor, size):
    """Whether the database was built to the end (the builder's sidecar file in bench/out/)."""
    from bench import databases

    return databases.sidecar(vendor, size).exists() and databases.exists(vendor, size)


def main(argv=None):
    parser = argparse.ArgumentParser(description="省级、全国规模的看板、导出与保存基准测试（issue 9 第 8 点）")
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", help="建立（或复用）一个基准数据库")
    build.add_argument("--vendor", choices=("sqlite", "postgres"), default="sqlite")
    build.add_argument("--size", choices=("small", "city", "province", "national", "national-city"), default="province")
    build.add_argument("--rebuild", action="store_true", help="删除后重建")
    build.add_argument("--no-store", action="store_true", help="不填充达标结果表")
    build.add_argument("--store-only", action="store_true", help="只重新填充达标结果表（代码变更后）")
    build.add_argument("--copy-store", action="store_true",
                       help="全国库：只为生成的 8 个市计算达标结果，随数据复制给其余各市（快，但见 bench/README.md）")
    measure = commands.add_parser("measure", help="测量并打印各项指标（默认）")
    load = commands.add_parser("load", help="gunicorn（2 个 worker，PostgreSQL，生产配置）+ wrk")
    load.add_argument("--seconds", type=int, default=30)
    load.add_argument("--mixed-seconds", type=int, default=60)
    load.add_argument("--users", type=int, default=50)
    load.add_argument("--size", choices=SIZES, default="province", help="PostgreSQL 基准库（默认 province）")
    worker = commands.add_parser("worker", help=argparse.SUPPRESS)
    worker.add_argument("--vendor", required=True)
    worker.add_argument("--size", required=True)
    for sub in (parser, measure):
        sub.add_argument("--vendor", type=lambda text: text.split(","), default=["sqlite", "postgres"],
                         help="sqlite、postgres 或 sqlite,postgres（默认两者）")
        sub.add_argument("--parts", type=lambda text: text.split(","), default=list(PARTS),
                         help=f"只测其中几项，逗号分隔：{','.join(PARTS)}")
        sub.add_argument("--runs", type=int, default=7, help="每项成对计时的次数（取中位数，默认 7）")
        sub.add_argument("--no-build", action="store_true", help="缺库时不建库")
        sub.add_argument("--main", default="province", choices=SIZES,
                         help="主要指标所用的库（默认 province；快速试跑用 small）")
        sub.add_argument("--sizes", type=lambda text: text.split(","), default=["small", "city", "province"],
                         help="比较每页查询数的各个库（默认 small,city,province）")
        sub.add_argument("--build-national", action="store_true", help="全国库未建时建库（很慢）")
    args = parser.parse_args(argv)
    use_project_python()
    sys.path.insert(0, str(ROOT))
    if args.command == "build":
        build_command(args)
    elif args.command == "worker":
        from bench.worker import serve

        serve(args.vendor, args.size)
    elif args.command == "load":
        from bench.load import load_command

        load_command(args)
    else:
        measure_command(args)


if __name__ == "__main__":
    main()
