import pytest
from playwright.sync_api import expect

from chatsite.users.models import User
from tests.factories import RoomFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_user_signs_up_from_a_room_logs_out_and_back_in(page, live_server):
    room = RoomFactory(slug="cozy_corner", title="Cozy Corner")

    page.goto("/")
    page.get_by_role("link", name="Cozy Corner").click()
    expect(page.get_by_placeholder("Log in to chat")).to_be_disabled()

    page.get_by_role("link", name="sign up", exact=True).click()
    page.get_by_label("Username").fill("FreshFace")
    page.get_by_label("Password", exact=True).fill("purple-monkey-dishwasher-42")
    page.get_by_label("Password again").fill("purple-monkey-dishwasher-42")
    page.get_by_role("button", name="Sign up").click()

    # Back in the room it came from, signed in, with a live message box.
    expect(page).to_have_url(f"{live_server.url}/rooms/{room.slug}/")
    expect(page.get_by_placeholder("Send a message")).to_be_enabled()
    expect(page.locator(".whoami")).to_have_text("FreshFace")
    assert User.objects.filter(username="freshface", display_name="FreshFace").exists()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()

    page.get_by_role("link", name="Log in", exact=True).click()
    page.get_by_label("Username").fill("freshface")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")

    page.get_by_label("Password").fill("purple-monkey-dishwasher-42")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".whoami")).to_have_text("FreshFace")


def test_the_room_page_fits_a_phone_screen(browser, live_server, db):
    RoomFactory(slug="small_screen", title="Small Screen")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 700}, is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto("/rooms/small_screen/")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 375
        expect(page.get_by_placeholder("Log in to chat")).to_be_in_viewport()
    finally:
        context.close()
