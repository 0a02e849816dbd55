"""Keep the stored results current with the date: run daily (cron or a systemd timer) and on start."""
import time

from django.core.management.base import BaseCommand

from offices.compliance import store


class Command(BaseCommand):
    help = ("按今天的日期重新评判已保存的达标结果（季度已过、整改期限已到等随日期变化的规则），"
            "并补算尚未保存的乡镇年度。每天运行一次（cron 或 systemd timer），make run 启动时也运行。")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="只处理该年度（可重复）")
        parser.add_argument("--all", action="store_true", help="全部重新计算（不论评判日），例如升级规则之后")

    def handle(self, *args, year, all, **options):
        started = time.monotonic()
        if all:
            count = store.recompute_all(years=year)
            self.stdout.write(f"已重新计算 {count} 个乡镇年度。")
        else:
            filled = store.fill_missing(years=year)
            refreshed = store.refresh(years=year)
            self.stdout.write(f"补算 {filled} 个乡镇年度，按今日重新评判 {refreshed} 个乡镇年度。")
        self.stdout.write(f"用时 {time.monotonic() - started:.1f} 秒。")
