"""Remove change-history rows older than a number of days, never younger than HISTORY_KEEP_DAYS.

This command replaces django-simple-history's own `clean_old_history` (simple_history
is the last installed app, so this one is found first). It is the one place
history rows are ever removed: a queryset delete, which bypasses the rows'
refusing `delete()` on purpose, of the rows older than the days asked for, in
every model of `offices.history.TRACKED`.
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from offices.history import HISTORY_KEEP_DAYS, TRACKED


class Command(BaseCommand):
    help = f"删除早于指定天数的变更记录（至少保留 {HISTORY_KEEP_DAYS} 天）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=HISTORY_KEEP_DAYS,
                            help=f"只保留最近多少天的变更记录，不得少于 {HISTORY_KEEP_DAYS}（默认 {HISTORY_KEEP_DAYS}）。")
        parser.add_argument("-d", "--dry", action="store_true", help="只统计，不删除。")

    def handle(self, *args, days, dry, **options):
        if days < HISTORY_KEEP_DAYS:
            raise CommandError(f"变更记录至少保留 {HISTORY_KEEP_DAYS} 天，不能删除 {days} 天内的记录；"
                               f"请使用 --days {HISTORY_KEEP_DAYS} 或更大的天数。")
        cutoff = timezone.now() - timezone.timedelta(days=days)
        total = 0
        with transaction.atomic():
            for tracked in TRACKED.values():
                old = tracked.history_model.objects.filter(history_date__lt=cutoff)
                if dry:
                    found = old.count()
                else:
                    # The one place history rows are removed: a queryset delete (the rows' own delete() refuses).
                    found, _by_model = old.delete()
                if found:
                    self.stdout.write(f"{tracked.label}：{found} 条早于 {days} 天的变更记录"
                                      f"{'（未删除，试运行）' if dry else '已删除'}。")
                total += found
        self.stdout.write(self.style.SUCCESS(
            f"共{'找到' if dry else '删除'} {total} 条早于 {days} 天（{cutoff:%Y-%m-%d}）的变更记录。"))
