"""Background jobs: long work (imports, exports) runs in the task worker, not in a request (issue 9, point 2).

Django's task API (django.tasks in Django 6; the `django-tasks` backport here) queues the work; its database
backend (`django-tasks-db`) keeps the queue in our own database, so there is no broker to install, and every
web server and worker sharing the database shares the queue. `manage.py db_worker` runs the tasks (`make run`
starts one beside the web server; production runs it under systemd).

A BackgroundJob is what a person sees of the work they started: `start` records it and queues its task; the
task body runs inside `running(job_id)`, which marks it running, then finished (or failed, with a plain
message and the traceback in the log), and calls `report` to show progress. Its result (a file saved through
the storage API, problems, a summary, a button for the next step) is on the job's page, core.views.job_detail,
for its owner and administrators only.

Progress is written outside any transaction the task opens for its own writes, so the job page can read it
while the task runs (an import checks its rows, reporting progress, then writes them all in one transaction).
"""

import logging
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from commissioning.core.models import BackgroundJob

try:  # Django 6 has the task API built in; on Django 5.2 the django-tasks package provides the same one.
    from django.tasks import task  # noqa: F401
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task  # noqa: F401

logger = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = (
    "Something went wrong and the job stopped before it finished. Nothing it was doing has been saved. "
    "Try again; if it happens again, tell your system administrator the time it happened"
)


def start(*, owner, kind: str, title: str, task, input: dict | None = None, total: int = 0, unit: str = "rows"):
    """Record a job for `owner` and queue `task` (a django-tasks Task taking the job's id). Returns the job as it
    is now: still queued with the database backend, already ended with the immediate one (tests)."""
    job = BackgroundJob.objects.create(
        owner=owner, kind=kind, title=title[:200], input=input or {}, progress_total=total, progress_unit=unit
    )
    queued = task.enqueue(str(job.pk))
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(queued.id)[:64])
    return BackgroundJob.objects.get(pk=job.pk)


def report(job: BackgroundJob, done: int, total: int | None = None) -> None:
    """Show progress: `done` of `total` (rows, say). One UPDATE; call it once per batch, not per row."""
    job.progress_done = done
    fields = {"progress_done": done}
    if total is not None:
        job.progress_total = total
        fields["progress_total"] = total
    BackgroundJob.objects.filter(pk=job.pk).update(**fields)


def save_file(job: BackgroundJob, *, name: str, content) -> None:
    """Keep the job's result file through the storage API (local disk or object storage), named `name` when
    downloaded."""
    job.file.save(name, File(content, name=name), save=False)
    job.file_name = name


def finish(job: BackgroundJob, *, result: dict | None = None, errors: list[str] | None = None) -> None:
    """The job has ended: what its page shows (a summary, links, a next step) and any problems found."""
    job.status = BackgroundJob.Status.DONE
    job.result = result or {}
    job.errors = list(errors or [])
    job.finished_at = timezone.now()
    job.progress_done = max(job.progress_done, job.progress_total)
    job.save()


@contextmanager
def running(job_id):
    """Run a task body for a job: marks it running, and failed (with a plain message) if the body raises. A job
    that has already ended (a task delivered twice) is left alone: the body is given None."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != BackgroundJob.Status.QUEUED:
            job = None
        else:
            job.status = BackgroundJob.Status.RUNNING
            job.started_at = timezone.now()
            job.save(update_fields=["status", "started_at"])
    if job is None:
        yield None
        return
    try:
        yield job
    except Exception:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=BackgroundJob.Status.FAILED, errors=[SOMETHING_WENT_WRONG], finished_at=timezone.now()
        )
        raise
    if job.status == BackgroundJob.Status.RUNNING:
        finish(job, result=job.result, errors=job.errors)


def may_see(user, job: BackgroundJob) -> bool:
    return bool(user.is_authenticated and (job.owner_id == user.pk or user.has_perm("core.view_any_job")))


def job_for(user, pk) -> BackgroundJob:
    """The job with this id if `user` may see it: 404 when there is none, 403 when it is someone else's."""
    job = BackgroundJob.objects.select_related("owner").filter(pk=pk).first()
    if job is None:
        raise Http404("No such job")
    if not may_see(user, job):
        raise PermissionDenied
    return job


def jobs_for(user):
    """The user's own jobs, newest first."""
    return BackgroundJob.objects.filter(owner=user).order_by("-created_at")
