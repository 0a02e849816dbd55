"""Writes of the oversight app besides circulars: starting a background export."""
from django.utils.translation import gettext as _

from assessments.oversight import ACCEPTED, FIGURES, LATEST, figures_of
from offices.jobs import enqueue, job_start
from offices.models import Job


def export_start(*, user, city, year, figures=LATEST):
    """Start writing the city's workbook on the queue; the job page shows its progress and offers the file.

    `figures`: LATEST (the stored results) or ACCEPTED (the snapshots at city acceptance).
    """
    from assessments.tasks import export_city_task  # the task module imports the writer; import it when used

    figures = figures_of(figures)
    title = _("%(city)s%(year)s年度达标情况表") % {"city": city.name, "year": year}
    if figures == ACCEPTED:
        title = _("%(title)s（%(figures)s）") % {"title": title, "figures": FIGURES[figures]}
    job = job_start(kind=Job.Kind.EXPORT, user=user, title=title)
    enqueue(export_city_task, str(job.pk), user.pk, city.pk, year, figures)
    return job
