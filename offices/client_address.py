"""The client's address behind the reverse proxy, trusted from that proxy only.

Behind the loopback proxy the README describes, every request's REMOTE_ADDR is
the proxy's, so login lockouts (django-axes, by username and address) and the
security event log would see one address for everybody. When — and only when —
the request comes from an address listed in WUYOU_TRUSTED_PROXIES, the address
the proxy wrote into X-Forwarded-For (its own $remote_addr, overwriting what the
client sent) becomes REMOTE_ADDR. From anywhere else the header is ignored, so a
client cannot choose the address it is locked out by.
"""
import ipaddress

from django.conf import settings


def forwarded_address(meta, trusted):
    """The address to use for a request's META: the proxy's word when the proxy is trusted, else REMOTE_ADDR."""
    remote = meta.get("REMOTE_ADDR", "")
    if remote not in trusted:
        return remote
    # The right-most entry is the one the trusted proxy added; anything left of it came from the client.
    candidate = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = frozenset(getattr(settings, "WUYOU_TRUSTED_PROXIES", ()))

    def __call__(self, request):
        if self.trusted:
            request.META["REMOTE_ADDR"] = forwarded_address(request.META, self.trusted)
        return self.get_response(request)
