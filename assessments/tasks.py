"""Background work of the oversight app on the huey queue: the workbook of a whole city (or province)."""
import os
import tempfile

from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from assessments import exports, oversight
from assessments.reports import compliance_report
from offices.jobs import job_done, job_failed, job_progress, job_running
from offices.models import City, User


@db_task()
def export_city_task(job_id, user_id, city_id, year, figures=oversight.LATEST):
    """Write the city's workbook for the user who asked (their scope, not the queue's) and attach it to the job.

    `figures`: oversight.LATEST or ACCEPTED (a job queued before the choice existed: the latest).
    """
    user, city = User.objects.get(pk=user_id), City.objects.get(pk=city_id)
    scope = oversight.scope_for(user, city=city, figures=figures)
    report = compliance_report(scope, year)
    total = report.totals.townships
    job_running(job_id, total=total)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        exports.write_workbook(report, path, progress=lambda done: job_progress(job_id, done, total),
                               figures_label=scope.figures_label)
        job_done(job_id, path=path, filename=exports.filename(city.name, year),
                 message=_("共%(n)s个乡镇（街道）。") % {"n": total})
    except Exception as error:  # the job page says what failed; the queue logs the traceback
        job_failed(job_id, error)
        raise
    finally:
        os.remove(path)
