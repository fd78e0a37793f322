from tests.browser.conftest import low_contrast_buttons, screenshot, wider_than_the_screen


def test_home_page_renders_without_console_errors(page):
    page.goto("/")

    assert page.get_by_role("heading", level=1).inner_text().startswith("Buy and sell crypto")
    assert page.get_by_role("link", name="Buy crypto").is_visible()
    # The stylesheet and htmx were served by the app itself (no CDN) and applied.
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(246, 247, 251)"
    screenshot(page, "home-desktop")
    assert low_contrast_buttons(page) == []
    assert page.console.errors == []


def test_home_page_fits_a_phone(phone_page):
    phone_page.goto("/")

    assert phone_page.get_by_role("link", name="Sell crypto").is_visible()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert wider_than_the_screen(phone_page) == 0
    screenshot(phone_page, "home-phone")
    assert low_contrast_buttons(phone_page) == []  # "Sign in" once drew grey on indigo
    assert phone_page.console.errors == []
