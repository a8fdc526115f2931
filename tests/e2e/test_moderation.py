"""Moderation in real browsers: a moderator's dashboard, a chatter and a viewer, with the web server
and a real AutoMod worker behind them."""

import re

import pytest
from playwright.sync_api import expect

from moderation.models import AuditEntry
from rooms.actions.rooms import membership_set
from tests.conftest import PASSWORD
from tests.e2e.conftest import snap
from tests.factories import RoomFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUDE = "you are a fucking idiot"


@pytest.fixture
def arena(asgi_server, celery_worker_process):
    room = RoomFactory(slug="arena", title="Arena")
    mod = UserFactory(username="mod_mia", display_name="Mod_Mia")
    membership_set(room=room, user=mod, is_moderator=True)
    UserFactory(username="rowdy", display_name="Rowdy")
    celery_worker_process("moderation")
    return room, asgi_server()


WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])


def logged_in(browser, base_url: str, login: str, path: str, width: int = 1280):
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"/accounts/login/?next={path}")
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{path}")
    return context, page


def dashboard_and_chatter(browser, base_url: str, room, width: int, contexts: list):
    """Mod_Mia's dashboard, live, and Rowdy in the room, connected (their windows join
    ``contexts``, for the test to close)."""
    mod_context, dashboard = logged_in(browser, base_url, "mod_mia", f"/mod/{room.slug}/", width)
    contexts.append(mod_context)
    expect(dashboard.locator("#dash-status")).to_have_text("Live")
    chatter_context, chatter = logged_in(browser, base_url, "rowdy", f"/rooms/{room.slug}/", width)
    contexts.append(chatter_context)
    expect(chatter.locator("#viewer-count")).to_have_text(re.compile(r"^\d+$"))
    return dashboard, chatter


def say(page, text: str) -> None:
    box = page.get_by_placeholder("Send a message")
    box.fill(text)
    box.press("Enter")


@WIDTHS
def test_a_held_message_is_allowed_from_the_dashboard_then_a_timeout_clears_the_chatter(
    browser, arena, width
):
    room, server = arena
    contexts = []
    try:
        viewer_context = browser.new_context(
            base_url=server.url, viewport={"width": width, "height": 800}
        )
        contexts.append(viewer_context)
        viewer = viewer_context.new_page()
        viewer.goto(f"/rooms/{room.slug}/")
        expect(viewer.locator("#viewer-count")).to_have_text(re.compile(r"^\d+$"))

        dashboard, chatter = dashboard_and_chatter(browser, server.url, room, width, contexts)

        # AutoMod holds the rude line: it leaves the viewer's screen, the author is told,
        # and it waits in the dashboard's queue with its reason.
        say(chatter, RUDE)
        expect(chatter.locator(".chat-line.system", has_text="held for review")).to_be_visible()
        # Its author still sees it, marked, rather than "<message deleted>".
        mine = chatter.locator(".chat-line.held", has_text=RUDE)
        expect(mine.locator(".chat-state")).to_have_text("held for review")
        item = dashboard.locator(".held-item", has_text=RUDE)
        expect(item).to_be_visible()
        expect(item.locator(".held-reason")).to_contain_text("insult")
        expect(viewer.locator(".chat-line:not(.deleted)", has_text=RUDE)).to_have_count(0)

        say(chatter, "hello friends")
        expect(viewer.locator(".chat-line", has_text="hello friends")).to_be_visible()
        # The dashboard shows what was written beside what chatters see.
        line = dashboard.locator(".dash-line", has_text="hello friends")
        expect(line.locator(".original-text")).to_have_text("hello friends")

        item.get_by_role("button", name="Allow").click()
        expect(item).to_have_count(0)
        allowed = viewer.locator(".chat-line:not(.deleted)", has_text=RUDE)
        expect(allowed).to_be_visible()
        expect(
            chatter.locator(".chat-line:not(.held):not(.deleted)", has_text=RUDE)
        ).to_be_visible()
        # In its place: before the later message.
        texts = viewer.locator(".chat-line .chat-text").all_text_contents()
        assert texts.index(RUDE) < texts.index("hello friends")

        # One click on the line times the chatter out: their lines vanish for the viewer,
        # and the chatter is told; their box is off, saying until when, and stays so on reload.
        line.get_by_role("button", name="Timeout").click()
        expect(viewer.locator(".chat-line.deleted", has_text="<message deleted>")).to_have_count(2)
        expect(chatter.locator(".chat-line.system", has_text="timed out for 600")).to_be_visible()
        box = chatter.get_by_placeholder("Send a message")
        expect(box).to_be_disabled()
        until = re.compile(r"timed out for 600 seconds\..*You can chat again at \d")
        expect(chatter.locator("#chat-refusal")).to_have_text(until)
        snap(dashboard, f"dashboard-after-timeout-{width}")
        snap(chatter, f"timed-out-chatter-{width}")
        chatter.reload()
        expect(chatter.get_by_placeholder("Send a message")).to_be_disabled()
        expect(chatter.locator("#chat-refusal")).to_have_text(
            re.compile(r"You are timed out in this room\. You can chat again at \d")
        )

        # Every action is in the audit log, live on the dashboard.
        audit = dashboard.locator("#audit-list")
        expect(audit.locator(".audit-entry", has_text="timeout")).to_contain_text("mod_mia")
        expect(audit.locator(".audit-entry", has_text="allow")).to_be_visible()
        expect(audit.locator(".audit-entry", has_text="hold")).to_contain_text("AutoMod")
        actions = set(AuditEntry.objects.values_list("action", "source"))
        assert actions == {("hold", "automod"), ("allow", "dashboard"), ("timeout", "dashboard")}
    finally:
        for context in contexts:
            context.close()


