from axes.backends import AxesStandaloneBackend
from django.conf import settings


class AxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that comes with a request.

    Web logins always pass the request (the admin's login form does). Calls without one (the test
    client's ``login()``, a shell) cannot be throttled by address, so this backend steps aside
    instead of refusing them; the next backend checks the password as usual.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """The address a login attempt came from, for lockout per username and address.

    Behind the reverse proxy (DJANGO_BEHIND_PROXY, which sets SECURE_PROXY_SSL_HEADER) REMOTE_ADDR is
    the proxy itself; the proxy appends the client's address as the last X-Forwarded-For entry, the
    only one a client cannot forge.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")
