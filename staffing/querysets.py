"""Named clauses shared by the staffing selectors and compliance inputs."""
from django.db.models import Q

from staffing.rules import year_end


def in_post_at_year_end(year, prefix=""):
    """Q for people in post on 31 December of `year` (SQL twin of rules.in_post_at_year_end).

    `prefix` reaches the person from another model, e.g. "assistants__" from a Village.
    """
    day = year_end(year)
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )
