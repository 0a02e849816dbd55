"""Print the compliance of a township or a county for a year (the same computation and payload as the API)."""
import json

from django.core.management.base import BaseCommand, CommandError

from assessments import selectors
from offices.compliance import Status, present


class Command(BaseCommand):
    help = "输出乡镇或县区某年度的达标情况：manage.py compliance CODE --year Y [--json]"

    def add_arguments(self, parser):
        parser.add_argument("code", help="乡镇（9或12位）或县区（6或12位）区划代码")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出（与 API 相同）")

    def handle(self, *args, code, year, as_json, **options):
        try:
            payload, cards = selectors.unit_compliance(code, year)
        except (selectors.BadUnitCode, selectors.UnitNotFound) as error:
            raise CommandError(f"{error}（{code}）") from error
        if as_json:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for card in cards:
            self.stdout.write(f"{card.township.name}（{card.township.code}）{year}年度：{Status(card.status).label}")
            for r in card.results:
                self.stdout.write(
                    f"  [{Status(r.status).label}] {r.title}：应达 {present(r.required, r.unit, none_listed='无')}，"
                    f"实有 {present(r.actual, r.unit, none_listed='无')}。{r.explanation}"
                )
