import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect


def test_send_a_new_code_waits_out_the_minute_then_sends_one(page):
    page.clock.install()  # the page's own clock, moved on below
    page.goto("/sign-in/")
    page.get_by_label("E-mail address").fill("dana@example.com")
    page.get_by_role("button", name="E-mail me a code").click()

    resend = page.get_by_role("button", name=re.compile("^Send a new code"))
    expect(resend).to_be_disabled()
    expect(resend).to_have_text(re.compile(r"^Send a new code \((59|60) s\)$"))

    page.clock.fast_forward(61_000)
    expect(resend).to_be_enabled()
    expect(resend).to_have_text("Send a new code")
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):  # the server's minute
        resend.click()
        expect(page.get_by_text("A new code is on its way to dana@example.com.")).to_be_visible()
    assert len(mail.outbox) == 2
    expect(resend).to_be_disabled()  # and the next one waits a minute again
    assert page.console.errors == []
