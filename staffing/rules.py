"""The staffing rules (有人管事) and workforce indicators: pure functions, no ORM.

Every threshold comes from the applicable `Standard`, passed in as plain
values; a parameter the standard leaves empty makes the rule "not assessed".

"In post" for a year means *in post at the end of the year* (12月31日): the
person started on or before 31 December and had not left before it (an end
date of 31 December itself still counts). A year-end headcount is what the
standard's 实有人数 describes and what a county reports, and it gives one
unambiguous number per year even when people come and go during the year.
"""
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.compliance import (
    Dimension,
    RuleSpec,
    Status,
    Unit,
    format_number,
    listed,
    share,
    shortfall,
    year_end,
)
from staffing.models import JUNIOR_COLLEGE_OR_HIGHER, SocialWorkQualification, assistant_label

FLOOR = "floor"
CEIL = "ceil"


def _sets_posts(standard):
    return bool(standard.posts_tiers)


POSTS_AUTHORIZED = RuleSpec(
    code="staffing.posts_authorized", dimension=Dimension.STAFFING, title=gettext_lazy("编制数"),
    unit=Unit.PEOPLE, fix_url="staffing:posts_edit", applies=_sets_posts,
)
STAFF_IN_POST = RuleSpec(
    code="staffing.staff_in_post", dimension=Dimension.STAFFING, title=gettext_lazy("实有人数"),
    unit=Unit.PEOPLE, fix_url="staffing:staff_list", applies=_sets_posts,
)
VILLAGE_ASSISTANTS = RuleSpec(
    code="staffing.village_assistants", dimension=Dimension.STAFFING, title=gettext_lazy("村（社区）民政助理员"),
    unit=Unit.PLACES, fix_url="staffing:assistant_list",
    applies=lambda standard: bool(standard.assistants_per_village),
)
ASSISTANTS_FILED = RuleSpec(
    code="staffing.assistants_filed", dimension=Dimension.STAFFING, title=gettext_lazy("民政助理员备案"),
    unit=Unit.PEOPLE, fix_url="staffing:assistant_list",
    applies=lambda standard: standard.assistant_filing_required,
)
DIRECTOR_OPINION = RuleSpec(
    code="staffing.director_opinion", dimension=Dimension.STAFFING, title=gettext_lazy("主任选聘征求县级意见"),
    unit=Unit.PEOPLE, fix_url="staffing:director_opinion",
    applies=lambda standard: standard.director_opinion_required,
)
RULES = [POSTS_AUTHORIZED, STAFF_IN_POST, VILLAGE_ASSISTANTS, ASSISTANTS_FILED, DIRECTOR_OPINION]


# --- required posts -------------------------------------------------------------------------------------------


def required_posts(population, tiers, step_population=None, step_posts=1, rounding=FLOOR):
    """Return the authorized posts a township of `population` requires.

    `tiers` is the standard's list of {"max_population", "posts"}: the first
    tier whose upper bound is at least the population applies (以下 includes
    the bound). Above the highest tier, `step_posts` are added for every
    `step_population` beyond it — whole steps (floor) or any part of one
    (ceil, 不足一档按一档计). Without a step the highest tier's posts apply.
    """
    ordered = sorted((int(t["max_population"]), int(t["posts"])) for t in tiers)
    for max_population, posts in ordered:
        if population <= max_population:
            return posts
    top_population, top_posts = ordered[-1]
    if not step_population:
        return top_posts
    excess = population - top_population
    steps = math.ceil(excess / step_population) if rounding == CEIL else excess // step_population
    return top_posts + steps * step_posts


def required_posts_for(standard, population):
    """Return the required posts under `standard`, or None when it sets no tiers."""
    if standard is None or not standard.posts_tiers:
        return None
    return required_posts(
        population,
        standard.posts_tiers,
        standard.posts_step_population,
        standard.posts_step_posts,
        standard.posts_step_rounding,
    )


# --- in post --------------------------------------------------------------------------------------------------



def in_post_at_year_end(start_date, end_date, year):
    """Tell whether someone who started on `start_date` and left on `end_date` was in post on 31 December."""
    day = year_end(year)
    return start_date <= day and (end_date is None or end_date >= day)


# --- the rules --------------------------------------------------------------------------------------------------


def _population_missing(spec, year, basis_label):
    return spec.result(
        Status.FAIL,
        explanation=_("未录入%(year)s年%(basis)s，无法核定应配编制，请先录入人口。")
        % {"year": year, "basis": basis_label},
        fix_url="offices:population_edit",
        basis={_("年度"): year, basis_label: None},
    )


