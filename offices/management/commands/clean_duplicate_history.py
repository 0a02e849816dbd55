"""Refuse django-simple-history's `clean_duplicate_history`: the change history is append-only.

Two neighbouring rows with the same values still say that somebody saved the
record at that time from that address; removing them would rewrite the record
of who did what. (simple_history is the last installed app, so this command is
found before its own.)
"""
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "已停用：变更记录只增不删。"

    def add_arguments(self, parser):
        parser.add_argument("models", nargs="*", type=str)
        parser.add_argument("--auto", action="store_true")
        parser.add_argument("-m", "--minutes", type=int)
        parser.add_argument("-d", "--dry", action="store_true")
        parser.add_argument("--excluded_fields", nargs="+")
        parser.add_argument("--base-manager", action="store_true")

    def handle(self, *args, **options):
        raise CommandError("变更记录只增不删，不能清理重复的变更记录。")