@WIDTHS
def test_a_denied_message_is_removed_for_its_author_and_a_ban_says_why(browser, arena, width):
    room, server = arena
    contexts = []
    try:
        dashboard, chatter = dashboard_and_chatter(browser, server.url, room, width, contexts)

        say(chatter, RUDE)
        expect(chatter.locator(".chat-line.held", has_text=RUDE)).to_be_visible()
        item = dashboard.locator(".held-item", has_text=RUDE)
        item.get_by_role("button", name="Deny").click()
        expect(item).to_have_count(0)
        # Its author is told, and the line says what became of it.
        expect(chatter.locator(".chat-line.system", has_text="denied your message")).to_be_visible()
        expect(chatter.locator(".chat-line.deleted .chat-text")).to_have_text(
            "<removed by a moderator>"
        )
        expect(chatter.locator(".chat-line .chat-state")).to_have_count(0)
        say(chatter, "sorry everyone")
        expect(dashboard.locator(".dash-line", has_text="sorry everyone")).to_be_visible()

        # A ban from the dashboard's chat box: the chatter's box is off, saying why.
        box = dashboard.get_by_placeholder("Chat, or a command such as /slow 30")
        box.fill("/ban rowdy keeps insulting people")
        box.press("Enter")
        expect(chatter.get_by_placeholder("Send a message")).to_be_disabled()
        expect(chatter.locator("#chat-refusal")).to_contain_text("banned")
        expect(chatter.locator("#chat-refusal")).to_contain_text("keeps insulting people")
        snap(chatter, f"denied-then-banned-{width}")
        # The ban takes the chatter's lines down; the denied one still says what it was.
        expect(chatter.locator(".chat-line.deleted .chat-text")).to_have_text(
            ["<removed by a moderator>", "<message deleted>"]
        )
        chatter.reload()
        expect(chatter.get_by_placeholder("Send a message")).to_be_disabled()
        expect(chatter.locator("#chat-refusal")).to_contain_text("banned")
    finally:
        for context in contexts:
            context.close()


