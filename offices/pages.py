"""The plumbing every page shares: the township it shows, the year it shows, and the form round trip.

Views stay thin: they call `visible_township` or `editable_township`, then
`page_year`, then a selector or `form_page` with a service. Access itself is
decided in `offices.querysets` (`for_user`) and `offices.scoping`.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from offices import selectors
from offices.models import Township

FIRST_YEAR_ACCEPTED, LAST_YEAR_ACCEPTED = 1949, 2100


def visible_township(request, code):
    """The township with `code` if the user may see it (county and city loaded); else 404."""
    township = Township.objects.for_user(request.user).select_related("county__city").filter(code=code).first()
    if township is None:
        raise Http404(_("未找到该乡镇，或您无权查看。"))
    if request.user.township_id == township.pk:
        # The menu names the clerk's own township too: hand it the one just loaded instead of a second query.
        request.user.township = township
    return township


def editable_township(request, code):
    """The township for a data-entry page: 404 out of scope, 403 where the user may only read."""
    township = visible_township(request, code)
    if not request.user.can_edit_township(township):
        raise PermissionDenied(_("只有本乡镇民政办工作人员可以录入本乡镇数据。"))
    return township


def parse_year(value):
    """Return `value` as a year between 1949 and 2100, or None."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if FIRST_YEAR_ACCEPTED <= year <= LAST_YEAR_ACCEPTED else None


def page_year(request):
    """(the year this page shows, the years the user can pick).

    The year asked for in `?year=`, else the newest year with data in the
    user's scope up to this year; the list is the years with data in scope
    plus the current year, and always holds the year shown.
    """
    default, years = selectors.year_choices(request.user, with_data=scope_data_years(request))
    year = parse_year(request.GET.get("year", ""))
    if year is None:
        year = default
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return year, years


def scope_data_years(request):
    """The years with data in the user's scope, read once per request (the year picker and "no data yet")."""
    if not hasattr(request, "_wuyou_data_years"):
        request._wuyou_data_years = selectors.data_years(request.user)
    return request._wuyou_data_years


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_page(request, *, form, save, template, success, next_url, township=None, title="", context=None,
              cancel_url=None):
    """POST → validate → service → field errors, or a message and a redirect; GET → the form.

    `save(cleaned_data)` calls the service; a ValidationError it raises is
    shown on the form's fields and nothing is written. `success` is a message,
    and `next_url` a URL, or either a callable taking what `save` returned.
    """
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success(saved) if callable(success) else success)
            return redirect(next_url(saved) if callable(next_url) else next_url)
    cancel_url = cancel_url or (None if callable(next_url) else next_url)
    page = {"form": form, "cancel_url": cancel_url, "township": township, "title": title, **(context or {})}
    return render(request, template, page)
