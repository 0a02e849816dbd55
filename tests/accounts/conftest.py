import pytest
from django.urls import reverse

from tests.factories.offices import UserFactory

# Meets every password rule: 16 characters, 4 classes, nothing like a username.
STRONG_PASSWORD = "Qilin#Harbor-2718"
ADDRESS = "10.1.2.3"


@pytest.fixture
def clerk_with_password(township):
    return UserFactory(role="township", township=township, username="clerk371302", password=STRONG_PASSWORD)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True, password=STRONG_PASSWORD)


@pytest.fixture
def log_in_with_password(client):
    """Log in through the login page (not force_login): the path django-axes watches."""

    def _log_in(username, password=STRONG_PASSWORD, *, url=None, address=ADDRESS):
        return client.post(url or reverse("login"), {"username": username, "password": password},
                           REMOTE_ADDR=address)

    return _log_in
