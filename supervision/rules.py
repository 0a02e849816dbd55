"""The supervision rules (考评与检查): pure functions, no ORM.

- Assistants graded: every village assistant in post on the assessment date
  has a grade for the year. The annual assessment happens at the end of the
  year, so a year still in progress is not assessed yet.
- Incompetent replaced: an assistant graded 不称职 for year Y must have left
  the post by the later of 31 December Y and the assessment date (leaving on
  that day counts). Until that day has come the grade is not a finding yet.
- Subsidy by grade: for every quarter of Y that has ended, an assistant with a
  grade for Y received at least monthly subsidy × months in post × the
  standard's factor for that grade (funding.rules does the quarter arithmetic).
- Rectification: each finding of an inspection has its own deadline; a finding
  whose deadline is before the assessment date (min(today, 31 December Y)) and
  was not rectified by that date is overdue. An inspection is rectified when
  all its findings are; one that found nothing (未发现问题) has nothing to rectify.
- Satisfaction and bought services are tracked figures: the standard sets no
  threshold, so they are reported with status "not assessed" and their data.

The standard's "graded management" of assistants is the presence of
`grade_subsidy_factors` (the grades it ties to pay): it is the `applies` of
the three grade rules, so without it the engine leaves them out.
Inspections are judged under any standard.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funding import rules as funding_rules
from offices.compliance import Actor, Dimension, RuleSpec, Status, Unit, format_number, listed, year_end
from offices.vocabulary import AssistantGrade

ZERO = Decimal("0.00")


def graded_management(standard):
    """The standard manages village assistants by grade: it ties subsidy factors to the grades."""
    return bool(standard.grade_subsidy_factors)


def subsidy_by_grade_set(standard):
    return graded_management(standard) and bool(standard.assistant_monthly_subsidy)


ASSISTANTS_GRADED = RuleSpec(
    code="supervision.assistants_graded", dimension=Dimension.SUPERVISION, title=gettext_lazy("民政助理员年度考评"),
    unit=Unit.PEOPLE, fix_url="supervision:grades", fixed_by=Actor.TOWNSHIP, applies=graded_management,
)
INCOMPETENT_REPLACED = RuleSpec(
    code="supervision.incompetent_replaced", dimension=Dimension.SUPERVISION,
    title=gettext_lazy("不称职助理员及时调整"), unit=Unit.PEOPLE, fix_url="staffing:assistant_list",
    fixed_by=Actor.TOWNSHIP, applies=graded_management,
)
SUBSIDY_BY_GRADE = RuleSpec(
    code="supervision.subsidy_by_grade", dimension=Dimension.SUPERVISION, title=gettext_lazy("补助与考评等次挂钩"),
    unit=Unit.YUAN, fix_url="funding:subsidies", fixed_by=Actor.TOWNSHIP, applies=subsidy_by_grade_set,
)
# The township does the rectification work, but a finding closes only when the level that inspected
# confirms it, finding by finding (supervision:finding_rectify, county and city officials only): the township
# clerk has no form that changes this result. Most inspections are the county's, so the county acts.
RECTIFICATION = RuleSpec(
    code="supervision.rectification", dimension=Dimension.SUPERVISION, title=gettext_lazy("检查发现问题按期整改"),
    unit=Unit.ITEMS, fix_url="supervision:township_inspections", fixed_by=Actor.COUNTY,
)
SATISFACTION = RuleSpec(
    code="supervision.satisfaction", dimension=Dimension.SUPERVISION, title=gettext_lazy("群众满意度"),
    unit=Unit.POINTS, fix_url="supervision:township_records", fixed_by=Actor.TOWNSHIP,
)
SERVICE_CONTRACTS = RuleSpec(
    code="supervision.service_contracts", dimension=Dimension.SUPERVISION, title=gettext_lazy("政府购买服务"),
    unit=Unit.CONTRACTS, fix_url="supervision:township_records", fixed_by=Actor.TOWNSHIP,
)
RULES = [ASSISTANTS_GRADED, INCOMPETENT_REPLACED, SUBSIDY_BY_GRADE, RECTIFICATION, SATISFACTION, SERVICE_CONTRACTS]
GRADE_RULES = [ASSISTANTS_GRADED, INCOMPETENT_REPLACED, SUBSIDY_BY_GRADE]
TRACKED_RULES = [SATISFACTION, SERVICE_CONTRACTS]


def assistant_label(name, village):
    """How a finding names an assistant, 「张三（东村）」; the grades page marks its rows by it."""
    return f"{name}（{village}）"


def finding_label(level_label, date, number, deadline):
    """How the rule names a finding (the `number`th of its inspection); the inspections page marks its rows by it."""
    return _("%(level)s检查（%(date)s）第%(n)s项问题（整改期限%(deadline)s）") % {
        "level": level_label, "date": date.isoformat(), "n": number, "deadline": deadline.isoformat(),
    }


@dataclass(frozen=True)
class AssistantRecord:
    """A village assistant in post at some time of the year, with the year's grade and subsidy payments."""

    assistant_id: int
    name: str
    village: str
    start_date: datetime.date
    end_date: datetime.date | None = None
    grade: str | None = None  # AssistantGrade value for the year, None when not graded
    assessed_on: datetime.date | None = None
    payments: dict = field(default_factory=dict)  # quarter → Decimal paid

    @property
    def label(self):
        return assistant_label(self.name, self.village)

    def in_post_on(self, day):
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


