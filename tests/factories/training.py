import datetime
from decimal import Decimal

import factory

from tests.factories.base import Factory
from tests.factories.offices import CityFactory, CountyFactory, TownshipFactory
from training.models import Attendance, Audience, Level, TrainingSession


class TrainingSessionFactory(Factory):
    """A county session by default; use the traits for a city or township session."""

    class Meta:
        model = TrainingSession

    level = Level.COUNTY
    county = factory.SubFactory(CountyFactory)
    date = datetime.date(2025, 4, 10)
    topic = factory.Sequence(lambda n: f"民政业务培训{n}")
    hours = Decimal("8.0")
    audience = Audience.STAFF

    class Params:
        by_city = factory.Trait(level=Level.CITY, county=None, city=factory.SubFactory(CityFactory),
                                audience=Audience.DIRECTORS)
        by_township = factory.Trait(level=Level.TOWNSHIP, county=None, township=factory.SubFactory(TownshipFactory),
                                    audience=Audience.ASSISTANTS)


class AttendanceFactory(Factory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(TrainingSessionFactory)
