"""Reads of the staffing app, for pages of every level."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from offices.compliance.engine import decide_rule
from offices.compliance.store import township_results
from offices.selectors import township_contexts_by_year
from staffing import compliance, rules
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


def staff_workforce(townships, year):
    """The Workforce of the township staff in post at the end of `year`, in one query."""
    return _workforce_totals(
        StaffMember.objects.filter(township__in=townships), year, full_time=Q(full_time=True), qualification=True
    )


def assistant_workforce(townships, year):
    """The Workforce of the village assistants in post at the end of `year`, in one query."""
    return _workforce_totals(
        VillageAssistant.objects.filter(village__township__in=townships),
        year,
        full_time=Q(role=VillageAssistant.Role.FULL_TIME),
        qualification=False,  # not recorded for assistants
    )


def workforce_indicators(townships, year):
    """Return {"staff": Workforce, "assistants": Workforce} for a set of townships, in two queries."""
    return {"staff": staff_workforce(townships, year), "assistants": assistant_workforce(townships, year)}


@dataclass
class StaffList:
    in_post: list  # in post at the end of the year
    others: list  # left before, or not yet started
    directors: list  # every director on record, newest first


def staff_for_township(township, year):
    """The township's staff for its staff list, in one query."""
    people = list(
        StaffMember.objects.filter(township=township)
        .select_related("county_opinion")
        .order_by("post", "start_date", "name")
    )
    directors = sorted((p for p in people if p.post == StaffMember.Post.DIRECTOR), key=lambda p: p.name)
    directors.sort(key=lambda p: p.start_date, reverse=True)  # newest first, names ascending within a day
    return StaffList(
        in_post=[p for p in people if rules.in_post_at_year_end(p.start_date, p.end_date, year)],
        others=[p for p in people if not rules.in_post_at_year_end(p.start_date, p.end_date, year)],
        directors=directors,
    )


def directors_of(township):
    """Every director the township has recorded, newest first, with the county's opinion."""
    return list(
        StaffMember.objects.filter(township=township, post=StaffMember.Post.DIRECTOR)
        .select_related("county_opinion")
        .order_by("-start_date", "name")
    )


def staffing_results(township, year):
    """{code: RuleResult} of the staffing rules for one township: the one computation, this app's part."""
    return township_results(township, year, compliance)


@dataclass
class PostsYear:
    """One year of a township's posts, as the posts rule decided it."""

    year: int
    population: int | None
    result: object  # the staffing.posts_authorized RuleResult of that year
    authorized: int | None

    @property
    def required(self):
        return self.result.required if self.result.assessed else None

    @property
    def gap(self):
        if self.required is None or self.authorized is None:
            return None
        return self.authorized - self.required

    @property
    def shortfall(self):
        return -self.gap if self.gap is not None and self.gap < 0 else 0


def posts_by_year(township):
    """For each year with population or posts: population, the posts rule's result and the posts entered.

    Three queries whatever the number of years: the posts, then the contexts
    (population and standard) of every year; each year's rule is decided by
    the engine's own decider.
    """
    authorized = dict(AuthorizedPosts.objects.filter(township=township).values_list("year", "posts"))
    rows = []
    for year, context in township_contexts_by_year(township, more_years=authorized).items():
        inputs = compliance.StaffingInputs(authorized_posts=authorized.get(year))
        result = decide_rule(compliance, rules.POSTS_AUTHORIZED, inputs, context)
        rows.append(PostsYear(year=year, population=context.population, result=result,
                              authorized=authorized.get(year)))
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