@dataclass(frozen=True)
class FindingRecord:
    """A problem an inspection found: its place among the inspection's findings, deadline, rectification."""

    number: int
    deadline: datetime.date
    rectified_on: datetime.date | None = None
    text: str = ""


@dataclass(frozen=True)
class InspectionRecord:
    """An inspection with the findings relevant to the year; none: a clean inspection (未发现问题)."""

    date: datetime.date
    level_label: str
    findings: tuple = ()  # FindingRecord

    def label(self, finding):
        return finding_label(self.level_label, self.date, finding.number, finding.deadline)


def assessment_date(year, today):
    """The day a year is judged on: its last day, or today while it is still running."""
    return min(today, year_end(year))


# --- grade rules (the engine calls them only under graded management) --------------------------------------------


def assistants_graded(assistants, *, year, today):
    """Every assistant in post on the assessment date has a grade for the year."""
    if today <= year_end(year):
        return ASSISTANTS_GRADED.not_assessed(
            _("年度考评在年末进行，%(year)s年尚未结束，暂不评估。") % {"year": year}
        )
    day = year_end(year)
    in_post = [a for a in assistants if a.in_post_on(day)]
    ungraded = [a.label for a in in_post if a.grade is None]
    total = len(in_post)
    if ungraded:
        explanation = _("年末在岗民政助理员%(total)s人，%(gap)s人未进行%(year)s年度考评：%(names)s") % {
            "total": total, "gap": len(ungraded), "year": year, "names": listed(ungraded, Unit.PEOPLE),
        }
    elif total:
        explanation = _("年末在岗民政助理员%(total)s人，均已评定%(year)s年度考评等次") % {"total": total, "year": year}
    else:
        explanation = _("%(year)s年末无在岗民政助理员") % {"year": year}
    return ASSISTANTS_GRADED.result(
        Status.FAIL if ungraded else Status.PASS, required=total, actual=total - len(ungraded), gap=len(ungraded),
        explanation=explanation, items=tuple(ungraded),
        basis={_("年度"): year, _("年末在岗民政助理员"): total, _("未考评"): "、".join(ungraded)},
    )


def replacement_due(year, assessed_on):
    """The day by which an assistant graded 不称职 for `year` must have left the post."""
    return max(year_end(year), assessed_on) if assessed_on else year_end(year)


def still_in_post_after(end_date, day):
    return end_date is None or end_date > day


