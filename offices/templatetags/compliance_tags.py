"""Template filters that present rule results: one presentation of a value with its unit, one set of labels."""
from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from offices.compliance import Status, Unit, present
from offices.pages import who_must_act

register = template.Library()


@register.filter
def rule_value(value, unit=""):
    """Show a required/actual/gap value: numbers with their unit, lists joined."""
    if value == "":
        return "—"
    return present(value, unit)


@register.filter
def unit_label(unit):
    """The display label of a unit code ("yuan" → 元)."""
    known = Unit.of(unit)
    return known.label if known else unit


@register.simple_tag
def rule_cell(value, unit=""):
    """Render a required/actual cell: a list shows its size, with the items on hover."""
    if isinstance(value, (list, tuple, set)):
        items = "、".join(str(v) for v in value)
        return format_html('<span title="{}" data-bs-toggle="tooltip">{}{}</span>', items, len(value), _("项"))
    return rule_value(value, unit)


@register.simple_tag
def fix_url(result, township, next_url="", year=None):
    """The form that fixes `result` for `township`; with `next_url`, the form returns there after a save.

    `year` opens the form on the year the scorecard shows.
    """
    if not result.fix_url:
        return ""
    try:
        url = reverse(result.fix_url, args=[township.code])
    except NoReverseMatch:
        return ""
    query = {name: value for name, value in (("year", year), ("next", next_url)) if value}
    return f"{url}?{urlencode(query)}" if query else url


@register.simple_tag(takes_context=True)
def rule_action(context, result, township):
    """The action cell of a rule: 去整改 (or 查看) where the viewer's role fixes it, else who must act.

    The view puts `acting` (the Actors the viewer acts as, offices.pages.acting_actors) and
    `next_path` (where a form returns to) in the context.
    """
    if not result.assessed:
        return ""
    if result.fixed_by in context.get("acting", ()):
        url = fix_url(result, township, context.get("next_path", ""), context.get("year"))
        if not url:
            return ""
        if result.failed:
            return format_html('<a class="btn btn-sm btn-outline-danger" href="{}" data-testid="fix-link">{}</a>',
                               url, _("去整改"))
        return format_html('<a class="btn btn-sm btn-link" href="{}">{}</a>', url, _("查看"))
    if result.failed:
        return format_html('<span class="small text-muted" data-testid="who-acts">{}</span>', who_must_act(result))
    return ""


@register.inclusion_tag("includes/rule_results.html", takes_context=True)
def rule_results(context, results, heading=""):
    """The results of the one computation for a data-entry page: status, what is required and found, why."""
    return {"results": list(results), "heading": heading, "township": context.get("township"),
            "user": context.get("user")}


STATUS_CLASSES = {Status.PASS: "pass", Status.FAIL: "fail", Status.NOT_ASSESSED: "na"}
STATUS_ICONS = {Status.PASS: "check-circle-fill", Status.FAIL: "x-circle-fill", Status.NOT_ASSESSED: "dash-circle"}
STATUS_BADGES = {Status.PASS: "bg-success", Status.FAIL: "bg-danger", Status.NOT_ASSESSED: "bg-secondary"}


@register.filter
def status_class(status):
    return STATUS_CLASSES.get(status, "na")


@register.filter
def status_icon(status):
    return STATUS_ICONS.get(status, "dash-circle")


@register.filter
def status_badge(status):
    return STATUS_BADGES.get(status, "bg-secondary")


@register.filter
def status_label(status):
    return Status(status).label if status in Status.values else "—"


@register.simple_tag(takes_context=True)
def other_query_parameters(context, *names):
    """[(name, value)] of the request's query string without `names`: the filters a year picker carries along.

    Read in Python: a query parameter called "lists" or "items" would shadow the QueryDict's method
    in the template language. Naming "page" also drops each list's own page (offices.tables: "<list>-page"),
    and an export request is never carried.
    """
    request = context.get("request")
    if request is None:
        return []
    dropped = set(names) | ({"export"} if "page" in names else set())

    def carried(name):
        return name not in dropped and not ("page" in names and name.endswith("-page"))

    return [(name, value) for name, values in request.GET.lists() if carried(name) for value in values]
