"""Factories of supervision (supervision.models)."""
import datetime
from decimal import Decimal

import factory

from supervision.models import AssistantAssessment, Inspection, SatisfactionSurvey, ServiceContract
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
    class Meta:
        model = Inspection

    township = factory.SubFactory(TownshipFactory)
    level = Inspection.Level.COUNTY
    date = datetime.date(2025, 5, 10)
    inspectors = "王检查、李督导"
    findings = "档案未按年度归档。"
    deadline = datetime.date(2025, 6, 30)
    status = Inspection.State.OPEN
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
