import pytest
from django.contrib.auth.models import Group

from accounts.models import User

REVIEWER_PASSWORD = "reviewer password 2026!"


@pytest.fixture
def reviewer(db):
    user = User.objects.create_user("reviewer@example.com", REVIEWER_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="KYC reviewers"))
    return user


@pytest.fixture
def reviewer_client(client, reviewer):
    # A password session, as the admin login makes (an e-mailed code would not open the admin).
    client.force_login(reviewer, backend="django.contrib.auth.backends.ModelBackend")
    return client
