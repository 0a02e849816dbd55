"""The oversight figures computed the old way, in Python over the live computation: the oracle the SQL is held to.

Before the results were stored, every page added up `compliance_for`'s cards
township by township; these are those functions, kept only for the tests
that prove the database's aggregates say the same.
"""
from collections import Counter
from decimal import Decimal

from assessments import oversight
from offices.compliance import Status
from offices.compliance.engine import compliance_for


def number(value):
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return 0
    return value


def share_of(statuses):
    share = oversight.Share()
    for status in statuses:
        if status == Status.PASS:
            share.passing += 1
        elif status == Status.FAIL:
            share.failing += 1
        else:
            share.not_assessed += 1
    return share


def totals(cards):
    result = oversight.Totals(townships=len(cards), overall=share_of(card.status for card in cards))
    for dimension in oversight.DASHBOARD_DIMENSIONS:
        result.dimensions[dimension.value] = share_of(card.dimension_status(dimension) for card in cards)
    missing = Counter()
    for card in cards:
        posts = card.result(oversight.POSTS_RULE)
        if posts is not None and posts.status != Status.NOT_ASSESSED:
            result.posts_short += number(posts.gap)
            result.posts_surplus += number(posts.surplus)
        funds = card.result(oversight.FUNDS_RULE)
        if funds is not None and funds.failed:
            result.funds_exact += Decimal(number(funds.gap))
        area = card.result(oversight.AREA_RULE)
        if area is not None and area.failed:
            result.area_exact += Decimal(number(area.gap))
        equipment = card.result(oversight.EQUIPMENT_RULE)
        if equipment is not None and equipment.failed and isinstance(equipment.gap, (list, tuple)):
            missing.update(str(item) for item in equipment.gap)
    result.missing_equipment = missing
    return result


def by_county(cards):
    groups = {}
    for card in cards:
        groups.setdefault(card.township.county.code, []).append(card)
    return {code: totals(group) for code, group in groups.items()}


def live_cards(townships, year):
    return compliance_for(townships, year)


def figures(totals_):
    """The figures a page shows, comparable with ==."""
    return {
        "townships": totals_.townships,
        "overall": (totals_.overall.passing, totals_.overall.failing, totals_.overall.not_assessed),
        "dimensions": {key: (s.passing, s.failing, s.not_assessed) for key, s in totals_.dimensions.items()},
        "posts": (totals_.posts_short, totals_.posts_surplus),
        "funds": Decimal(totals_.funds_shortfall).quantize(Decimal("0.01")),
        "area": Decimal(totals_.area_shortfall).quantize(Decimal("0.01")),
        "equipment": sorted(totals_.missing_equipment.items()),
    }