def incompetent_replaced(assistants, *, year, today):
    """Assistants graded 不称职 have left the post by the replacement day (应及时调整)."""
    incompetent = [a for a in assistants if a.grade == AssistantGrade.INCOMPETENT]
    due = [a for a in incompetent if replacement_due(year, a.assessed_on) < today]
    staying = [a.label for a in due if still_in_post_after(a.end_date, replacement_due(year, a.assessed_on))]
    pending = len(incompetent) - len(due)
    if staying:
        explanation = _("%(year)s年度考评不称职%(total)s人，%(gap)s人仍在岗，应及时调整：%(names)s") % {
            "year": year, "total": len(incompetent), "gap": len(staying), "names": listed(staying, Unit.PEOPLE),
        }
    elif incompetent:
        explanation = _("%(year)s年度考评不称职%(total)s人，%(done)s人已调整，%(pending)s人尚在调整期限内") % {
            "year": year, "total": len(incompetent), "done": len(due), "pending": pending,
        }
    else:
        explanation = _("%(year)s年度考评无不称职民政助理员") % {"year": year}
    return INCOMPETENT_REPLACED.result(
        Status.FAIL if staying else Status.PASS, required=len(due), actual=len(due) - len(staying),
        gap=len(staying), explanation=explanation, items=tuple(staying),
        basis={_("年度"): year, _("考评不称职"): len(incompetent), _("仍在岗"): "、".join(staying),
               _("尚在调整期限内"): pending},
    )


def subsidy_by_grade(assistants, *, year, today, monthly_subsidy, factors):
    """Each graded assistant got ≥ monthly × months in post × factor(grade) in every ended quarter."""
    quarters = funding_rules.judged_quarters(year, today)
    total_required = total_paid = ZERO
    shortfalls, shortfall_grades = [], []  # the funding shortfalls and the label of each one's grade
    graded = [a for a in assistants if a.grade is not None and a.grade in factors]
    by_grade = {}
    for a in graded:
        by_grade.setdefault(a.grade, []).append(a)
    payments = {(a.assistant_id, q): amount for a in graded for q, amount in a.payments.items()}
    for grade, factor in factors.items():
        group = by_grade.get(grade)
        if not group:
            continue
        # An AssistantRecord has the attributes of an AssistantTerm: the funding arithmetic takes it as is.
        required, paid, short = funding_rules.subsidy_shortfalls(
            group, payments, year=year, monthly_subsidy=Decimal(monthly_subsidy) * Decimal(str(factor)),
            quarters=quarters,
        )
        total_required += required
        total_paid += paid
        shortfalls += short
        shortfall_grades += [str(AssistantGrade(grade).label)] * len(short)
    gap = sum((s.gap for s in shortfalls), ZERO)
    template = _("%(what)s（%(grade)s）")
    described = [
        template % {"what": what, "grade": grade}
        for what, grade in zip(funding_rules.describe_shortfalls(shortfalls), shortfall_grades)
    ]
    if not quarters:
        explanation = _("%(year)s年尚无已结束的季度") % {"year": year}
    elif shortfalls:
        explanation = _("按考评等次应发补助%(required)s元，%(count)s人次发放不足，共差%(gap)s元：%(items)s") % {
            "required": format_number(total_required), "count": len(shortfalls), "gap": format_number(gap),
            "items": listed(described, Unit.ITEMS),
        }
    else:
        explanation = _("已考评的%(count)s名民政助理员均按考评等次足额发放补助（应发%(required)s元，实发%(paid)s元）") % {
            "count": len(graded), "required": format_number(total_required), "paid": format_number(total_paid),
        }
    known_grades = set(AssistantGrade.values)
    return SUBSIDY_BY_GRADE.result(
        Status.FAIL if shortfalls else Status.PASS, required=total_required, actual=total_paid, gap=gap,
        explanation=explanation, items=tuple(described),
        basis={
            _("年度"): year,
            _("每月补助下限（元）"): format_number(Decimal(monthly_subsidy)),
            _("考评等次系数"): "、".join(f"{AssistantGrade(g).label}{f}" for g, f in factors.items()
                                     if g in known_grades),
            _("评估季度"): "、".join(funding_rules.quarter_label(q) for q in quarters),
            _("未考评（不计入本项）"): sum(1 for a in assistants if a.grade is None),
            _("发放不足"): "；".join(described),
        },
    )


