"""The staffing app's side of the compliance contract (offices.compliance): RULES, gather, DECIDERS.

`gather` returns an entry for EVERY township of the queryset, so a township
with no staffing rows at all gets an empty `StaffingInputs` (no posts entered,
nobody in post) and `evaluate` reports what is missing.
"""
from dataclasses import dataclass, field

from django.db.models import Count

from offices.compliance import township_ids
from offices.compliance.engine import evaluator
from offices.models import Village, village_short_name
from staffing import rules
from staffing.models import AuthorizedPosts, StaffMember, VillageAssistant
from staffing.querysets import in_post_at_year_end


@dataclass
class StaffingInputs:
    """The plain data the staffing rules of one township need for one year."""

    authorized_posts: int | None = None  # None: not entered for the year
    headcount: int = 0  # staff in post at year end
    directors: list = field(default_factory=list)  # (name, start_date, opinion_date | None)
    village_counts: list = field(default_factory=list)  # (village short name, assistants in post)
    assistants: list = field(default_factory=list)  # (name, village short name, filed_date | None)



def gather(townships, year):
    """Collect the staffing inputs of every township in five queries, whatever their number."""
    ids = township_ids(townships)
    inputs = {pk: StaffingInputs() for pk in ids}
    if not ids:
        return inputs

    posts = AuthorizedPosts.objects.filter(township_id__in=ids, year=year).values_list("township_id", "posts")
    for township_id, count in posts:
        inputs[township_id].authorized_posts = count

    staff = (
        StaffMember.objects.filter(township_id__in=ids)
        .filter(in_post_at_year_end(year))
        .values_list("township_id", "post", "name", "start_date", "county_opinion__opinion_date")
        .order_by("township_id", "start_date", "pk")
    )
    for township_id, post, name, start_date, opinion_date in staff:
        entry = inputs[township_id]
        entry.headcount += 1
        if post == StaffMember.Post.DIRECTOR:
            entry.directors.append((name, start_date, opinion_date))

    villages = (
        Village.objects.filter(township_id__in=ids)
        .annotate(in_post=Count("assistants", filter=in_post_at_year_end(year, prefix="assistants__")))
        .values_list("township_id", "name", "in_post")
        .order_by("code")
    )
    for township_id, name, count in villages:
        inputs[township_id].village_counts.append((village_short_name(name), count))

    assistants = (
        VillageAssistant.objects.filter(village__township_id__in=ids)
        .filter(in_post_at_year_end(year))
        .values_list("village__township_id", "name", "village__name", "filed_date")
        .order_by("village__code", "start_date", "pk")
    )
    for township_id, name, village_name, filed_date in assistants:
        inputs[township_id].assistants.append((name, village_short_name(village_name), filed_date))
    return inputs


RULES = rules.RULES


def _posts_params(standard):
    return (standard.posts_tiers, standard.posts_step_population, standard.posts_step_posts,
            standard.posts_step_rounding)


def _posts_authorized(inputs, context):
    return rules.posts_authorized(
        year=context.year, population=context.population,
        basis_label=context.standard.get_population_basis_display(),
        posts=(inputs or StaffingInputs()).authorized_posts, standard_params=_posts_params(context.standard),
    )


def _staff_in_post(inputs, context):
    return rules.staff_in_post(
        year=context.year, population=context.population,
        basis_label=context.standard.get_population_basis_display(),
        headcount=(inputs or StaffingInputs()).headcount, standard_params=_posts_params(context.standard),
    )


DECIDERS = {
    rules.POSTS_AUTHORIZED.code: _posts_authorized,
    rules.STAFF_IN_POST.code: _staff_in_post,
    rules.VILLAGE_ASSISTANTS.code: lambda inputs, context: rules.village_assistants(
        year=context.year, village_counts=(inputs or StaffingInputs()).village_counts,
        per_village=context.standard.assistants_per_village,
    ),
    rules.ASSISTANTS_FILED.code: lambda inputs, context: rules.assistants_filed(
        year=context.year, assistants=(inputs or StaffingInputs()).assistants,
    ),
    rules.DIRECTOR_OPINION.code: lambda inputs, context: rules.director_opinion(
        year=context.year, directors=(inputs or StaffingInputs()).directors,
    ),
}
evaluate = evaluator(RULES, DECIDERS)
