"""Reads of the base app: hierarchy units, populations, standards and each township's context."""
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from offices.compliance.contract import TownshipContext
from offices.models import County, Population, Standard, Township, Village
from offices.querysets import pick_standard


def population_subquery(year, field="resident"):
    """Return a Subquery of a township's population `field` in `year` (for annotate)."""
    return Subquery(
        Population.objects.filter(township=OuterRef("pk"), year=year).values(field)[:1]
    )


def townships_with_population(queryset, year):
    """Annotate townships with their resident and registered population in `year`."""
    return queryset.select_related("county__city").annotate(
        resident_population=population_subquery(year, "resident"),
        registered_population=population_subquery(year, "registered"),
    )


def townships_overview(queryset, year):
    """Townships with their population in `year` and their number of villages, for a county's list.

    The village count is a subquery, not a join: the list sums it (合计) in SQL, which an aggregate annotation
    would not allow."""
    villages = (Village.objects.filter(township=OuterRef("pk")).order_by().values("township")
                .annotate(count=Count("pk")).values("count"))
    return townships_with_population(queryset, year).annotate(village_count=Coalesce(Subquery(villages), 0))


def township_contexts(townships, year, *, today=None):
    """[(township, TownshipContext)] in code order: the one place a township's context is built.

    The applicable standard, and the population that standard counts (its
    basis), for every township — two queries whatever their number. The
    engine and every page take a township's context from here.
    """
    if not isinstance(townships, QuerySet):
        townships = Township.objects.filter(pk__in=[t.pk for t in townships])
    rows = list(townships_with_population(townships, year).order_by("code"))
    standards = standards_for_townships(rows, year)
    return [
        (township, make_context(township, year, standards[township.pk], resident=township.resident_population,
                                registered=township.registered_population, today=today))
        for township in rows
    ]


def township_context(township, year, *, today=None):
    """The TownshipContext of one township in `year`."""
    return township_contexts([township], year, today=today)[0][1]


def township_contexts_by_year(township, *, more_years=(), today=None):
    """{year: TownshipContext} of one township for every year with a population and `more_years`, newest first.

    Two queries whatever the number of years (a page's history table).
    """
    populations = {
        year: (resident, registered)
        for year, resident, registered in Population.objects.filter(township=township)
        .values_list("year", "resident", "registered")
    }
    standards = list(Standard.objects.all())
    out = {}
    for year in sorted({*populations, *more_years}, reverse=True):
        standard = pick_standard([s for s in standards if s.in_force(year)], township.code)
        resident, registered = populations.get(year, (None, None))
        out[year] = make_context(township, year, standard, resident=resident, registered=registered, today=today)
    return out


def make_context(township, year, standard, *, resident, registered, today=None):
    """Build a TownshipContext: the population is the one the standard counts (resident without a standard)."""
    if standard is not None:
        population = standard.counted_population(resident=resident, registered=registered)
    else:
        population = resident
    return TownshipContext(
        township_id=township.pk, code=township.code, name=township.name, year=year, standard=standard,
        population=population, today=today,
    )


def counties_overview(user, city):
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


# The years a page may show: data older than the first standard, or years far ahead, are not reporting years.
FIRST_YEAR = 2000
YEARS_AHEAD = 1


def year_bounds(today=None):
    """(first, last) year any page offers: from FIRST_YEAR to next year."""
    today = today or timezone.localdate()
    return FIRST_YEAR, today.year + YEARS_AHEAD


def data_years(user, *, today=None):
    """Years with population data in the user's scope and within the bounds, newest first.

    A single clerk saving a population for 2100 cannot make 2100 everybody's
    default: only the user's own scope counts, and the range is bounded.
    """
    first, last = year_bounds(today)
    populations = Population.objects.filter(year__gte=first, year__lte=last)
    if user is not None:
        populations = populations.filter(township__in=Township.objects.for_user(user))
    return sorted(set(populations.order_by().values_list("year", flat=True).distinct()), reverse=True)


def year_choices(user, *, today=None, with_data=None):
    """(the year a page opens on, the years the user can pick).

    The years are those with data in the user's scope plus the current year,
    newest first; the page opens on the newest year with data up to this
    year, or this year when there is none. `with_data`: the user's
    `data_years`, when the caller has them already.
    """
    today = today or timezone.localdate()
    years = data_years(user, today=today) if with_data is None else with_data
    past = [year for year in years if year <= today.year]
    return (past[0] if past else today.year), sorted({*years, today.year}, reverse=True)
