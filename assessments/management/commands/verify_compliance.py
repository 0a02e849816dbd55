"""Recompute live and compare with the stored results: every difference printed, exit 1 on any."""
import sys

from django.core.management.base import BaseCommand, CommandError

from assessments import selectors
from offices.compliance import store
from offices.models import ComplianceSummary, Population, Township


class Command(BaseCommand):
    help = ("核对已保存的达标结果与实时计算是否一致：manage.py verify_compliance [--year Y] [--unit 区划代码]；"
            "逐条列出差异，有差异时退出码为 1。")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="只核对该年度（可重复）；默认：所有有数据或已保存结果的年度")
        parser.add_argument("--unit", help="只核对该乡镇或县区（区划代码）；默认：全部")
        parser.add_argument("--limit", type=int, default=200, help="最多列出多少条差异（默认 200；总数总会报告）")

    def handle(self, *args, year, unit, limit, **options):
        if unit:
            try:
                _unit, townships = selectors.unit_townships(unit)
            except (selectors.BadUnitCode, selectors.UnitNotFound) as error:
                raise CommandError(f"{error}（{unit}）") from error
        else:
            townships = Township.objects.all()
        ids = list(townships.values_list("pk", flat=True))
        years = year or sorted(
            set(ComplianceSummary.objects.filter(township_id__in=ids).values_list("year", flat=True).distinct()
                .order_by())
            | set(Population.objects.filter(township_id__in=ids).values_list("year", flat=True).distinct().order_by())
        )
        total = 0
        for each in years:
            found = []
            for start in range(0, len(ids), store.BATCH):
                found.extend(store.differences(ids[start:start + store.BATCH], each))
            for difference in found[:max(limit - total, 0)]:
                self.stdout.write(str(difference))
            total += len(found)
            self.stdout.write(f"{each}年度：核对 {len(ids)} 个乡镇，差异 {len(found)} 处。")
        if total:
            self.stderr.write(self.style.ERROR(f"已保存的结果与实时计算有 {total} 处差异。"))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"已保存的结果与实时计算一致（{len(years)} 个年度，{len(ids)} 个乡镇）。"))
