"""The public OCDS release package (no sign-in): streamed, so a large one starts at once and uses little memory."""

from django.http import StreamingHttpResponse
from django.views.decorators.http import require_GET

from commissioning.transparency.ocds.build import package_chunks


@require_GET
def ocds_package(request):
    response = StreamingHttpResponse(package_chunks(), content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="ocds.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