def _posts_result(spec, *, year, population, basis_label, required, actual, what):
    """Compare a headcount (`actual`, None when not entered) with the required posts."""
    gap = shortfall(required, actual or 0)
    surplus = max((actual or 0) - required, 0)
    head = _("%(basis)s%(population)s人，编制应配%(required)s人，") % {
        "basis": basis_label,
        "population": format_number(population),
        "required": required,
    }
    if actual is None:
        tail = _("未录入%(year)s年度%(what)s") % {"year": year, "what": what}
    elif gap:
        tail = _("%(what)s%(actual)s人，缺%(gap)s人") % {"what": what, "actual": actual, "gap": gap}
    elif surplus:
        tail = _("%(what)s%(actual)s人，超出%(surplus)s人") % {"what": what, "actual": actual, "surplus": surplus}
    else:
        tail = _("%(what)s%(actual)s人，符合要求") % {"what": what, "actual": actual}
    return spec.result(
        Status.FAIL if actual is None or gap else Status.PASS,
        required=required,
        actual=actual,
        gap=gap,
        surplus=surplus,
        explanation=head + tail,
        basis={_("年度"): year, basis_label: population, _("应配编制"): required, what: actual},
    )


def posts_authorized(*, year, population, basis_label, posts, standard_params):
    """Authorized posts (编制数) ≥ the posts required for the population.

    `standard_params` is (tiers, step_population, step_posts, rounding);
    `posts` is None when the township has not entered the year's posts.
    """
    if population is None:
        return _population_missing(POSTS_AUTHORIZED, year, basis_label)
    required = required_posts(population, *standard_params)
    return _posts_result(
        POSTS_AUTHORIZED, year=year, population=population, basis_label=basis_label, required=required,
        actual=posts, what=_("实有编制"),
    )


def staff_in_post(*, year, population, basis_label, headcount, standard_params):
    """Staff in post at year end (实有人数) ≥ the posts required for the population."""
    if population is None:
        return _population_missing(STAFF_IN_POST, year, basis_label)
    required = required_posts(population, *standard_params)
    return _posts_result(
        STAFF_IN_POST, year=year, population=population, basis_label=basis_label, required=required,
        actual=headcount, what=_("年末在岗"),
    )


def village_assistants(*, year, village_counts, per_village):
    """Every village/community has ≥ `per_village` assistants in post at year end.

    `village_counts` is a list of (village name, assistants in post).
    """
    lacking = [name for name, count in village_counts if count < per_village]
    total = len(village_counts)
    covered = total - len(lacking)
    if not total:
        explanation = _("未登记村（社区），无需配备民政助理员")
    elif lacking:
        facts = {"total": total, "lacking": len(lacking), "per": per_village, "names": listed(lacking)}
        if per_village == 1:
            explanation = _("共%(total)s个村（社区），%(lacking)s个未配备民政助理员：%(names)s") % facts
        else:
            explanation = _("共%(total)s个村（社区），%(lacking)s个未配足%(per)s名民政助理员：%(names)s") % facts
    else:
        explanation = _("共%(total)s个村（社区），均已配备民政助理员") % {"total": total}
    return VILLAGE_ASSISTANTS.result(
        Status.FAIL if lacking else Status.PASS,
        required=total,
        actual=covered,
        gap=len(lacking),
        explanation=explanation,
        items=tuple(lacking),
        basis={
            _("年度"): year,
            _("村（社区）数"): total,
            _("每村（社区）应配民政助理员"): per_village,
            _("未配足的村（社区）"): "、".join(lacking),
        },
    )


def filed_by_year_end(filed_date, year):
    return filed_date is not None and filed_date <= year_end(year)


def assistants_filed(*, year, assistants):
    """Every assistant in post at year end was filed with the county by then.

    `assistants` is a list of (name, village name, filed_date or None).
    """
    unfiled = [assistant_label(name, village) for name, village, filed in assistants if not filed_by_year_end(filed, year)]
    total = len(assistants)
    if unfiled:
        explanation = _("在岗民政助理员%(total)s人，%(count)s人未报县级民政部门备案：%(names)s") % {
            "total": total, "count": len(unfiled), "names": listed(unfiled, Unit.PEOPLE),
        }
    else:
        explanation = _("在岗民政助理员%(total)s人，均已报县级民政部门备案") % {"total": total}
    return ASSISTANTS_FILED.result(
        Status.FAIL if unfiled else Status.PASS,
        required=total,
        actual=total - len(unfiled),
        gap=len(unfiled),
        explanation=explanation,
        items=tuple(unfiled),
        basis={_("年度"): year, _("在岗民政助理员"): total, _("未备案"): "、".join(unfiled)},
    )


