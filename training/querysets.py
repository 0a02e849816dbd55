"""Scoping of training data.

A session belongs to the unit that organised it, not to one township, so it
is scoped by its organiser:

- a city user sees every session organised in the city (by the city, its
  counties or their townships);
- a county user sees its own county's sessions, the sessions of its townships
  and the sessions of its city (the city trains the county's directors);
- a township clerk sees its own township's sessions and any city or county
  session that one of its people attended.

Attendance is scoped by the attendee's township, so a county official looking
at a city session sees only the attendees of the county.
"""
from django.db.models import Q

from offices.querysets import ScopedQuerySet, _role_filter

STAFF_LOOKUPS = {
    "city": "staff_member__township__county__city_id",
    "county": "staff_member__township__county_id",
    "township": "staff_member__township_id",
}
ASSISTANT_LOOKUPS = {
    "city": "assistant__village__township__county__city_id",
    "county": "assistant__village__township__county_id",
    "township": "assistant__village__township_id",
}


class TrainingSessionQuerySet(ScopedQuerySet):
    def for_user(self, user):
        condition = _role_filter(user, city="city_id", county="county_id", township="township_id")
        if condition is None:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.is_city:
            condition |= Q(county__city_id=user.city_id) | Q(township__county__city_id=user.city_id)
        elif user.is_county:
            from offices.models import County

            condition |= Q(township__county_id=user.county_id) | Q(
                city_id__in=County.objects.filter(pk=user.county_id).values("city_id")
            )
        elif user.is_township:
            from training.models import Attendance

            attended = Attendance.objects.filter(
                Q(staff_member__township_id=user.township_id) | Q(assistant__village__township_id=user.township_id)
            ).values("session_id")
            condition |= Q(pk__in=attended)
        return self.filter(condition)

    def in_year(self, year):
        return self.filter(date__year=year)


class AttendanceQuerySet(ScopedQuerySet):
    def for_user(self, user):
        staff = _role_filter(user, **STAFF_LOOKUPS)
        if staff is None:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(staff | _role_filter(user, **ASSISTANT_LOOKUPS))
