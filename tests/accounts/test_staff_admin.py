import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def admin_login(client, email, password):
    return client.post(
        reverse("admin:login"), {"username": email, "password": password, "next": "/admin/"}
    )


def test_staff_sign_in_to_the_admin_with_a_password(client, staff):
    response = admin_login(client, staff.email, PASSWORD)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_admin_pages_name_the_site_icon(client, staff):
    # Without it browsers ask for /favicon.ico, which is a 404 (and a console error) here.
    login_page = client.get(reverse("admin:login")).content.decode()
    admin_login(client, staff.email, PASSWORD)
    order_list = client.get("/admin/ramp/order/").content.decode()

    for page in (login_page, order_list):
        assert '<link rel="icon" href="/static/img/logo.svg"' in page


def test_an_emailed_code_does_not_open_the_admin_even_for_staff(client, staff):
    client.force_login(staff, backend="accounts.backends.EmailCodeBackend")

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_login_locks_out_after_five_failures(client, staff):
    for _ in range(5):
        admin_login(client, staff.email, "wrong password")

    response = admin_login(client, staff.email, PASSWORD)

    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert client.get("/admin/").status_code == 302
