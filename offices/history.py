"""The history of every change to a rule's input (django-simple-history), append-only.

Each input model declares `history = tracked_history()`; saving or deleting it
(always through a service) writes one historical row: who (the acting user),
when, from which address, and every field as it was after the change, so
before and after are two neighbouring rows. `register(...)` tells the 变更记录
page how to find a model's rows for a township and year.

Rows are never edited or deleted by the application: the historical models
refuse `save()` of an existing row and `delete()`; the admin shows no history
models; `clean_old_history` refuses rows younger than HISTORY_KEEP_DAYS.
"""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from offices.acting import acting_address, acting_user
from offices.text import NoControlCharactersModel

HISTORY_KEEP_DAYS = 180


class ChangeRecord(NoControlCharactersModel, models.Model):
    """What every historical row adds: the address the change came from; and it is never rewritten."""

    history_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(_("变更记录只能新增，不能修改。"))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("变更记录不能删除。"))


def _history_user(instance=None, request=None, **kwargs):
    return acting_user()


def tracked_history(**options):
    """The HistoricalRecords every input model uses."""
    return HistoricalRecords(bases=[ChangeRecord], get_user=_history_user, **options)


@receiver(pre_create_historical_record)
def _note_address(sender, history_instance, **kwargs):
    if isinstance(history_instance, ChangeRecord):
        history_instance.history_address = acting_address()


@dataclass(frozen=True)
class Tracked:
    """How the 变更记录 page finds one model's history rows for a township and year."""

    model: type
    label: str
    # The lookup from the historical row to the township id ("township_id", "village__township_id"), or, for a
    # record reached by more than one path (an attendance: its staff member's or its assistant's township), a
    # callable(township_id) -> Q over the historical rows.
    township: object
    years: object = None  # callable(year) -> Q over the historical rows; None: the record counts in every year

    @property
    def history_model(self):
        return self.model.history.model

    def rows(self, township_id, year=None):
        condition = self.township(township_id) if callable(self.township) else Q(**{self.township: township_id})
        rows = self.history_model.objects.filter(condition)
        if year is not None and self.years is not None:
            rows = rows.filter(self.years(year))
        return rows


TRACKED = {}


def register(model, *, label, township="township_id", years=None):
    TRACKED[model._meta.label_lower] = Tracked(model, label, township, years)
    return model


def year_field(name="year"):
    """For records of one year (a population, a budget line)."""
    return lambda year: Q(**{name: year})


def date_span(start, end):
    """For records in force from a date to a date (a staff member): those in force some time in the year."""
    def overlapping(year):
        return Q(**{f"{start}__year__lte": year}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__year__gte": year}))
    return overlapping


def year_span(start, end):
    """For records in force from a year to a year (a room: since_year … until_year)."""
    def overlapping(year):
        return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": year})) & (
            Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": year}))
    return overlapping
