"""The plumbing every page shares: the township it shows, the year it shows, and the form round trip.

Views stay thin: they call `visible_township` or `editable_township`, then
`page_year`, then a selector or `form_page` with a service. Access itself is
decided in `offices.querysets` (`for_user`) and `offices.scoping`.
"""
import uuid
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from offices import selectors
from offices.compliance import Actor, Dimension, Status, present, store
from offices.history import TRACKED
from offices.models import Township
from offices.services import AlreadySaved, form_save
from offices.versions import version_of

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


def acting_actors(user, township):
    """The Actors whose findings `user` can act on in `township`: the level their own pages fix things at."""
    actors = set()
    if user.can_edit_township(township):
        actors.add(Actor.TOWNSHIP)
    if user.is_county and user.county_id == township.county_id:
        actors.add(Actor.COUNTY)
    if user.is_city and user.city_id == township.county.city_id:
        actors.add(Actor.CITY)
    return actors


def who_must_act(result):
    """Who must act on a finding the viewer cannot fix, e.g. 「需县级民政部门组织培训」."""
    actor = Actor(result.fixed_by) if result.fixed_by in Actor.values else Actor.TOWNSHIP
    if result.dimension == Dimension.TRAINING:
        return _("需%(actor)s组织培训") % {"actor": actor.label}
    return _("需%(actor)s处理") % {"actor": actor.label}


def safe_next(request):
    """The `?next=` (or posted `next`) of the request if it is a same-site relative path, else None."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    # No allowed hosts: only a URL without scheme and host passes.
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else None


def _year_of(next_url, cleaned_data, request):
    """The year whose results a save is reported on: the next page's `?year=`, the form's year, or the page's."""
    year = parse_year((parse_qs(urlsplit(next_url).query).get("year") or [""])[0])
    if year is None and isinstance(cleaned_data.get("year"), int):
        year = parse_year(cleaned_data["year"])
    return year if year is not None else page_year(request)[0]


def _standing(result):
    """A rule's standing in a few words: 「达标」, 「缺1人」, 「未达标」, 「不评估」."""
    if result is None or result.status == Status.NOT_ASSESSED:
        return str(Status.NOT_ASSESSED.label)
    if result.status == Status.PASS:
        return str(Status.PASS.label)
    gap = result.gap
    if isinstance(gap, (list, tuple, set)) and gap:
        return _("缺%(count)s项") % {"count": len(gap)}
    if gap and not isinstance(gap, (bool, list, tuple, set, str)):
        return _("缺%(gap)s") % {"gap": present(gap, result.unit)}
    return str(Status.FAIL.label)


def result_changes(before, after):
    """What changed between two readings of a township-year: 「实有人数：缺1人 → 达标」 per changed rule."""
    old = {r.code: r for r in before.results}
    changes = []
    for result in after.results:
        was, now = _standing(old.get(result.code)), _standing(result)
        if was != now:
            changes.append(_("%(rule)s：%(before)s → %(after)s") % {"rule": result.title, "before": was, "after": now})
    return changes


def _change_message(changes):
    if not changes:
        return _("达标情况未变化。")
    return _("达标情况变化：%(changes)s。") % {"changes": "；".join(changes)}


VERSION_FIELD, TOKEN_FIELD = "read_version", "form_token"


def guard_form(form, history_rows=None):
    """Give `form` the hidden version it was read at and a token that makes its POST count once."""
    form.fields[TOKEN_FIELD] = forms.UUIDField(widget=forms.HiddenInput, required=False)
    if not form.is_bound:
        form.initial[TOKEN_FIELD] = uuid.uuid4()
    if history_rows is not None:
        form.fields[VERSION_FIELD] = forms.RegexField(r"^[0-9]{1,18}(\.[0-9]{1,18})*$", max_length=200,
                                                      widget=forms.HiddenInput, required=False)
        if not form.is_bound:
            form.initial[VERSION_FIELD] = version_of(history_rows)


def form_page(request, *, form, save, template, success, next_url, township=None, title="", context=None,
              cancel_url=None, history_rows=None):
    """POST → validate → service → field errors, or a message and a redirect; GET → the form.

    `save(cleaned_data)` calls the service; a ValidationError it raises is
    shown on the form's fields and nothing is written. `success` is a message,
    and `next_url` a URL, or either a callable taking what `save` returned.

    Every form carries a token, so a double-clicked 保存 saves once; with
    `history_rows` (the history of what the form edits) it also carries the
    version it was read at, and a save over a newer version is refused with
    the other person's changes (`offices.services.form_save`).

    A same-site `?next=` (a 去整改 link from the scorecard) overrides
    `next_url`: the user returns there, told how the township-year's results
    changed.
    """
    back = safe_next(request)
    township = township or (context or {}).get("township")
    guard_form(form, history_rows)
    if request.method == "POST" and form.is_valid():
        year = _year_of(back, form.cleaned_data, request) if back and township else None
        before = store.stored_township(township, year) if year else None
        data = {k: v for k, v in form.cleaned_data.items() if k not in (VERSION_FIELD, TOKEN_FIELD)}
        try:
            saved = form_save(write=lambda: save(data), township=township, history_rows=history_rows,
                              version=form.cleaned_data.get(VERSION_FIELD), token=form.cleaned_data.get(TOKEN_FIELD))
        except AlreadySaved:
            messages.info(request, _("该表单已保存过，重复提交未再次保存。"))
            return redirect(back or (cancel_url or (None if callable(next_url) else next_url)) or request.path)
        except ValidationError as error:
            add_service_errors(form, error)
            if history_rows is not None and getattr(error, "code", None) == "conflict":
                # The user has now seen the other person's change: saving again is a deliberate overwrite.
                form.data = form.data.copy()
                form.data[VERSION_FIELD] = version_of(history_rows)
        else:
            message = success(saved) if callable(success) else success
            if before is not None:
                changes = result_changes(before, store.stored_township(township, year))
                message = f"{message}{_change_message(changes)}"
            messages.success(request, message)
            if back:
                return redirect(back)
            return redirect(next_url(saved) if callable(next_url) else next_url)
    cancel_url = back or cancel_url or (None if callable(next_url) else next_url)
    page = {"form": form, "cancel_url": cancel_url, "township": township, "title": title,
            "history_url": record_history_url(township, getattr(form, "instance", None)), **(context or {})}
    return render(request, template, page)


def record_history_url(township, instance):
    """The 变更记录 page of one tracked record (its whole history, every year), or None."""
    if township is None or instance is None or getattr(instance, "pk", None) is None:
        return None
    label = instance._meta.label_lower
    if label not in TRACKED:
        return None
    return f"{reverse('offices:history', args=[township.code])}?record={label}:{instance.pk}"
