"""Who is asking, and how often: the client's network address (trusting only configured proxies) and a small
fixed-window throttle kept in Django's cache (the database cache, so every worker and server shares it).

Behind a reverse proxy every request arrives from the proxy's address, so a lockout by address would lock
everyone out at once; and X-Forwarded-For is written by whoever sends the request, so trusting its first entry
would let anyone pick the address they are locked out under. With TRUSTED_PROXY_COUNT = n (the number of
proxies in front of the service that each append the address they saw), the client's address is the n-th entry
from the right of X-Forwarded-For: the one the outermost trusted proxy wrote. Entries further left are the
client's own claims and are ignored. With no trusted proxy (the default) REMOTE_ADDR is used and the header is
ignored.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address (used by django-axes through AXES_CLIENT_IP_CALLABLE, and by the throttles)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        # Fewer entries than proxies: the request did not come through them all; use what connected to us.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _key(scope: str, kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{kind}:{digest}"


def _hit(key: str, window: int) -> int:
    """Count one more request in this key's window; the count including this one."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def throttled(request, scope: str, *, email: str = "") -> bool:
    """Count this request against its address and (when given) the e-mail address it is about; True when either
    has passed THROTTLE_REQUESTS in the last THROTTLE_WINDOW_SECONDS (so the request must be refused)."""
    limit = int(getattr(settings, "THROTTLE_REQUESTS", 5))
    window = int(getattr(settings, "THROTTLE_WINDOW_SECONDS", 900))
    over = _hit(_key(scope, "ip", client_ip(request)), window) > limit
    if email:
        over = (_hit(_key(scope, "email", email), window) > limit) or over
    return over


def wait_text() -> str:
    minutes = max(1, int(getattr(settings, "THROTTLE_WINDOW_SECONDS", 900)) // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
