"""The staffing app's side of the compliance contract (offices.compliance).

`gather` returns an entry for EVERY township of the queryset, so a township
with no staffing rows at all gets an empty `StaffingInputs` (no posts entered,
nobody in post) and `evaluate` reports what is missing.
"""
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from offices.compliance import Dimension, not_assessed, township_ids
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


RULE_CODES = [
    rules.POSTS_AUTHORIZED,
    rules.STAFF_IN_POST,
    rules.VILLAGE_ASSISTANTS,
    rules.ASSISTANTS_FILED,
    rules.DIRECTOR_OPINION,
]


def evaluate(inputs, context):
    """Return the five staffing RuleResults of one township and year (pure)."""
    standard = context.standard
    if standard is None:
        reason = _("该年度没有适用的建设标准，不予评估。")
        return [not_assessed(code, Dimension.STAFFING, rules.title(code), reason) for code in RULE_CODES]
    inputs = inputs or StaffingInputs()
    year = context.year
    basis_label = standard.get_population_basis_display()
    params = (
        standard.posts_tiers,
        standard.posts_step_population,
        standard.posts_step_posts,
        standard.posts_step_rounding,
    )
    return [
        rules.posts_authorized(
            year=year, population=context.population, basis_label=basis_label,
            posts=inputs.authorized_posts, standard_params=params,
        ),
        rules.staff_in_post(
            year=year, population=context.population, basis_label=basis_label,
            headcount=inputs.headcount, standard_params=params,
        ),
        rules.village_assistants(
            year=year, village_counts=inputs.village_counts, per_village=standard.assistants_per_village
        ),
        rules.assistants_filed(
            year=year, assistants=inputs.assistants, filing_required=standard.assistant_filing_required
        ),
        rules.director_opinion(
            year=year, directors=inputs.directors, opinion_required=standard.director_opinion_required
        ),
    ]
