"""Background jobs: start one, tell its progress, finish it (the only writes of `Job`).

A job's work runs on the huey queue (`offices.tasks`, `assessments.tasks`);
with huey in immediate mode (tests) it runs at once, in the caller's thread.
"""
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from offices.models import Job


def job_start(*, kind, title, user=None, total=0):
    return Job.objects.create(kind=kind, title=str(title)[:200], requested_by=user, total=total)


def enqueue(task, *args):
    """Run `task(*args)` on the queue once the caller's transaction has committed (at once in immediate mode)."""
    if HUEY.immediate:
        task.call_local(*args)
    else:
        transaction.on_commit(lambda: task(*args))


def job_running(job_id, *, total=None):
    values = {"state": Job.State.RUNNING, "started_at": timezone.now()}
    if total is not None:
        values["total"] = total
    Job.objects.filter(pk=job_id).update(**values)


def job_progress(job_id, done, total):
    """Record how far the job got (its own short write, outside the work's transaction)."""
    Job.objects.filter(pk=job_id).update(done=done, total=total)


def job_done(job_id, *, message="", path=None, filename=""):
    job = Job.objects.get(pk=job_id)
    if path is not None:
        with open(path, "rb") as handle:
            job.file.save(filename, File(handle), save=False)
        job.filename = filename
    job.state, job.message, job.finished_at = Job.State.DONE, str(message), timezone.now()
    job.done = job.total
    job.save()
    return job


def job_failed(job_id, message):
    Job.objects.filter(pk=job_id).update(state=Job.State.FAILED, message=str(message)[:2000],
                                         finished_at=timezone.now())
