"""The change history is append-only: no page, form, admin or command edits or deletes it (bar rows ≥180 days old)."""
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.utils import timezone

from offices import services
from offices.acting import acting_as
from offices.history import HISTORY_KEEP_DAYS, TRACKED
from offices.models import Population

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(township, clerk):
    with acting_as(clerk, "10.0.0.7"):
        services.population_set(township=township, year=2024, resident=40_000, registered=40_000)
        services.population_set(township=township, year=2025, resident=41_000, registered=40_000)
    return Population.history.order_by("history_id")


def test_a_history_row_cannot_be_saved_again_or_deleted(rows):
    row = rows.first()
    row.history_address = "10.9.9.9"
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()
    assert rows.count() == 2 and rows.first().history_address == "10.0.0.7"


def test_no_admin_registers_a_history_model():
    history_models = {tracked.history_model for tracked in TRACKED.values()}
    assert history_models, "the tracked models have historical models"
    assert not history_models & set(admin.site._registry)


def test_offices_commands_replace_simple_historys():
    commands = get_commands()
    assert commands["clean_old_history"] == "offices"
    assert commands["clean_duplicate_history"] == "offices"


def test_clean_old_history_refuses_fewer_than_the_kept_days(rows):
    with pytest.raises(CommandError) as refused:
        call_command("clean_old_history", days=30, stdout=StringIO())
    assert f"至少保留 {HISTORY_KEEP_DAYS} 天" in str(refused.value)
    assert refused.value.returncode == 1
    assert rows.count() == 2


def test_clean_old_history_removes_only_rows_older_than_the_days(rows):
    old, young = rows
    # Test setup: age one row 201 days (history rows refuse save(); a queryset update is how a test dates them).
    Population.history.filter(history_id=old.history_id).update(history_date=timezone.now() - timedelta(days=201))
    Population.history.filter(history_id=young.history_id).update(history_date=timezone.now() - timedelta(days=199))
    call_command("clean_old_history", days=200, dry=True, stdout=StringIO())
    assert rows.count() == 2
    out = StringIO()
    call_command("clean_old_history", days=200, stdout=out)
    assert list(rows.values_list("history_id", flat=True)) == [young.history_id]
    assert "共删除 1 条" in out.getvalue()


def test_clean_duplicate_history_refuses(rows):
    with pytest.raises(CommandError, match="变更记录只增不删"):
        call_command("clean_duplicate_history", "--auto", stdout=StringIO())
    assert rows.count() == 2
