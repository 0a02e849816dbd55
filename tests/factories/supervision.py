"""Factories of supervision (supervision.models)."""
import datetime
from decimal import Decimal

import factory

from supervision.models import (
    AssistantAssessment,
    Inspection,
    InspectionFinding,
    SatisfactionSurvey,
    ServiceContract,
)
from tests.factories.base import Factory
from tests.factories.offices import TownshipFactory
from tests.factories.staffing import VillageAssistantFactory


class AssistantAssessmentFactory(Factory):
    class Meta:
        model = AssistantAssessment

    assistant = factory.SubFactory(VillageAssistantFactory)
    year = 2025
    grade = "competent"
    assessor = "镇考评小组"
    assessed_on = datetime.date(2025, 12, 20)


class InspectionFactory(Factory):
    """An inspection with one finding (`findings`, `deadline`, `status`, `rectified_on` are the finding's).

    `findings=None` makes a clean inspection (未发现问题); `findings=[(text, deadline), …]` several open ones.
    """

    class Meta:
        model = Inspection

    township = factory.SubFactory(TownshipFactory)
    level = Inspection.Level.COUNTY
    date = datetime.date(2025, 5, 10)
    inspectors = "王检查、李督导"
    findings = "档案未按年度归档。"
    deadline = datetime.date(2025, 6, 30)
    status = InspectionFinding.State.OPEN
    rectified_on = None

    @classmethod
    def _finding_fields(cls, kwargs):
        return {name: kwargs.pop(name) for name in ("findings", "deadline", "status", "rectified_on")}

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        cls._finding_fields(kwargs)
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        fields = cls._finding_fields(kwargs)
        inspection = super()._create(model_class, *args, **kwargs)
        text = fields["findings"]
        if isinstance(text, str):
            InspectionFindingFactory(inspection=inspection, text=text, deadline=fields["deadline"],
                                     status=fields["status"], rectified_on=fields["rectified_on"])
        elif text:
            for finding_text, deadline in text:
                InspectionFindingFactory(inspection=inspection, text=finding_text, deadline=deadline)
        return inspection


class InspectionFindingFactory(Factory):
    """A finding of an inspection (by default a new one of InspectionFactory's, clean)."""

    class Meta:
        model = InspectionFinding

    inspection = factory.SubFactory(InspectionFactory, findings=None)
    text = "台账更新不及时。"
    deadline = factory.LazyAttribute(lambda finding: finding.inspection.date + datetime.timedelta(days=45))
    status = InspectionFinding.State.OPEN
    rectified_on = None


class SatisfactionSurveyFactory(Factory):
    class Meta:
        model = SatisfactionSurvey

    township = factory.SubFactory(TownshipFactory)
    year = 2025
    sample_size = 300
    score = Decimal("91.50")


class ServiceContractFactory(Factory):
    class Meta:
        model = ServiceContract

    township = factory.SubFactory(TownshipFactory)
    provider = "某某社会工作服务中心"
    area = ServiceContract.Area.ELDERLY_CARE
    amount = Decimal("120000.00")
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2025, 12, 31)
