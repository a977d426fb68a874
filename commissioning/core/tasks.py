"""Tasks every app uses (run by the task worker, see core.jobs)."""

from django.core.mail import send_mail

from commissioning.core.jobs import task


@task()
def send_email(subject: str, body: str, recipients: list[str], from_email: str | None = None) -> int:
    """Send one e-mail (core.mail.send queues it); the worker retries nothing by itself, a failure is logged and
    kept in the task's result."""
    return send_mail(subject, body, from_email, recipients)
