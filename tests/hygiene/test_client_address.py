"""Behind the proxy, the client's address comes from the proxy's X-Forwarded-For, and from nobody else's."""
import pytest
from django.test import override_settings
from django.urls import reverse

from offices.client_address import forwarded_address

PROXY = {"127.0.0.1"}


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        # A client's own header is kept left of the proxy's entry: only the right-most one counts.
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.9"}, "203.0.113.9"),
        # Not from the proxy: the header is the client's word and is ignored.
        ({"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "198.51.100.7"),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-address"}, "127.0.0.1"),
        ({"REMOTE_ADDR": "127.0.0.1"}, "127.0.0.1"),
    ],
)
def test_forwarded_address(meta, expected):
    assert forwarded_address(meta, PROXY) == expected


@pytest.mark.django_db
@override_settings(WUYOU_TRUSTED_PROXIES=["127.0.0.1"])
def test_lockout_follows_the_client_behind_the_proxy(client, clerk):
    """Five failures from one client behind the proxy lock that client out, not everybody behind the proxy."""
    from django.conf import settings

    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": clerk.username, "password": "wrong-password-1A"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    locked = client.post(url, {"username": clerk.username, "password": "wrong-password-1A"},
                         REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 429
    other = client.post(url, {"username": clerk.username, "password": "wrong-password-1A"},
                        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert other.status_code == 200  # another client's failure is counted for that client
