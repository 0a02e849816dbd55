"""Bulk import pages: the template, the upload with its preview, the confirmation. Views are thin."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imports import services, template
from imports.forms import ApplyForm, UploadForm
from imports.models import ImportBatch
from offices.models import Role, Township
from offices.pages import page_year
from offices.scoping import scoped

IMPORT_ROLES = (Role.COUNTY, Role.TOWNSHIP)


def _unit_name(user):
    return str(user.unit) if user.unit is not None else _("本单位")


@scoped(roles=IMPORT_ROLES)
def start(request):
    year, years = page_year(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch, outcome = services.import_preview(user=request.user, upload=upload, original_name=upload.name)
        return redirect("imports:preview", token=batch.token)
    recent = ImportBatch.objects.filter(user=request.user)[:10]
    return render(request, "imports/start.html", {"form": form, "year": year, "years": years, "recent": recent,
                                                  "unit_name": _unit_name(request.user)})


@scoped(roles=IMPORT_ROLES)
def template_download(request):
    year, _years = page_year(request)
    townships = Township.objects.for_user(request.user).order_by("code")
    response = FileResponse(template.template_file(townships, year),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, template.filename(_unit_name(request.user), year))
    return response


def _batch(request, token):
    batch = ImportBatch.objects.filter(token=token, user=request.user).first()
    if batch is None:
        raise Http404(_("未找到该导入批次。"))
    return batch


@scoped(roles=IMPORT_ROLES)
def preview(request, token):
    batch = _batch(request, token)
    return render(request, "imports/preview.html", {"batch": batch, "preview": batch.preview, "form": ApplyForm()})


@require_POST
@scoped(roles=IMPORT_ROLES)
def apply(request, token):
    batch = _batch(request, token)
    form = ApplyForm(request.POST)
    confirmed = form.is_valid() and form.cleaned_data["confirmed"]
    try:
        outcome = services.import_apply(user=request.user, batch=batch, confirmed=confirmed)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("imports:preview", token=batch.token)
    if outcome.refused or outcome.problems:
        messages.error(request, outcome.refused or _("导入未完成，没有写入任何数据：%(problems)s") % {
            "problems": "；".join(str(p) for p in outcome.problems[:5])})
        return redirect("imports:preview", token=batch.token)
    counts = outcome.counts
    messages.success(request, _("已导入：新增%(new)s条，修改%(changed)s条，未变化%(unchanged)s条。") % counts)
    return redirect(reverse("imports:start"))
