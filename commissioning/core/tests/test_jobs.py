"""Background jobs (core.jobs): queued in the database and run by the worker, their page for the owner only, and
e-mail leaving the request. The rest of the suite runs tasks at once (ImmediateBackend, root conftest.py); here
the database backend queues them and `manage.py db_worker --batch` runs them, as in production."""

import io

import pytest
from django.core import mail as outbox
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from commissioning.core import jobs, mail
from commissioning.core.jobs import task
from commissioning.core.models import BackgroundJob
from commissioning.core.tasks import send_email

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queued(settings):
    """Tasks are queued in the database and wait for a worker."""
    settings.TASKS = DATABASE_BACKEND


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)


@task()
def write_numbers(job_id: str) -> None:
    """A task for these tests: counts to the job's `up_to` in two steps and keeps the numbers as a file."""
    with jobs.running(job_id) as job:
        if job is None:
            return
        up_to = job.input["up_to"]
        if up_to < 0:
            raise ValueError("cannot count down")
        jobs.report(job, up_to // 2, up_to)
        jobs.save_file(job, name="numbers.csv", content=io.BytesIO(",".join(map(str, range(up_to))).encode()))
        jobs.finish(job, result={"summary": f"Counted to {up_to}.", "content_type": "text/csv"})


@pytest.mark.django_db(transaction=True)  # the worker commits, as in production
def test_a_job_waits_in_the_queue_then_the_worker_runs_it(queued, users):
    job = jobs.start(
        owner=users["finance_officer"], kind="test.numbers", title="Numbers", task=write_numbers, input={"up_to": 10}
    )
    assert job.status == BackgroundJob.Status.QUEUED and job.task_id
    task_row = DBTaskResult.objects.get(id=job.task_id)
    assert task_row.status == "READY" and task_row.args_kwargs["args"] == [str(job.pk)]

    client = Client()
    client.force_login(users["finance_officer"])
    html = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html  # reloads itself without JavaScript
    assert "Waiting to start" in html and "Refresh the page" in html

    run_worker()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.started_at and job.finished_at
    assert job.progress_done == job.progress_total == 10
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    done = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in done and "Counted to 10." in done and "Download numbers.csv" in done
    download = client.get(reverse("core:job_file", args=[job.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == b"0,1,2,3,4,5,6,7,8,9"


@pytest.mark.django_db(transaction=True)  # the worker commits, as in production
def test_a_job_whose_task_fails_says_so_plainly(queued, users):
    job = jobs.start(owner=users["cfo"], kind="test.numbers", title="Numbers", task=write_numbers, input={"up_to": -1})
    run_worker()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and job.errors == [jobs.SOMETHING_WENT_WRONG]
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    client = Client()
    client.force_login(users["cfo"])
    assert "Something went wrong" in client.get(reverse("core:job_detail", args=[job.pk])).content.decode()


@pytest.mark.django_db
def test_a_task_delivered_twice_runs_once(users):
    job = BackgroundJob.objects.create(owner=users["admin"], kind="test", title="Once")
    with jobs.running(job.pk) as first:
        assert first is not None
    with jobs.running(job.pk) as second:
        assert second is None
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE


@pytest.mark.django_db(transaction=True)  # the worker commits, as in production
def test_e_mail_is_queued_then_sent_by_the_worker(queued):
    mail.send("Your report is due", "Please send it.", ["provider@example.org", ""])
    assert outbox.outbox == []  # not sent while the request waits
    assert DBTaskResult.objects.filter(task_path="commissioning.core.tasks.send_email").count() == 1
    run_worker()
    (message,) = outbox.outbox
    assert message.subject == "Your report is due" and message.to == ["provider@example.org"]


@pytest.mark.django_db
def test_e_mail_to_nobody_queues_nothing(queued):
    mail.send("Nobody", "Body", ["", None])
    assert not DBTaskResult.objects.exists()


def test_the_e_mail_task_body_sends(settings):
    assert send_email.call("Subject", "Body", ["a@example.org"]) == 1
    assert outbox.outbox[-1].to == ["a@example.org"]


@pytest.mark.django_db
def test_only_the_owner_and_administrators_see_a_job(users):
    job = BackgroundJob.objects.create(owner=users["finance_officer"], kind="test", title="Private")
    job.file.save("private.csv", ContentFile(b"x"), save=True)
    for role, expected in (("finance_officer", 200), ("admin", 200), ("cfo", 403), ("auditor", 403)):
        client = Client()
        client.force_login(users[role])
        assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == expected, role
        assert client.get(reverse("core:job_file", args=[job.pk])).status_code == expected, role
    mine = Client()
    mine.force_login(users["cfo"])
    assert "Private" not in mine.get(reverse("core:job_list")).content.decode()
    owner = Client()
    owner.force_login(users["finance_officer"])
    assert "Private" in owner.get(reverse("core:job_list")).content.decode()


@pytest.mark.django_db
def test_the_job_list_takes_a_fixed_number_of_queries(users, django_assert_max_num_queries):
    for n in range(30):
        BackgroundJob.objects.create(owner=users["finance_officer"], kind="test", title=f"Job {n}")
    client = Client()
    client.force_login(users["finance_officer"])
    with django_assert_max_num_queries(6):
        assert client.get(reverse("core:job_list")).status_code == 200
