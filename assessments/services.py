"""Writes of the oversight app besides circulars: starting a background export."""
from django.utils.translation import gettext as _

from offices.jobs import enqueue, job_start
from offices.models import Job


def export_start(*, user, city, year):
    """Start writing the city's workbook on the queue; the job page shows its progress and offers the file."""
    from assessments.tasks import export_city_task  # the task module imports the writer; import it when used

    job = job_start(kind=Job.Kind.EXPORT, user=user,
                    title=_("%(city)s%(year)s年度达标情况表") % {"city": city.name, "year": year})
    enqueue(export_city_task, str(job.pk), user.pk, city.pk, year)
    return job
