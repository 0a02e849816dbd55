"""Reads of the staffing app, for pages of every level."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from offices.models import Population, Standard
from offices.querysets import pick_standard
from offices.vocabulary import PopulationBasis
from staffing import rules
from staffing.models import AuthorizedPosts, StaffMember, VillageAssistant
from staffing.querysets import in_post_at_year_end


def _workforce_totals(queryset, year, *, full_time, qualification):
    """Aggregate the Workforce counts of `queryset` (people in post) in one query."""
    born_by = datetime.date(year - 50, 12, 31)  # 50 or older on 31 December
    totals = {
        "count": Count("pk"),
        "full_time": Count("pk", filter=full_time),
        "junior_college_or_higher": Count("pk", filter=Q(education__in=rules.HIGHER_EDUCATION)),
        "aged_50_plus": Count("pk", filter=Q(birth_date__lte=born_by)),
        "birth_year_total": Coalesce(Sum(ExtractYear("birth_date")), 0),
    }
    if qualification:
        totals["qualified"] = Count("pk", filter=Q(qualification__in=rules.SOCIAL_WORK_QUALIFIED))
    values = queryset.filter(in_post_at_year_end(year)).aggregate(**totals)
    values.setdefault("qualified", None)
    return rules.Workforce(year=year, **values)


def workforce_indicators(townships, year):
    """Return {"staff": Workforce, "assistants": Workforce} for a set of townships, in two queries."""
    return {
        "staff": _workforce_totals(
            StaffMember.objects.filter(township__in=townships), year, full_time=Q(full_time=True), qualification=True
        ),
        "assistants": _workforce_totals(
            VillageAssistant.objects.filter(village__township__in=townships),
            year,
            full_time=Q(role=VillageAssistant.Role.FULL_TIME),
            qualification=False,  # not recorded for assistants
        ),
    }


def staff_for_township(township, year):
    """Return (in post at the end of `year`, everybody else) for a township's staff list."""
    people = list(
        StaffMember.objects.filter(township=township)
        .select_related("county_opinion")
        .order_by("post", "start_date", "name")
    )
    in_post = [p for p in people if rules.in_post_at_year_end(p.start_date, p.end_date, year)]
    others = [p for p in people if not rules.in_post_at_year_end(p.start_date, p.end_date, year)]
    return in_post, others


def directors_of(township):
    """Every director the township has recorded, newest first, with the county's opinion."""
    return list(
        StaffMember.objects.filter(township=township, post=StaffMember.Post.DIRECTOR)
        .select_related("county_opinion")
        .order_by("-start_date", "name")
    )


def population_on_basis(standard, population):
    """Return the population figure the standard counts (resident or registered), or None."""
    if standard is None or population is None:
        return None
    if standard.population_basis == PopulationBasis.REGISTERED:
        return population.registered
    return population.resident


@dataclass
class PostsYear:
    year: int
    population: int | None
    required: int | None
    authorized: int | None

    @property
    def gap(self):
        if self.required is None or self.authorized is None:
            return None
        return self.authorized - self.required

    @property
    def shortfall(self):
        return -self.gap if self.gap is not None and self.gap < 0 else 0


def posts_by_year(township):
    """For each year with population or posts: population, required posts and authorized posts (three queries)."""
    authorized = dict(AuthorizedPosts.objects.filter(township=township).values_list("year", "posts"))
    populations = {p.year: p for p in Population.objects.filter(township=township)}
    standards = list(Standard.objects.all())
    rows = []
    for year in sorted(set(authorized) | set(populations), reverse=True):
        standard = pick_standard([s for s in standards if s.in_force(year)], township.code)
        population = populations.get(year)
        count = population_on_basis(standard, population)
        required = rules.required_posts_for(standard, count) if count is not None else None
        rows.append(PostsYear(year=year, population=count, required=required, authorized=authorized.get(year)))
    return rows


@dataclass
class VillageRow:
    village: object
    in_post: list = field(default_factory=list)
    others: list = field(default_factory=list)


def assistants_by_village(township, year):
    """Every village of the township with its assistants in post at the end of `year` and the others."""
    villages = township.villages.order_by("code").prefetch_related(
        Prefetch("assistants", queryset=VillageAssistant.objects.order_by("start_date", "name"))
    )
    rows = []
    for village in villages:
        row = VillageRow(village=village)
        for assistant in village.assistants.all():
            if rules.in_post_at_year_end(assistant.start_date, assistant.end_date, year):
                row.in_post.append(assistant)
            else:
                row.others.append(assistant)
        rows.append(row)
    return rows
