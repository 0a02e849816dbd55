"""The oversight tests' fixtures: a fake rules module with known gaps and a small city built on it."""
from tests.assessments.oversight_fixtures import fake_rules, small_city  # noqa: F401
