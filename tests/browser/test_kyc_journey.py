from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.helpers import screenshot, sign_in_with_emailed_code
from tests.kyc.documents import VALID_AADHAAR, image_bytes

STAFF_PASSWORD = "staff password for the journey"


def test_sign_in_submit_kyc_staff_approves_user_sees_verified(page, browser, live_server, tmp_path):
    sign_in_with_emailed_code(page, "priya@example.com")

    page.get_by_role("link", name="Start verification").click()
    expect(page.get_by_text("Not started")).to_be_visible()
    (tmp_path / "pan.png").write_bytes(image_bytes("PNG"))
    (tmp_path / "aadhaar.jpg").write_bytes(image_bytes("JPEG"))
    (tmp_path / "selfie.jpg").write_bytes(image_bytes("JPEG"))
    page.get_by_label("Full name (as on your PAN card)").fill("Priya Sharma")
    page.get_by_label("Date of birth").fill("1992-03-14")
    page.get_by_label("PAN", exact=True).fill("ABCPS1234K")
    page.get_by_label("Aadhaar number").fill("2341 2341 2345")  # wrong check digit first
    page.get_by_label("PAN card", exact=True).set_input_files(tmp_path / "pan.png")
    page.get_by_label("Masked Aadhaar").set_input_files(tmp_path / "aadhaar.jpg")
    page.get_by_label("Selfie", exact=True).set_input_files(tmp_path / "selfie.jpg")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text("This is not a valid Aadhaar number")).to_be_visible()
    expect(page.get_by_label("Full name (as on your PAN card)")).to_have_value("Priya Sharma")
    page.get_by_label("Aadhaar number").fill(VALID_AADHAAR)
    page.get_by_label("PAN card", exact=True).set_input_files(tmp_path / "pan.png")
    page.get_by_label("Masked Aadhaar").set_input_files(tmp_path / "aadhaar.jpg")
    page.get_by_label("Selfie", exact=True).set_input_files(tmp_path / "selfie.jpg")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text("Pending review")).to_be_visible()
    expect(page.get_by_text("XXXX XXXX 2346")).to_be_visible()
    screenshot(page, "kyc-pending")

    User.objects.create_superuser("boss@example.com", STAFF_PASSWORD)
    staff_context = browser.new_context(base_url=live_server.url)
    staff = staff_context.new_page()
    staff.goto("/admin/")
    staff.get_by_label("E-mail address").fill("boss@example.com")
    staff.get_by_label("Password").fill(STAFF_PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.get_by_role("link", name="KYC submissions").click()
    staff.get_by_role("link", name="priya@example.com").click()
    expect(staff.get_by_role("img", name="Selfie")).to_be_visible()
    assert staff.evaluate("document.querySelector('img.kyc-doc').naturalWidth") > 0
    screenshot(staff, "kyc-admin-review")
    staff.get_by_role("button", name="Approve").click()
    expect(staff.get_by_text("Priya Sharma is verified.")).to_be_visible()
    staff_context.close()

    # No reload: the pending page polls and turns to Verified by itself.
    expect(page.get_by_text("You are verified at level")).to_be_visible(timeout=25_000)
    screenshot(page, "kyc-verified")
    assert "verified" in mail.outbox[-1].subject
    assert page.console.errors == []
    assert page.console.http_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]


def test_a_refused_submission_logs_no_csp_error_when_inputs_carry_a_style(page, tmp_path):
    # Walking the demo, Chromium had put an empty style attribute on the form's inputs (browsers
    # and extensions do; set through the DOM, the CSP allows it). htmx copied it back when it
    # settled the swapped form - an inline style the CSP refuses - once per input.
    sign_in_with_emailed_code(page, "ravi@example.com")
    page.goto("/kyc/")
    page.evaluate(
        "document.querySelectorAll('#kyc-form input').forEach(function (input) {"
        "  input.style.color = 'red'; input.style.color = ''; })"  # leaves style=""
    )
    (tmp_path / "note.txt").write_text("not an image")
    page.get_by_label("Full name (as on your PAN card)").fill("Ravi Kumar")
    page.get_by_label("Selfie", exact=True).set_input_files(tmp_path / "note.txt")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text("Selfie: only JPEG, PNG or PDF files are accepted.")).to_be_visible()
    expect(page.get_by_label("Full name (as on your PAN card)")).to_have_value("Ravi Kumar")
    assert page.console.errors == []


def test_documents_too_large_to_send_leave_the_form_as_it_was(page, tmp_path, settings):
    settings.MAX_REQUEST_BYTES = 2 * 1024 * 1024  # the live server runs in this process
    sign_in_with_emailed_code(page, "meera@example.com")
    page.goto("/kyc/")
    (tmp_path / "selfie.jpg").write_bytes(image_bytes("JPEG") + b"\0" * (3 * 1024 * 1024))
    page.get_by_label("Full name (as on your PAN card)").fill("Meera Nair")
    page.get_by_label("PAN", exact=True).fill("ABCPN1234K")
    page.get_by_label("Selfie", exact=True).set_input_files(tmp_path / "selfie.jpg")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text("What you sent is larger than 2 MB")).to_be_visible()
    expect(page.get_by_label("Full name (as on your PAN card)")).to_have_value("Meera Nair")
    expect(page.get_by_label("PAN", exact=True)).to_have_value("ABCPN1234K")
    screenshot(page, "kyc-too-large")
    assert page.console.errors == []
