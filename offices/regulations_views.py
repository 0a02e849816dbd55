"""Pages for 有章理事: the township's regulations, upload, and a scoped download.

Files are never linked by their media URL: the download view finds the
document through `RegulationDocument.objects.for_user`, so a user outside the
township's scope gets 404.
"""
import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.models import RegulationDocument, Role
from offices.regulations_compliance import township_result
from offices.regulations_forms import RegulationForm
from offices.regulations_services import regulation_create
from offices.scoping import ALL_ROLES, scoped
from offices.selectors import standard_for, visible_township
from offices.views import can_edit_township, editable_township, selected_year
from offices.vocabulary import RegulationKind


def _visible(request, code):
    township = visible_township(request.user, code)
    if township is None:
        raise Http404(_("未找到该乡镇，或您无权查看。"))
    return township


@scoped(roles=ALL_ROLES)
def regulation_list(request, code):
    township = _visible(request, code)
    year, years = selected_year(request)
    year = year or timezone.localdate().year
    standard = standard_for(township, year)
    result = township_result(township, year, standard)
    documents = (
        RegulationDocument.objects.for_user(request.user).filter(township=township).order_by("kind", "-adopted_on")
    )
    required = list(standard.required_regulations) if standard else []
    kinds = required + [k for k in RegulationKind.values if k not in required]
    by_kind = {kind: [] for kind in kinds}
    for document in documents:
        by_kind.setdefault(document.kind, []).append(document)
    rows = [(kind, RegulationKind(kind).label, kind in required, by_kind[kind]) for kind in kinds]
    return render(request, "offices/regulation_list.html", {
        "township": township, "year": year, "years": years, "standard": standard, "result": result, "rows": rows,
        "can_edit": can_edit_township(request.user, township),
    })


@scoped(roles=(Role.TOWNSHIP,))
def regulation_add(request, code):
    township = editable_township(request, code)
    form = RegulationForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            regulation_create(township=township, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已上传“%(title)s”。") % {"title": form.cleaned_data["title"]})
            return redirect("offices:regulations", code=township.code)
    return render(request, "offices/regulation_form.html", {
        "township": township, "form": form, "title": _("上传工作制度"),
        "cancel_url": reverse("offices:regulations", args=[township.code]),
    })


@scoped(roles=ALL_ROLES)
def regulation_download(request, code, pk):
    document = get_object_or_404(RegulationDocument.objects.for_user(request.user), township__code=code, pk=pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("制度文件已不存在，请重新上传。")) from None
    content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=document.filename, content_type=content_type)
