"""Selectors: the SQL totals agree with the pure workforce functions."""
import datetime
import random

import pytest

from offices.models import Township
from staffing import rules, selectors
from staffing.models import Education, SocialWorkQualification, StaffMember
from tests.factories.offices import PopulationFactory, TownshipFactory, VillageFactory
from tests.factories.staffing import AuthorizedPostsFactory, StaffMemberFactory, VillageAssistantFactory

pytestmark = pytest.mark.django_db


def test_workforce_sql_agrees_with_the_pure_function(county, django_assert_max_num_queries):
    rng = random.Random(7)
    for township in TownshipFactory.create_batch(3, county=county):
        for _ in range(12):
            start = datetime.date(rng.randint(2000, 2026), rng.randint(1, 12), 1)
            StaffMemberFactory(
                township=township,
                birth_date=datetime.date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28)),
                education=rng.choice(Education.values),
                full_time=rng.random() < 0.7,
                qualification=rng.choice(SocialWorkQualification.values),
                start_date=start,
                end_date=rng.choice([None, start + datetime.timedelta(days=rng.randint(0, 3000))]),
            )
    for year in (2023, 2024, 2025):
        with django_assert_max_num_queries(2):
            indicators = selectors.workforce_indicators(Township.objects.filter(county=county), year)
        people = [
            {"birth_date": p.birth_date, "education": p.education, "full_time": p.full_time,
             "qualification": p.qualification}
            for p in StaffMember.objects.all()
            if rules.in_post_at_year_end(p.start_date, p.end_date, year)
        ]
        assert indicators["staff"] == rules.workforce(people, year)


def test_assistant_workforce(township):
    village = VillageFactory(township=township)
    VillageAssistantFactory(village=village, role="full_time", birth_date=datetime.date(1970, 5, 1))
    VillageAssistantFactory(village=village, education="bachelor", birth_date=datetime.date(1990, 5, 1))
    VillageAssistantFactory(village=village, end_date=datetime.date(2024, 1, 1))
    assistants = selectors.workforce_indicators(Township.objects.all(), 2025)["assistants"]
    assert (assistants.count, assistants.full_time, assistants.aged_50_plus, assistants.qualified) == (2, 1, 1, None)
    assert str(assistants.average_age) == "45.0"


def test_empty_set():
    indicators = selectors.workforce_indicators(Township.objects.none(), 2025)
    assert indicators["staff"].count == 0 and indicators["staff"].average_age is None


def test_posts_by_year(township, django_assert_max_num_queries):
    from tests.factories.offices import StandardFactory

    StandardFactory()
    PopulationFactory(township=township, year=2024, resident=120_000)
    PopulationFactory(township=township, year=2025, resident=99_000)
    AuthorizedPostsFactory(township=township, year=2025, posts=4)
    AuthorizedPostsFactory(township=township, year=2026, posts=4)
    with django_assert_max_num_queries(3):
        rows = selectors.posts_by_year(township)
    assert [(r.year, r.required, r.authorized, r.shortfall) for r in rows] == [
        (2026, None, 4, 0), (2025, 5, 4, 1), (2024, 6, None, 0)
    ]


def test_assistants_by_village(township, django_assert_max_num_queries):
    empty = VillageFactory(township=township)
    village = VillageFactory(township=township)
    VillageAssistantFactory(village=village)
    VillageAssistantFactory(village=village, end_date=datetime.date(2023, 5, 1))
    with django_assert_max_num_queries(2):
        rows = selectors.assistants_by_village(township, 2025)
    assert [(r.village, len(r.in_post), len(r.others)) for r in rows] == [(empty, 0, 0), (village, 1, 1)]
