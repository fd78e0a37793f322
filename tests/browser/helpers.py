"""Steps several journeys share."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

__all__ = ["screenshot", "sign_in_with_emailed_code"]


def sign_in_with_emailed_code(page, email, *, start=True):
    if start:
        page.goto("/")
        page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="E-mail me a code").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {email}")).to_be_visible()
