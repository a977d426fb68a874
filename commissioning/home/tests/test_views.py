import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_needs_sign_in(client):
    response = client.get(reverse("home:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
