from assessments.models.circulars import Circular  # noqa: F401
from assessments.models.records import AssistantAssessment, Inspection, SatisfactionSurvey, ServiceContract  # noqa: F401
