"""Write the compliance spreadsheet of a county or a city (the same file as the download buttons)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import exports, oversight
from assessments.reports import compliance_report
from offices.models import City, County


def full_code(code, digits):
    if not code.isdigit() or len(code) not in (digits, 12):
        raise CommandError(f"区划代码应为{digits}位或12位数字：{code}")
    return code.ljust(12, "0")


class Command(BaseCommand):
    help = "导出县区或全市某年度的达标情况表：manage.py export_compliance (--county CODE | --city CODE) --year Y -o FILE"

    def add_arguments(self, parser):
        unit = parser.add_mutually_exclusive_group(required=True)
        unit.add_argument("--county", help="县区区划代码（6或12位）")
        unit.add_argument("--city", help="市区划代码（4或12位）")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("-o", "--output", help="输出文件（.xlsx）；省略时按单位和年度命名，写在当前目录")

    def handle(self, *args, county, city, year, output, **options):
        if county:
            unit = County.objects.filter(code=full_code(county, 6)).first()
            if unit is None:
                raise CommandError(f"未找到区划代码为 {county} 的县区。")
            scope = oversight.scope_for(None, county=unit)
        else:
            unit = City.objects.filter(code=full_code(city, 4)).first()
            if unit is None:
                raise CommandError(f"未找到区划代码为 {city} 的市。")
            scope = oversight.scope_for(None, city=unit)
        path = Path(output or exports.filename(unit.name, year))
        path.parent.mkdir(parents=True, exist_ok=True)  # e.g. -o out/兰山区.xlsx on a fresh clone
        report = compliance_report(scope, year)
        exports.write_workbook(report, path)
        self.stdout.write(self.style.SUCCESS(f"已导出 {unit.name} {year}年度 {report.totals.townships} 个乡镇：{path}"))
