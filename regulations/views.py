"""Pages for 有章理事: the township's regulations, upload, replace, retire, and a scoped download.

Files are never linked by their media URL: the download view finds the
document through `RegulationDocument.objects.for_user`, so a user outside the
township's scope gets 404.
"""
import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from offices.compliance.store import township_results
from offices.models import Role
from offices.pages import editable_township, form_page, page_year, visible_township
from offices.scoping import ALL_ROLES, scoped
from offices.selectors import township_context
from offices.tables import ListTable, township_info
from regulations import compliance, rules, selectors, services, tables
from regulations.forms import RegulationForm, RegulationReplaceForm, RegulationRetireForm
from regulations.models import RegulationDocument


@scoped(roles=ALL_ROLES)
def regulation_list(request, code):
    township = visible_township(request, code)
    year, years = page_year(request)
    result = township_results(township, year, compliance)[rules.REQUIRED_REGULATIONS.code]
    documents = selectors.township_documents(request.user, township)
    can_edit = request.user.can_edit_township(township)
    current = ListTable(
        request, tables.current_rows(selectors.kind_rows(documents, result), year), tables.current_columns(township),
        name="regulations", default_sort="kind", row_class=tables.missing_row, row_data=tables.current_data,
        title=_("%(township)s工作制度清单") % {"township": township.name}, info=township_info(township, year),
        empty=_("尚未上传工作制度。"), actions="regulations/_regulation_actions.html",
    )
    retired = ListTable(
        request, list(selectors.retired_documents(request.user, township)), tables.retired_columns(township),
        name="retired", row_data=tables.retired_data,
        title=_("%(township)s已废止的工作制度") % {"township": township.name}, info=township_info(township),
        actions="regulations/_retired_actions.html",
    )
    for table in (current, retired):
        if table.exporting:
            return table.export_response()
    return render(request, "regulations/regulation_list.html", {
        "township": township, "year": year, "years": years, "results": [result],
        "standard": township_context(township, year).standard,
        "table": current, "retired": retired if retired.count else None, "can_edit": can_edit,
    })


@scoped(roles=(Role.TOWNSHIP,))
def regulation_add(request, code):
    township = editable_township(request, code)
    form = RegulationForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind", "")})
    return form_page(
        request, form=form,
        save=lambda data: services.regulation_create(township=township, **data),
        template="regulations/regulation_form.html",
        success=lambda document: _("已上传“%(title)s”。") % {"title": document.title},
        next_url=reverse("regulations:list", args=[township.code]),
        context={"township": township, "title": _("上传工作制度")},
    )


def _current_document(request, township, pk):
    """A document of `township` the clerk may change; a retired one is shown as such (the service refuses it)."""
    return get_object_or_404(RegulationDocument.objects.for_user(request.user), township=township, pk=pk)


def _describe(document):
    return _("%(kind)s · 印发日期 %(adopted)s · 文件 %(file)s。原制度的记录和文件都会保留。") % {
        "kind": document.get_kind_display(), "adopted": document.adopted_on.isoformat(), "file": document.filename}


@scoped(roles=(Role.TOWNSHIP,))
def regulation_replace(request, code, pk):
    township = editable_township(request, code)
    document = _current_document(request, township, pk)
    form = RegulationReplaceForm(request.POST or None, request.FILES or None)
    return form_page(
        request, form=form,
        save=lambda data: services.regulation_replace(document=document, **data),
        template="regulations/regulation_form.html",
        success=lambda new: _("已用“%(new)s”替代“%(old)s”，原制度已保留并标为被替代。") % {
            "new": new.title, "old": document.title},
        next_url=reverse("regulations:list", args=[township.code]),
        context={"township": township, "document": document, "help_text": _describe(document),
                 "title": _("替换制度：%(title)s") % {"title": document.title}},
        history_rows=RegulationDocument.history.filter(id=document.pk),
    )


@scoped(roles=(Role.TOWNSHIP,))
def regulation_retire(request, code, pk):
    township = editable_township(request, code)
    document = _current_document(request, township, pk)
    form = RegulationRetireForm(request.POST or None)
    return form_page(
        request, form=form,
        save=lambda data: services.regulation_retire(document=document, **data),
        template="regulations/regulation_form.html",
        success=lambda retired: _("已废止“%(title)s”，记录和文件已保留。") % {"title": retired.title},
        next_url=reverse("regulations:list", args=[township.code]),
        context={"township": township, "document": document, "help_text": _describe(document),
                 "title": _("废止制度：%(title)s") % {"title": document.title}},
        history_rows=RegulationDocument.history.filter(id=document.pk),
    )


@scoped(roles=ALL_ROLES)
def regulation_download(request, code, pk):
    document = get_object_or_404(RegulationDocument.objects.for_user(request.user), township__code=code, pk=pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("制度文件已不存在，请重新上传。")) from None
    content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=document.filename, content_type=content_type)
