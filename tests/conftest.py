"""
Shared fixtures. Every test has an owner (alice), a second user (bob) and an outsider (charlie),
so each view and API test can also check who must *not* see a thing.
"""

import pytest

from accounts.models import User


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice@example.com")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob@example.com")


@pytest.fixture
def charlie(db):
    return User.objects.create_user("charlie@example.com")


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("ops@example.com", "correct horse battery staple")
