"""Demo supervision records: assistants' grades, inspections, satisfaction results, bought services.

Runs after staffing and funding and before training. Grades are given in
early January for the year before (年终考评); most assistants are 称职 or
优秀, a few 不称职 — most of whom leave on the assessment day and are
succeeded the next day by a newly filed assistant (paid here like everyone
else, inducted by the training demo that runs next), while some are still in post.
A few townships leave some assistants ungraded. Inspections by the counties
and the city find one to three problems (a few find none), mostly rectified in time; some are late
or still open.
"""
import datetime
from decimal import Decimal

from django.utils import timezone

from funding import rules as funding_rules
from funding.models import QUARTERS, AssistantSubsidyPayment
from offices.vocabulary import AssistantGrade
from staffing.models import VillageAssistant
from supervision.models import (
    AssistantAssessment,
    Inspection,
    InspectionFinding,
    SatisfactionSurvey,
    ServiceContract,
)

GRADE_WEIGHTS = [
    (AssistantGrade.EXCELLENT, 0.30), (AssistantGrade.COMPETENT, 0.62), (AssistantGrade.BASIC, 0.075),
    (AssistantGrade.INCOMPETENT, 0.005),
]
FINDINGS = [
    "民政档案未按年度分类归档。", "低保对象动态管理台账更新不及时。", "服务窗口未公开办事程序和服务承诺。",
    "村级民政工作站标识不规范。", "物资储备室未建立出入库登记。", "特困供养对象走访记录不完整。",
]
PROVIDERS = ["社会工作服务中心", "居家养老服务中心", "志愿者协会", "社会救助服务社", "康复服务中心"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"


def _grade(rng):
    roll, total = rng.random(), 0.0
    for grade, weight in GRADE_WEIGHTS:
        total += weight
        if roll < total:
            return grade
    return AssistantGrade.COMPETENT


def _in_post_at_year_end(a, year):
    end = datetime.date(year, 12, 31)
    return a.start_date <= end and (a.end_date is None or a.end_date >= end)


def build_grades(rng, units):
    townships = {t.pk: t for t in units.townships}
    assistants = list(VillageAssistant.objects.filter(village__township_id__in=list(townships)).select_related(
        "village"))
    sloppy = {t for t in townships if rng.random() < 0.05}  # townships that leave some assistants ungraded
    grades, ended, successors = [], [], []
    for year in units.years:
        assessed_on = datetime.date(year + 1, 1, rng.randint(5, 20))
        new = []
        for a in assistants:
            if not _in_post_at_year_end(a, year):
                continue
            if a.village.township_id in sloppy and rng.random() < 0.3:
                continue
            grade = _grade(rng)
            grades.append(AssistantAssessment(assistant=a, year=year, grade=grade, assessor="乡镇民政办考评小组",
                                              assessed_on=assessed_on))
            if grade == AssistantGrade.INCOMPETENT and a.end_date is None and rng.random() < 0.6:
                a.end_date = assessed_on  # replaced on the assessment day
                ended.append(a)
                new.append(VillageAssistant(
                    village=a.village, name=rng.choice(SURNAMES) + rng.choice("明华强军芳丽敏静伟磊"),
                    sex="female" if rng.random() < 0.4 else "male",
                    birth_date=datetime.date(rng.randint(1970, 1995), rng.randint(1, 12), rng.randint(1, 28)),
                    education="secondary", role=VillageAssistant.Role.TWO_COMMITTEES,
                    start_date=assessed_on + datetime.timedelta(days=1),
                    filed_date=assessed_on + datetime.timedelta(days=rng.randint(5, 30)),
                ))
        assistants += new  # graded from the next year on
        successors += new
    # A successor replaced in turn is not saved yet: its end date goes in with bulk_create.
    VillageAssistant.objects.bulk_update([a for a in ended if a.pk], ["end_date"], batch_size=1000)
    VillageAssistant.objects.bulk_create(successors, batch_size=1000)
    AssistantAssessment.objects.bulk_create(grades, batch_size=5000)
    _pay(successors, units.years)
    return len(grades)


def _pay(successors, years):
    """Successors are paid like everyone else (60 yuan per month in post) in the demo years."""
    payments = []
    for a in successors:
        for year in years:
            for quarter in QUARTERS:
                months = funding_rules.months_in_post(a.start_date, a.end_date, year, quarter)
                if months:
                    payments.append(AssistantSubsidyPayment(assistant=a, year=year, quarter=quarter,
                                                            amount=Decimal("60.00") * months))
    AssistantSubsidyPayment.objects.bulk_create(payments, batch_size=2000)


def _finding(rng, date, today):
    """A finding's deadline and rectification: mostly in time, some late, some still open."""
    deadline = date + datetime.timedelta(days=rng.choice([30, 45, 60, 90]))
    roll = rng.random()
    if roll < 0.82:
        rectified = date + datetime.timedelta(days=rng.randint(5, (deadline - date).days))
    elif roll < 0.92:
        rectified = deadline + datetime.timedelta(days=rng.randint(10, 120))  # late
    else:
        rectified = None  # still open
    if rectified is not None and rectified > today:
        rectified = None
    return deadline, rectified


def build_inspections(rng, units):
    """Inspections with one to three findings each; about one in ten finds nothing (未发现问题).

    Written in bulk like the rest of the demo (a fresh database: no history to keep).
    """
    inspections, findings = [], []
    today = timezone.localdate()
    for year in units.years:
        for township in units.townships:
            for level, chance in ((Inspection.Level.COUNTY, 0.35), (Inspection.Level.CITY, 0.08)):
                if rng.random() >= chance:
                    continue
                date = datetime.date(year, rng.randint(3, 11), rng.randint(1, 28))
                inspection = Inspection(township=township, level=level, date=date,
                                        inspectors=f"{rng.choice(SURNAMES)}某、{rng.choice(SURNAMES)}某")
                inspections.append(inspection)
                count = 0 if rng.random() < 0.1 else rng.choice([1, 1, 2, 3])
                for text in rng.sample(FINDINGS, count):
                    deadline, rectified = _finding(rng, date, today)
                    findings.append(InspectionFinding(
                        inspection=inspection, text=text, deadline=deadline, rectified_on=rectified,
                        status=InspectionFinding.State.RECTIFIED if rectified else InspectionFinding.State.OPEN,
                    ))
    Inspection.objects.bulk_create(inspections, batch_size=2000)
    for finding in findings:
        finding.inspection = finding.inspection  # the id set by bulk_create
    InspectionFinding.objects.bulk_create(findings, batch_size=2000)
    return len(inspections)


def build_surveys_and_contracts(rng, units):
    surveys, contracts = [], []
    for township in units.townships:
        base = rng.uniform(80, 95)
        for year in units.years:
            if rng.random() < 0.9:
                score = Decimal(str(round(min(max(base + rng.uniform(-4, 4), 60), 99.5), 2)))
                surveys.append(SatisfactionSurvey(township=township, year=year, sample_size=rng.randint(200, 600),
                                                  score=score))
            if rng.random() < 0.22:
                start = datetime.date(year, rng.randint(1, 6), 1)
                contracts.append(ServiceContract(
                    township=township, provider=f"{township.name}{rng.choice(PROVIDERS)}",
                    area=rng.choice(ServiceContract.Area.values), amount=Decimal(rng.randint(3, 40) * 5000),
                    start_date=start, end_date=start.replace(year=year + 1) - datetime.timedelta(days=1),
                ))
    SatisfactionSurvey.objects.bulk_create(surveys, batch_size=2000)
    ServiceContract.objects.bulk_create(contracts, batch_size=2000)
    return len(surveys), len(contracts)


def build(rng, units):
    build_grades(rng, units)
    build_inspections(rng, units)
    build_surveys_and_contracts(rng, units)
