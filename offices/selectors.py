"""Reads of the base app: hierarchy units, populations and standards."""
from django.db.models import Count, OuterRef, Subquery

from offices.models import County, Population, Standard, Township
from offices.querysets import pick_standard


def population_subquery(year, field="resident"):
    """Return a Subquery of a township's population `field` in `year` (for annotate)."""
    return Subquery(
        Population.objects.filter(township=OuterRef("pk"), year=year).values(field)[:1]
    )


def townships_with_population(queryset, year):
    """Annotate townships with resident/registered population and village count for `year`."""
    return queryset.select_related("county").annotate(
        resident_population=population_subquery(year, "resident"),
        registered_population=population_subquery(year, "registered"),
        village_count=Count("villages", distinct=True),
    )


def counties_overview(user, city, year):
    """Counties of a city visible to the user, with township and village counts."""
    return (
        County.objects.for_user(user)
        .filter(city=city)
        .annotate(
            township_count=Count("townships", distinct=True),
            village_count=Count("townships__villages", distinct=True),
        )
        .order_by("code")
    )


def standards_for_townships(townships, year):
    """Map township id → the Standard that applies in `year`, in one query."""
    standards = list(Standard.objects.in_force(year))
    return {t.pk: pick_standard(standards, t.code) for t in townships}


def standard_for(township, year):
    return Standard.objects.applicable(township.code, year)


def available_years():
    """Years with population data, newest first."""
    return list(Population.objects.order_by("-year").values_list("year", flat=True).distinct())


def visible_township(user, code):
    """Return the township with `code` if the user may see it, else None."""
    return Township.objects.for_user(user).select_related("county__city").filter(code=code).first()
