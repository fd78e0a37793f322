import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    # Fault injection at the driver boundary: the view's own query must fail as in an outage.
    monkeypatch.setattr(connection, "cursor", database_down)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_home_page_says_what_the_product_does(client):
    response = client.get("/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Buy and sell crypto with rupees" in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body
    assert "/static/django_htmx/htmx-2.min.js" in body or "htmx" in body


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy  # our own files only: no inline script at all
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_no_asset_is_loaded_from_another_host(client):
    body = client.get("/").content.decode()

    assert "https://" not in body.replace("https://www.w3.org", "")
    assert "//cdn" not in body


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/no-such-endpoint", "/v1/no-such-endpoint"])
def test_unknown_api_path_is_a_404_in_the_error_shape(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "details": {}}
    }


def test_static_files_are_served_by_the_app(client):
    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert b"--brand" in b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/ramp/order/add/",
        "/admin/invoices/invoice/add/",
        "/admin/invoices/ledgerentry/add/",
        "/admin/invoices/merchantbalance/add/",
        "/admin/kyc/kycsubmission/add/",
        "/admin/ramp/bankaccount/add/",
    ],
)
def test_state_held_by_services_cannot_be_edited_in_the_admin(client, staff, path):
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(path).status_code == 403


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    # Fault injection at the driver boundary: every query fails as during a restart.
    monkeypatch.setattr(connection, "cursor", refuse)


@pytest.mark.django_db
def test_an_api_call_during_a_database_outage_is_a_clean_503(client, database_down):
    client.raise_request_exception = False

    key = "rk_" + "a" * 10 + "_" + "b" * 43  # well-formed: only the database can say no
    response = client.get("/v1/ingress/invoice", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "service_unavailable"


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice, backend="accounts.backends.EmailCodeBackend")


@pytest.mark.django_db
def test_a_page_during_a_database_outage_says_to_retry(client, signed_in, database_down):
    client.raise_request_exception = False

    response = client.get("/orders/")

    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "Back in a moment" in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_an_unexpected_error_is_a_plain_500_page_without_details(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("config.views.render", broken)
    client.raise_request_exception = False

    response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in body
    assert "secret internals" not in body and "Traceback" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "json"), [("/api/upload-kyc", True), ("/kyc/", False), ("/v1/ingress/invoice", True)]
)
def test_a_body_too_large_is_refused_before_it_is_read(client, settings, path, json):
    """Without this, a multi-gigabyte upload is spooled to disk before any view can refuse it."""
    settings.MAX_REQUEST_BYTES = 20 * 1024 * 1024
    small = b"--x--\r\n"

    response = client.post(
        path,
        small,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),  # declared: never read
    )

    assert response.status_code == 413
    if json:
        assert response.json()["error"]["code"] == "request_too_large"
    else:
        assert "larger than 20 MB" in response.content.decode()
    within = client.post(path, small, content_type="multipart/form-data; boundary=x")
    assert within.status_code != 413


@pytest.mark.django_db
def test_a_form_sent_too_large_over_htmx_keeps_what_was_typed(client, settings):
    """The KYC form posts over htmx, which swaps a 4xx in place: the message goes where the
    page's messages go instead, so the form and everything typed in it stay."""
    settings.MAX_REQUEST_BYTES = 20 * 1024 * 1024

    response = client.post(
        "/kyc/",
        b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 413
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#messages", "innerHTML")
    body = response.content.decode()
    assert 'class="alert alert--error"' in body and "each document may be at most 5 MB" in body
    assert "<html" not in body
