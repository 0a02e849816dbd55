"""Delete the security events older than the retention (never fewer than 180 days)."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from security import selectors, services


class Command(BaseCommand):
    help = (
        "删除早于指定天数的安全事件：manage.py purge_security_events --older-than-days N。"
        "N 不能少于 WUYOU_SECURITY_EVENT_RETENTION_DAYS（至少180天）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days", type=int, default=None, dest="older_than_days",
            help=f"删除多少天以前的事件（默认 WUYOU_SECURITY_EVENT_RETENTION_DAYS，当前 {selectors.retention_days()} 天）",
        )

    def handle(self, *args, older_than_days, **options):
        days = selectors.retention_days() if older_than_days is None else older_than_days
        try:
            deleted = services.security_events_purge(older_than_days=days)
        except ValidationError as error:
            raise CommandError(" ".join(error.message_dict["older_than_days"])) from error
        self.stdout.write(f"已删除 {deleted} 条 {days} 天以前的安全事件。")
