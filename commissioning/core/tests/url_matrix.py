from django.core.files.base import ContentFile

from commissioning.core.models import BackgroundJob
from commissioning.testing.matrix import UrlCase, expect


def setup(world):
    """A finished job with a file, started by the finance officer: only they and administrators may see it."""
    job = BackgroundJob.objects.create(
        owner=world.users["finance_officer"], kind="test", title="Matrix job", status=BackgroundJob.Status.DONE
    )
    job.file.save("matrix.csv", ContentFile(b"a,b\n"), save=False)
    job.file_name = "matrix.csv"
    job.save()
    world.job = job


OWNER_AND_ADMIN = expect(403, finance_officer=200, admin=200)

CASES = [
    UrlCase("core:health", expect(200, anonymous=200)),
    UrlCase("core:accessibility", expect(200, anonymous=200)),
    UrlCase("core:privacy", expect(200, anonymous=200)),
    UrlCase("core:cookies", expect(200, anonymous=200)),
    UrlCase("core:job_list", expect(200)),
    UrlCase("core:job_detail", OWNER_AND_ADMIN, kwargs=lambda w: {"pk": w.job.pk}),
    UrlCase("core:job_file", OWNER_AND_ADMIN, kwargs=lambda w: {"pk": w.job.pk}),
]
