from django.conf import settings

from commissioning.core.navigation import nav_for


def service(request):
    match = getattr(request, "resolver_match", None)
    section = getattr(request, "nav_section", None) or (match.namespace if match else "")
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "nav_items": nav_for(user, section) if user is not None else [],
    }
