"""The room page and the mod dashboard pass axe-core's WCAG 2.1 A and AA checks on both
themes, chatters' name colours included, and keyboard focus is always visible."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from rooms.actions.messages import message_send
from rooms.actions.rooms import membership_set
from tests.conftest import PASSWORD
from tests.factories import RoomFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# Colours chatters pick that are unreadable on one theme or the other as they are.
HARD_COLOURS = {"bluey": "#0000FF", "yellowy": "#FFFF00", "navy": "#000080", "ghost": "#F5F5F5"}


@pytest.fixture
def lively_room(asgi_server):
    room = RoomFactory(slug="a11y_room", title="Accessible Room")
    moderator = UserFactory(username="keyboard_mod", display_name="Keyboard_Mod")
    membership_set(room=room, user=moderator, is_moderator=True)
    for login, colour in HARD_COLOURS.items():
        chatter = UserFactory(username=login, chat_color=colour)
        message_send(room=room, author=chatter, text=f"hello from {login}")
    return room, asgi_server()


def log_in(page, base_url: str, next_path: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill("keyboard_mod")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def violations(page) -> list[str]:
    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']}: {[(n['target'], n['failureSummary']) for n in v['nodes']]}" for v in found]


def name_contrasts(page) -> dict[str, float]:
    """Each chatter's name: the contrast of its colour as shown with the chat's background."""
    return page.evaluate("""() => {
        const rgb = (css) => css.match(/\\d+/g).slice(0, 3).map(Number);
        const lum = (c) => {
            const [r, g, b] = c.map((v) => { v /= 255;
                return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const back = rgb(getComputedStyle(document.querySelector(".chat")).backgroundColor);
        const out = {};
        document.querySelectorAll(".chat-line .chat-name").forEach((name) => {
            const [a, b] = [lum(rgb(getComputedStyle(name).color)), lum(back)];
            out[name.textContent] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        });
        return out;
    }""")


@pytest.fixture
def moderator_page(browser, lively_room):
    """A logged-in moderator's page on ``scheme``: ``page = moderator_page(path, scheme)``."""
    contexts = []

    def open_page(path: str, scheme: str = "dark"):
        context = browser.new_context(color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        log_in(page, lively_room[1].url, path.format(room=lively_room[0].slug))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_room_page_passes_axe_with_readable_names(moderator_page, scheme):
    page = moderator_page("/rooms/{room}/", scheme)
    expect(page.locator("#viewer-count")).to_have_text(re.compile(r"^\d+$"))  # live
    expect(page.locator(".chat-line .chat-name")).to_have_count(len(HARD_COLOURS))
    expect(page.locator("[role=log] #chat-log")).to_be_attached()
    contrasts = name_contrasts(page)
    assert set(contrasts) == set(HARD_COLOURS)
    assert all(ratio >= 4.5 for ratio in contrasts.values()), contrasts
    assert violations(page) == []


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_mod_dashboard_passes_axe(moderator_page, scheme):
    page = moderator_page("/mod/{room}/", scheme)
    expect(page.locator("#dash-status")).to_have_text("Live")
    expect(page.locator(".dash-line")).to_have_count(len(HARD_COLOURS))
    assert violations(page) == []


def test_keyboard_focus_is_always_visible(moderator_page):
    page = moderator_page("/rooms/{room}/", "light")
    expect(page.locator("#viewer-count")).to_have_text(re.compile(r"^\d+$"))
    seen = set()
    for _ in range(20):  # every stop of the tab order, from the top bar to the composer
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return [el.tagName + (el.id ? "#" + el.id : ""), style.outlineStyle,
                    style.outlineWidth];
        }""")
        if focused[0] == "BODY":  # past the last stop: the page itself
            continue
        seen.add(focused[0])
        assert focused[1] != "none", focused
        assert focused[2] != "0px", focused
    assert {"OL#chat-log", "TEXTAREA#chat-text"} <= seen
