"""Print the compliance of a township or a county for a year (the same computation as the pages)."""
import json

from django.core.management.base import BaseCommand, CommandError

from assessments.selectors import compliance_for
from assessments.serializers import compliance_payload
from offices.compliance import Status, format_number
from offices.models import County, Township

STATUS_MARK = {Status.PASS: "达标", Status.FAIL: "未达标", Status.NOT_ASSESSED: "不评估"}


def format_value(value, unit):
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value)) or "无"
    return f"{format_number(value)}{unit}"


class Command(BaseCommand):
    help = "输出乡镇或县区某年度的达标情况：manage.py compliance CODE --year Y [--json]"

    def add_arguments(self, parser):
        parser.add_argument("code", help="乡镇（9或12位）或县区（6或12位）区划代码")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出（与 API 相同）")

    def handle(self, *args, code, year, as_json, **options):
        if not code.isdigit() or len(code) not in (6, 9, 12):
            raise CommandError("区划代码应为6、9或12位数字。")
        full = code.ljust(12, "0")
        townships = Township.objects.filter(code=full)
        unit = {"level": "township", "code": full}
        if not townships.exists():
            county = County.objects.filter(code=full).first()
            if county is None:
                raise CommandError(f"未找到区划代码为 {code} 的乡镇或县区。")
            townships = Township.objects.filter(county=county)
            unit = {"level": "county", "code": full, "name": county.name}
        cards = compliance_for(townships, year)
        if as_json:
            payload = {"year": year, "unit": unit, "townships": [compliance_payload(c) for c in cards]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for card in cards:
            self.stdout.write(f"{card.township.name}（{card.township.code}）{year}年度：{STATUS_MARK[card.status]}")
            for r in card.results:
                self.stdout.write(
                    f"  [{STATUS_MARK[r.status]}] {r.title}：应达 {format_value(r.required, r.unit)}，"
                    f"实有 {format_value(r.actual, r.unit)}。{r.explanation}"
                )