def test_modes_terms_and_the_user_card_from_the_dashboard(browser, arena):
    room, server = arena
    context, dashboard = logged_in(browser, server.url, "mod_mia", f"/mod/{room.slug}/")
    try:
        expect(dashboard.locator("#dash-status")).to_have_text("Live")
        dashboard.get_by_label("Emote-only").check()
        expect(dashboard.locator("#dash-feedback")).to_be_hidden()
        dashboard.get_by_label("AutoMod level").select_option("3")
        dashboard.locator("#term-pattern").fill("spoil*")
        dashboard.get_by_role("button", name="Block").click()
        expect(dashboard.locator("#term-list")).to_contain_text("spoil*")
        expect(dashboard.locator(".audit-entry", has_text="term add")).to_be_visible()
        room.refresh_from_db()
        assert (room.emote_only, room.automod_level) == (True, 3)

        dashboard.locator("#audit-filters [name=action]").select_option("term_add")
        expect(dashboard.locator(".audit-entry")).to_have_count(1)

        bad = dashboard.locator("#term-pattern")
        bad.fill("*")
        dashboard.get_by_role("button", name="Block").click()
        expect(dashboard.locator("#dash-feedback")).to_contain_text("letter")
    finally:
        context.close()


def test_a_non_moderator_gets_403_on_the_dashboard(browser, arena):
    room, server = arena
    context, page = logged_in(browser, server.url, "rowdy", f"/rooms/{room.slug}/")
    try:
        response = page.goto(f"/mod/{room.slug}/")
        assert response.status == 403
    finally:
        context.close()


def test_the_audit_log_pages_back(browser, arena):
    room, server = arena
    AuditEntry.objects.bulk_create(
        AuditEntry(room=room, action="mode", source="api", reason=f"change {n}") for n in range(130)
    )
    context, dashboard = logged_in(browser, server.url, "mod_mia", f"/mod/{room.slug}/")
    try:
        entries = dashboard.locator("#audit-list .audit-entry")
        expect(entries).to_have_count(100)
        dashboard.get_by_role("button", name="Older entries").click()
        expect(entries).to_have_count(130)
        expect(entries.last).to_contain_text("change 0")
        expect(dashboard.get_by_role("button", name="Older entries")).to_be_hidden()
    finally:
        context.close()


@WIDTHS
def test_the_dashboard_chats_and_runs_commands_with_badges_on_its_lines(browser, arena, width):
    from emotes.imaging import draw_demo_badge
    from emotes.services import badge_create

    room, server = arena
    badge_create(set_name="moderator", version="1", title="Moderator",
                 image=draw_demo_badge("M", "#0a0"))  # fmt: skip
    contexts = []
    try:
        viewer_context = browser.new_context(base_url=server.url)
        contexts.append(viewer_context)
        viewer = viewer_context.new_page()
        viewer.goto(f"/rooms/{room.slug}/")
        mod_context, dashboard = logged_in(
            browser, server.url, "mod_mia", f"/mod/{room.slug}/", width
        )
        contexts.append(mod_context)
        expect(dashboard.locator("#dash-status")).to_have_text("Live")

        box = dashboard.get_by_placeholder("Chat, or a command such as /slow 30")
        box.fill("hello from the dashboard")
        box.press("Enter")
        expect(viewer.locator(".chat-line", has_text="hello from the dashboard")).to_be_visible()
        line = dashboard.locator(".dash-line", has_text="hello from the dashboard")
        expect(line.locator("img.badge[alt=Moderator]")).to_be_visible()
        expect(box).to_have_value("")

        box.fill("/slow 30")
        box.press("Enter")
        expect(dashboard.locator("#dash-feedback")).to_contain_text("slow mode")
        expect(viewer.locator("#room-modes")).to_contain_text("Slow 30s")
        entry = dashboard.locator("#audit-list .audit-entry", has_text="slow_mode_seconds=30")
        expect(entry).to_contain_text("dashboard")
        snap(dashboard, f"dashboard-composer-{width}")
    finally:
        for context in contexts:
            context.close()
