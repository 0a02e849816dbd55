"""QuerySets of the base app. `for_user` is the one place access is scoped.

Every view, export and API reaches hierarchy units through `for_user(user)`;
it is deny-by-default: an anonymous user, or a user whose role binds no unit,
gets nothing (superusers, who administer the system, get everything).
"""
from django.db import models
from django.db.models import Q


def _role_filter(user, *, city, county, township):
    """Return a Q restricting a queryset to the user's unit, or None for none at all.

    `city`, `county` and `township` are the lookups from the queryset's model
    to the unit of that level (None where the level is above the model).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    role = getattr(user, "role", "")
    if role == "city" and user.city_id:
        return Q(**{city: user.city_id})
    if role == "county" and user.county_id and county:
        return Q(**{county: user.county_id})
    if role == "township" and user.township_id and township:
        return Q(**{township: user.township_id})
    return None


class ScopedQuerySet(models.QuerySet):
    scope_lookups = {}

    def for_user(self, user):
        condition = _role_filter(user, **self.scope_lookups)
        return self.none() if condition is None else self.filter(condition)


class CityQuerySet(ScopedQuerySet):
    scope_lookups = {"city": "pk", "county": None, "township": None}


class CountyQuerySet(ScopedQuerySet):
    scope_lookups = {"city": "city_id", "county": "pk", "township": None}


class TownshipQuerySet(ScopedQuerySet):
    scope_lookups = {"city": "county__city_id", "county": "county_id", "township": "pk"}


class VillageQuerySet(ScopedQuerySet):
    scope_lookups = {
        "city": "township__county__city_id",
        "county": "township__county_id",
        "township": "township_id",
    }


class StoredResultQuerySet(ScopedQuerySet):
    """Stored compliance rows carry their township, county and city: scoped on those columns, no joins."""

    scope_lookups = {"city": "city_id", "county": "county_id", "township": "township_id"}


def township_scoped(prefix):
    """Build a ScopedQuerySet subclass for a model that hangs off a township.

    `prefix` is the lookup from the model to its township, e.g. "township" or
    "village__township". Apps above `offices` use it for their own models so
    that they are scoped by the same rule.
    """
    return type(
        "TownshipScopedQuerySet",
        (ScopedQuerySet,),
        {
            "scope_lookups": {
                "city": f"{prefix}__county__city_id",
                "county": f"{prefix}__county_id",
                "township": f"{prefix}_id",
            }
        },
    )


class StandardQuerySet(models.QuerySet):
    def in_force(self, year):
        return self.filter(valid_from_year__lte=year).filter(
            Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year)
        )

    def applicable(self, code, year):
        """Return the standard for a unit code in a year: the most specific jurisdiction in force."""
        return pick_standard(list(self.in_force(year)), code)


def pick_standard(standards, code):
    """Among standards in force, pick the longest jurisdiction prefix of `code`.

    Ties (two standards of one jurisdiction in force the same year) go to the
    one that came into force last, then the newest row.
    """
    matching = [s for s in standards if code.startswith(s.jurisdiction_code)]
    if not matching:
        return None
    return max(matching, key=lambda s: (len(s.jurisdiction_code), s.valid_from_year, s.pk or 0))
