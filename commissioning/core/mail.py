"""E-mail leaves the request: `send` queues it for the task worker (core.tasks.send_email) instead of talking to
the mail server while someone waits for a page.

The queued task is a row in the same database transaction as the change it reports: if that transaction is
rolled back, the e-mail is never sent; once it commits, the worker sends it.
"""

from commissioning.core.tasks import send_email


def send(subject: str, body: str, recipients, from_email: str | None = None) -> None:
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    send_email.enqueue(subject, body, recipients, from_email)
