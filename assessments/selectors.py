"""Reads of the compliance computation for the API and the `compliance` command (one function for both)."""
from django.utils.translation import gettext as _

from assessments.compliance import compliance_for, township_compliance  # noqa: F401
from assessments.serializers import compliance_payload
from offices.models import County, Township

TOWNSHIP, COUNTY = "township", "county"


class UnitNotFound(LookupError):
    """No unit with that code in the caller's scope (the API answers 404, the command an error)."""


class BadUnitCode(ValueError):
    """The code is not a division code of the asked level (the API answers 400)."""


def full_code(code, level=None):
    """A township (9 or 12 digits) or county (6 or 12 digits) code, padded to 12 digits."""
    code = (code or "").strip()
    lengths = {TOWNSHIP: (9, 12), COUNTY: (6, 12), None: (6, 9, 12)}[level]
    if not code.isdigit() or len(code) not in lengths:
        raise BadUnitCode(_("区划代码应为数字（6位、9位或12位）。"))
    return code.ljust(12, "0")


def unit_townships(code, *, level=None, user=None):
    """(unit description, townships) of a township or county code; `user` scopes it (None: everything).

    With no `level`, a code naming a township is a township, else a county.
    """
    full = full_code(code, level)
    townships = Township.objects.all() if user is None else Township.objects.for_user(user)
    counties = County.objects.all() if user is None else County.objects.for_user(user)
    if level in (None, TOWNSHIP):
        match = townships.filter(code=full)
        if match.exists():
            return {"level": TOWNSHIP, "code": full}, match
        if level == TOWNSHIP:
            raise UnitNotFound(_("未找到该乡镇，或您无权查看。"))
    county = counties.filter(code=full).first()
    if county is None:
        raise UnitNotFound(_("未找到该县区，或您无权查看。") if level == COUNTY
                           else _("未找到区划代码为 %(code)s 的乡镇或县区。") % {"code": code})
    return {"level": COUNTY, "code": full, "name": county.name}, townships.filter(county=county)


def unit_compliance(code, year, *, level=None, user=None):
    """The API's and the command's payload: {"year", "unit", "townships": [compliance_payload, …]}."""
    unit, townships = unit_townships(code, level=level, user=user)
    cards = compliance_for(townships, year)
    return {"year": year, "unit": unit, "townships": [compliance_payload(card) for card in cards]}, cards
