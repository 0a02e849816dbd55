from assessments.models.circulars import Circular  # noqa: F401
