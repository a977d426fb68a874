from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from commissioning.core import jobs, shortcuts


@never_cache
def health(request):
    """200 when the database answers; 503 otherwise. For load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def accessibility(request):
    return render(request, "core/accessibility.html")


def privacy(request):
    return render(request, "core/privacy.html")


def cookies(request):
    return render(request, "core/cookies.html")


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form whose security token no longer matches (settings.CSRF_FAILURE_VIEW). The usual cause is a form sent
    twice: signing in renews the token, so a second press of "Sign in" (or the same form sent again from the
    browser's Back page) carries the old one. A signed-in person is taken to the page as it is now (for the
    sign-in page: where signing in leads) and told the form was not sent again; nothing is changed by the
    redirect. Anyone else is asked to go back and try again, with a fresh page."""
    if request.user.is_authenticated and request.path == reverse("accounts:logout"):
        # Sign-out takes POST only: back to the home page, to press it again on a fresh page.
        messages.info(request, "The page was out of date, so you have not been signed out. Press Sign out again")
        return redirect("home:index")
    if request.user.is_authenticated and url_has_allowed_host_and_scheme(request.path, allowed_hosts=None):
        messages.info(request, "That form had already been sent, so it was not sent again")
        return redirect(request.get_full_path())
    return render(request, "core/csrf_failure.html", {"retry_url": request.get_full_path()}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


# --- Background jobs (core.jobs): the page of one job, its file, and the list of your own ---------------------

REFRESH_SECONDS = 3  # a queued or running job's page reloads itself (a meta refresh: no JavaScript needed)
ERRORS_SHOWN = 1000  # problems listed on a job's page; the count says how many there are in all


@login_required
def job_list(request):
    return render(request, "core/job_list.html", shortcuts.paginate(request, jobs.jobs_for(request.user)))


@login_required
def job_detail(request, pk):
    job = jobs.job_for(request.user, pk)
    errors = job.errors[:ERRORS_SHOWN]
    return render(
        request,
        "core/job_detail.html",
        {
            "job": job,
            "refresh": None if job.ended else REFRESH_SECONDS,
            "errors": errors,
            "more_errors": len(job.errors) - len(errors),
            "error_items": [{"href": "#problems", "text": message} for message in errors[:10]],
        },
    )


@login_required
def job_file(request, pk):
    job = jobs.job_for(request.user, pk)
    if not job.file:
        raise Http404("This job has no file")
    return shortcuts.private_download(job.file, filename=job.file_name, content_type=job.result.get("content_type", ""))
