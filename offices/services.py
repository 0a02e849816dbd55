"""Writes of the base app: each validates fully, then saves in one transaction."""
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.acting import acting_user
from offices.compliance.store import recompute_township, stored_years
from offices.jobs import enqueue, job_start
from offices.models import City, County, FormSubmission, Job, Population, Township, TownshipOffice, Village
from offices.reporting import confirm_change, ensure_open, from_this_year, year_of
from offices.versions import check_version


@transaction.atomic
def population_set(*, township, year, resident, registered, confirmed=False):
    """Create or replace a township's population for a year.

    A resident population that moved more than the city's threshold from the
    year before must be `confirmed` (「5万」 once became 5).
    """
    ensure_open(township, year_of(year))
    previous = Population.objects.filter(township=township, year=year - 1).values_list("resident", flat=True).first()
    confirm_change(township, year, field="resident", label=_("常住人口"), before=previous, after=resident,
                   confirmed=confirmed, unit=_("人"))
    population = Population.objects.filter(township=township, year=year).first() or Population(
        township=township, year=year
    )
    population.resident = resident
    population.registered = registered
    population.full_clean()
    population.save()
    recompute_township(township, years={year})
    return population


@transaction.atomic
def office_update(*, township, name, setup, parent_office_name="", address="", phone=""):
    """Create or update the township's civil-affairs office (it counts in every year)."""
    ensure_open(township, from_this_year())
    office = TownshipOffice.objects.filter(township=township).first() or TownshipOffice(township=township)
    office.name = name
    office.setup = setup
    office.parent_office_name = parent_office_name
    office.address = address
    office.phone = phone
    office.full_clean()
    office.save()
    recompute_township(township)
    return office


# --- One form, saved once, over what it was read at ----------------------------------------------------------


class AlreadySaved(Exception):
    """The form with this token was saved before (a double click, a resent POST): nothing more is written."""


def _parse_token(token):
    try:
        return uuid.UUID(str(token))
    except (TypeError, ValueError, AttributeError):
        return None


@transaction.atomic
def form_save(*, write, township=None, history_rows=None, version=None, token=None):
    """Run `write()` (a service) once per form, and only over the version the form was read at.

    The township's row is locked first, so two saves of one township queue
    instead of racing (two first saves of a year's population would otherwise
    both insert). A token seen before raises AlreadySaved; a newer version of
    `history_rows` than `version` raises a conflict ValidationError listing the
    other person's changes. Either way nothing is written.
    """
    if township is not None:
        list(Township.objects.select_for_update().filter(pk=township.pk).values_list("pk", flat=True))
    token = _parse_token(token)
    if token is not None:
        try:
            with transaction.atomic():
                FormSubmission.objects.create(token=token, user=acting_user())
        except IntegrityError:
            raise AlreadySaved from None
    check_version(history_rows, version)
    return write()


# --- What many townships depend on: a standard, the hierarchy -------------------------------------------------


def recompute_in_background(townships, years, *, user=None, title=""):
    """Start a job that recomputes `townships` × `years` on the queue; return the Job (None if nothing to do)."""
    ids = sorted(set(townships.values_list("pk", flat=True))) if hasattr(townships, "values_list") else sorted(
        set(townships))
    years = sorted(set(years))
    if not ids or not years:
        return None
    from offices.tasks import recompute_task  # the task module imports the store; import it when used

    job = job_start(kind=Job.Kind.RECOMPUTE, title=title or _("重新计算达标结果"), user=user,
                    total=len(ids) * len(years))
    enqueue(recompute_task, str(job.pk), ids, years)
    return job


def _years_of(townships, first=None, last=None):
    """The years to recompute for `townships`: those already stored (or with data), within [first, last]."""
    ids = list(townships.values_list("pk", flat=True))
    years = stored_years(ids) | set(
        Population.objects.filter(township_id__in=ids).values_list("year", flat=True).distinct().order_by())
    years.add(timezone.localdate().year)
    return {y for y in years if (first is None or y >= first) and (last is None or y <= last)}


def standard_townships(standard):
    return Township.objects.filter(code__startswith=standard.jurisdiction_code)


@transaction.atomic
def standard_save(*, standard, user=None, previous_jurisdiction=None):
    """Save a standard (validated by its admin form) and recompute every township it may decide, in the background.

    Where a standard applies is decided by jurisdiction and years; a change
    can move townships to or from it, so both the old and the new
    jurisdiction are recomputed.
    """
    standard.full_clean()
    standard.save()
    prefixes = {standard.jurisdiction_code, previous_jurisdiction or standard.jurisdiction_code}
    townships = Township.objects.none()
    for prefix in prefixes:
        townships = townships | Township.objects.filter(code__startswith=prefix)
    return recompute_in_background(
        townships, _years_of(townships), user=user,
        title=_("标准“%(name)s”已修改：重新计算达标结果") % {"name": standard.name},
    )


@transaction.atomic
def standard_delete(*, standard, user=None):
    townships = standard_townships(standard)
    years = _years_of(townships)
    name = standard.name
    standard.delete()
    return recompute_in_background(townships, years, user=user,
                                   title=_("标准“%(name)s”已删除：重新计算达标结果") % {"name": name})


def division_townships(unit):
    """The townships whose results a change of `unit` (city, county, township, village) can change."""
    if isinstance(unit, City):
        return Township.objects.filter(county__city=unit)
    if isinstance(unit, County):
        return Township.objects.filter(county=unit)
    if isinstance(unit, Township):
        return Township.objects.filter(pk=unit.pk)
    if isinstance(unit, Village):
        return Township.objects.filter(pk=unit.township_id)
    raise TypeError(f"not a division unit: {unit!r}")


@transaction.atomic
def division_save(*, unit, user=None, previous_township_id=None):
    """Save a unit of the hierarchy (validated by its admin form) and recompute the townships under it.

    A township's results carry its county and city, a village counts in its
    township's requirements; a village moved to another township changes both.
    """
    unit.full_clean()
    unit.save()
    townships = division_townships(unit)
    if previous_township_id:
        townships = townships | Township.objects.filter(pk=previous_township_id)
    return recompute_in_background(townships, _years_of(townships), user=user,
                                   title=_("区划“%(name)s”已修改：重新计算达标结果") % {"name": unit.name})


@transaction.atomic
def division_delete(*, unit, user=None):
    """Delete a unit; a deleted village's township is recomputed (a deleted township takes its results with it)."""
    township_id = unit.township_id if isinstance(unit, Village) else None
    unit.delete()
    if township_id is None:
        return None
    townships = Township.objects.filter(pk=township_id)
    return recompute_in_background(townships, _years_of(townships), user=user,
                                   title=_("区划已修改：重新计算达标结果"))
