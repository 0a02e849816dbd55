"""The page of a background job: its progress while it runs, its file when it is ready. Only its requester sees it."""
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from offices import list_tables
from offices.models import Job
from offices.scoping import ALL_ROLES, scoped
from offices.tables import ListTable

# Administrators (no role) start recomputes from the admin and follow them here too.
JOB_ROLES = (*ALL_ROLES, "")


def _job(request, pk):
    return get_object_or_404(Job.objects.for_user(request.user), pk=pk)


@scoped(roles=JOB_ROLES)
def job_list(request):
    """The user's own jobs, newest first: exports to download, recomputes to follow."""
    table = ListTable(
        request, Job.objects.for_user(request.user), list_tables.JOB_COLUMNS, name="jobs", title=_("后台任务"),
        empty=_("还没有后台任务。全市达标情况表较大时会在后台生成，完成后在这里下载。"),
        actions="offices/_job_actions.html",
    )
    if table.exporting:
        return table.export_response()
    return render(request, "offices/job_list.html", {"table": table})


@scoped(roles=JOB_ROLES)
def job_detail(request, pk):
    return render(request, "offices/job_detail.html", {"job": _job(request, pk)})


@scoped(roles=JOB_ROLES)
def job_status(request, pk):
    job = _job(request, pk)
    return JsonResponse({"state": job.state, "state_label": str(job.get_state_display()), "done": job.done,
                         "total": job.total, "percent": job.percent, "finished": job.finished,
                         "message": job.message}, json_dumps_params={"ensure_ascii": False})


@scoped(roles=JOB_ROLES)
def job_download(request, pk):
    job = _job(request, pk)
    if job.state != Job.State.DONE or not job.file:
        raise Http404
    response = FileResponse(job.file.open("rb"), content_type="application/octet-stream")
    if job.filename.endswith(".xlsx"):
        response["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response["Content-Disposition"] = content_disposition_header(True, job.filename)
    return response
