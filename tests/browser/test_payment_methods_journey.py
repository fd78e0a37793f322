from playwright.sync_api import expect

from accounts.models import User
from ramp.models import BankAccount, UpiId
from tests.browser.conftest import wider_than_the_screen
from tests.browser.helpers import screenshot, sign_in_with_emailed_code
from tests.conftest import verify_kyc


def test_link_a_upi_id_and_a_bank_account(page):
    verify_kyc(
        User.objects.create_user("priya@example.com"),
        full_name="Priya Sharma",
        pan_number="ABCPS1234K",
    )
    sign_in_with_emailed_code(page, "priya@example.com")

    page.get_by_role("link", name="Payment methods").click()
    expect(page.get_by_text("Accounts must be in your verified name")).to_be_visible()

    page.get_by_label("UPI ID").fill("othername@sandbox")
    page.locator("#upi-form").get_by_role("button", name="Verify and link").click()
    expect(page.get_by_text("registered to “RAHUL VERMA”")).to_be_visible()
    expect(page.get_by_label("UPI ID")).to_have_value("othername@sandbox")
    page.get_by_label("UPI ID").fill("priya.sharma@okaxis")
    page.locator("#upi-form").get_by_role("button", name="Verify and link").click()
    expect(page.get_by_text("UPI ID priya.sharma@okaxis is verified and linked.")).to_be_visible()

    page.get_by_label("Account number").fill("50100234567890")
    page.get_by_label("IFSC").fill("hdfc0001234")
    expect(page.locator("#ifsc-hint")).to_contain_text("HDFC Bank")
    page.locator("#bank-form").get_by_role("button", name="Verify and link").click()
    expect(page.get_by_text("Bank account •••• 7890 is verified and linked.")).to_be_visible()
    screenshot(page, "payment-methods")

    assert UpiId.objects.get().holder_name == "PRIYA SHARMA"
    assert BankAccount.objects.get().bank_name == "HDFC Bank"
    assert page.console.errors == []


def test_payment_methods_fit_a_phone(phone_page):
    user = User.objects.create_user("ravi@example.com")
    verify_kyc(user, full_name="Ravi Iyer", pan_number="RAVPI1234R")
    sign_in_with_emailed_code(phone_page, "ravi@example.com")

    phone_page.goto("/payment-methods/")
    phone_page.get_by_label("UPI ID").fill("ravi@okicici")
    phone_page.locator("#upi-form").get_by_role("button", name="Verify and link").click()
    expect(phone_page.get_by_text("is verified and linked")).to_be_visible()
    screenshot(phone_page, "payment-methods-phone")
    assert wider_than_the_screen(phone_page) == 0


def test_removing_asks_for_confirmation(page):
    user = User.objects.create_user("ravi@example.com")
    verify_kyc(user, full_name="Ravi Iyer", pan_number="RAVPI1234R")
    sign_in_with_emailed_code(page, "ravi@example.com")
    page.goto("/payment-methods/")
    page.get_by_label("UPI ID").fill("ravi@okicici")
    page.locator("#upi-form").get_by_role("button", name="Verify and link").click()
    expect(page.get_by_text("is verified and linked")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove").click()

    expect(page.get_by_text("was removed.")).to_be_visible()
    assert UpiId.objects.get().removed_at is not None
