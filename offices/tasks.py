"""Background work of the base app on the huey queue: recomputing the stored results of many townships."""
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from offices.compliance import store
from offices.jobs import job_done, job_failed, job_progress, job_running


@db_task()
def recompute_task(job_id, township_ids, years):
    job_running(job_id, total=len(township_ids) * len(years))
    try:
        count = store.recompute(township_ids, years, progress=lambda done, total: job_progress(job_id, done, total))
    except Exception as error:  # the job page says what failed; the queue logs the traceback
        job_failed(job_id, error)
        raise
    job_done(job_id, message=_("已重新计算%(n)s个乡镇年度的达标结果。") % {"n": count})


@db_periodic_task(crontab(hour="0", minute="10"))
def refresh_daily():
    """Judge the dated rules again each night (quarters ended, deadlines passed): `refresh_compliance`."""
    store.refresh()