# --- inspections (judged under any standard) --------------------------------------------------------------------


def overdue(finding, as_of):
    """The deadline has passed before `as_of` and the finding was not rectified by then."""
    return finding.deadline < as_of and (finding.rectified_on is None or finding.rectified_on > as_of)


def rectification(inspections, *, year, as_of):
    """No inspection finding is past its rectification deadline without being rectified.

    Each finding counts on its own (an inspection is rectified when all its findings are); a clean
    inspection counts as an inspection with nothing to rectify. Inspections dated after `as_of`
    (entered ahead of the day judged on) are not counted yet.
    """
    inspections = [i for i in inspections if i.date <= as_of]
    due = [(i, f) for i in inspections for f in i.findings if f.deadline < as_of]
    late = [i.label(f) for i, f in due if overdue(f, as_of)]
    if late:
        explanation = _("截至%(as_of)s，%(count)s项检查发现的问题逾期未整改：%(items)s") % {
            "as_of": as_of.isoformat(), "count": len(late), "items": listed(late, Unit.ITEMS),
        }
    elif due:
        explanation = _("截至%(as_of)s，到期的%(count)s项检查整改均已完成") % {"as_of": as_of.isoformat(), "count": len(due)}
    else:
        explanation = _("截至%(as_of)s，无到期的检查整改事项") % {"as_of": as_of.isoformat()}
    return RECTIFICATION.result(
        Status.FAIL if late else Status.PASS, required=len(due), actual=len(due) - len(late), gap=len(late),
        explanation=explanation, items=tuple(late),
        basis={_("年度"): year, _("评估日期"): as_of.isoformat(), _("检查次数"): len(inspections),
               _("其中未发现问题"): sum(1 for i in inspections if not i.findings),
               _("发现问题（项）"): sum(len(i.findings) for i in inspections),
               _("到期整改事项"): len(due), _("逾期未整改"): "；".join(late)},
    )


# --- tracked figures: the standard sets no threshold, so the rule itself says "仅作跟踪" -----------------------


def satisfaction(survey, *, year):
    """A tracked figure: the year's satisfaction score; the standard sets no pass mark."""
    if survey is None:
        explanation = _("未录入%(year)s年度群众满意度测评结果；该标准未设达标线，仅作跟踪。") % {"year": year}
        return SATISFACTION.not_assessed(explanation, basis={_("年度"): year})
    sample_size, score = survey
    explanation = _("%(year)s年度群众满意度测评得分%(score)s分（样本%(n)s份）；该标准未设达标线，仅作跟踪。") % {
        "year": year, "score": format_number(score), "n": format_number(sample_size),
    }
    return SATISFACTION.not_assessed(
        explanation, actual=score, basis={_("年度"): year, _("满意度得分"): score, _("样本量（份）"): sample_size},
    )


def service_contracts(contracts, *, year):
    """A tracked figure: services bought from social organisations in force during the year.

    `contracts` is a list of (provider, area label, amount).
    """
    total = sum((amount for _p, _a, amount in contracts), ZERO)
    areas = sorted({area for _p, area, _m in contracts})
    if contracts:
        explanation = _("%(year)s年度购买服务合同%(count)s份，金额合计%(total)s元，涉及%(areas)s；仅作跟踪。") % {
            "year": year, "count": len(contracts), "total": format_number(total), "areas": "、".join(areas),
        }
    else:
        explanation = _("%(year)s年度未登记政府购买服务合同；仅作跟踪。") % {"year": year}
    return SERVICE_CONTRACTS.not_assessed(
        explanation, actual=len(contracts),
        basis={_("年度"): year, _("合同份数"): len(contracts), _("金额合计（元）"): total,
               _("服务领域"): "、".join(areas), _("承接机构"): "、".join(sorted({p for p, _a, _m in contracts}))},
    )