def opinion_in_time(start_date, opinion_date):
    """The county's opinion must be sought before the appointment (the same day counts)."""
    return opinion_date is not None and opinion_date <= start_date


def director_opinion(*, year, directors):
    """The director in post at year end was appointed after seeking the county's opinion.

    `directors` is a list of (name, start_date, opinion_date or None) for the
    directors in post; none at all is itself a finding.
    """
    basis = {_("年度"): year}
    if not directors:
        return DIRECTOR_OPINION.result(
            Status.FAIL, required=1, actual=0, gap=1,
            explanation=_("%(year)s年末未配备民政办公室主任") % {"year": year},
            fix_url="staffing:staff_list", basis=basis,
        )
    sentences = []
    valid = 0
    lacking = []
    for name, start_date, opinion_date in directors:
        facts = {"name": name, "start": start_date.isoformat(), "opinion": opinion_date and opinion_date.isoformat()}
        if opinion_in_time(start_date, opinion_date):
            valid += 1
            sentences.append(_("民政办公室主任%(name)s于%(start)s到岗，已于%(opinion)s征求县级民政部门意见") % facts)
        elif opinion_date is None:
            lacking.append(name)
            sentences.append(_("民政办公室主任%(name)s于%(start)s到岗，未征求县级民政部门意见") % facts)
        else:
            lacking.append(name)
            sentences.append(
                _("民政办公室主任%(name)s于%(start)s到岗，征求县级民政部门意见日期%(opinion)s晚于到岗日期") % facts
            )
        basis[name] = _("到岗%(start)s，征求意见%(opinion)s") % {**facts, "opinion": facts["opinion"] or _("无")}
    gap = len(directors) - valid
    return DIRECTOR_OPINION.result(
        Status.FAIL if gap else Status.PASS,
        required=len(directors),
        actual=valid,
        gap=gap,
        explanation="；".join(sentences),
        items=tuple(lacking),
        basis=basis,
    )


# --- workforce indicators ---------------------------------------------------------------------------------------


def age_at_year_end(birth_date, year):
    """Completed years on 31 December: every birthday of the year has passed by then."""
    return year - birth_date.year


@dataclass(frozen=True)
class Workforce:
    """Workforce totals of a set of people in post at the end of `year` (seed 000's indicators).

    Built from counts so that SQL aggregates and plain lists of people give
    the same indicators through the same arithmetic. `qualified` is None for
    people whose qualification is not recorded (village assistants).
    """

    year: int
    count: int = 0
    full_time: int = 0
    junior_college_or_higher: int = 0
    aged_50_plus: int = 0
    qualified: int | None = 0
    birth_year_total: int = 0

    @property
    def full_time_share(self):
        return share(self.full_time, self.count)

    @property
    def junior_college_share(self):
        return share(self.junior_college_or_higher, self.count)

    @property
    def qualified_share(self):
        return None if self.qualified is None else share(self.qualified, self.count)

    @property
    def average_age(self):
        """Mean age on 31 December, to one decimal: the year minus the mean birth year."""
        if not self.count:
            return None
        mean = Decimal(self.year) - Decimal(self.birth_year_total) / Decimal(self.count)
        return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


HIGHER_EDUCATION = set(JUNIOR_COLLEGE_OR_HIGHER)
SOCIAL_WORK_QUALIFIED = {q for q in SocialWorkQualification if q}  # 助理社会工作师 or higher


def workforce(people, year):
    """Return the Workforce of `people`: dicts with birth_date, education, full_time, qualification (optional).

    Counts only those given; select the people in post before calling.
    """
    people = list(people)
    has_qualification = all("qualification" in p for p in people)
    return Workforce(
        year=year,
        count=len(people),
        full_time=sum(1 for p in people if p["full_time"]),
        junior_college_or_higher=sum(1 for p in people if p["education"] in HIGHER_EDUCATION),
        aged_50_plus=sum(1 for p in people if age_at_year_end(p["birth_date"], year) >= 50),
        qualified=sum(1 for p in people if p["qualification"] in SOCIAL_WORK_QUALIFIED) if has_qualification else None,
        birth_year_total=sum(p["birth_date"].year for p in people),
    )
