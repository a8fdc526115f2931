"""Live chat in real browsers against real web processes."""

import contextlib
import random
import re
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from emotes.imaging import draw_demo_badge, draw_demo_emote
from emotes.services import badge_create, emote_create
from rooms.actions.messages import message_send
from rooms.actions.rooms import membership_set
from rooms.demo import demo_say
from rooms.models import Room
from tests.conftest import PASSWORD
from tests.e2e.conftest import snap
from tests.factories import RoomFactory, StyleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
HOSTILE = '<img src=x onerror="window.pwned=1"> <script>window.pwned=1</script> javascript:alert(1)'


@pytest.fixture
def stage(asgi_server):
    room = RoomFactory(slug="main_stage", title="Main Stage")
    chatter = UserFactory(username="talker", display_name="Talker", chat_color="#FF4500")
    membership_set(room=room, user=chatter, is_moderator=True)
    emote_create(code="PogHype", image=draw_demo_emote("open", "#ffcc4d"))
    badge_create(
        set_name="moderator", version="1", title="Moderator", image=draw_demo_badge("M", "#0a0")
    )
    return room, chatter, asgi_server()


def log_in(page, base_url: str, login: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next=/rooms/main_stage/")
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_placeholder("Send a message")).to_be_enabled()
    expect(page.locator("#viewer-count")).to_have_text(re.compile(r"^\d+$"))  # connected


def on_screen(browser, width: int, **options):
    """A browser window of ``width``; a phone's is a touch screen without a pointer."""
    phone = {"is_mobile": True, "has_touch": True} if width < 600 else {}
    return browser.new_context(viewport={"width": width, "height": 800}, **phone, **options)


@contextlib.contextmanager
def talker_and_reader(browser, base_url: str, width: int):
    """Two windows of ``width``: the room's moderator Talker and a chatter, Reader, logged in."""
    contexts = [on_screen(browser, width), on_screen(browser, width)]
    try:
        talker, reader = (context.new_page() for context in contexts)
        log_in(talker, base_url, "talker")
        log_in(reader, base_url, "reader")
        yield talker, reader
    finally:
        for context in contexts:
            context.close()


@WIDTHS
def test_a_message_appears_for_an_anonymous_viewer_with_badge_and_emote(browser, stage, width):
    room, _chatter, server = stage
    viewer_context = on_screen(browser, width, color_scheme="dark")
    chatter_context = on_screen(browser, width)
    try:
        viewer = viewer_context.new_page()
        viewer.goto(f"{server.url}/rooms/{room.slug}/")
        expect(viewer.locator("#viewer-count")).to_have_text("1")

        page = chatter_context.new_page()
        log_in(page, server.url, "talker")
        expect(viewer.locator("#viewer-count")).to_have_text("2")

        box = page.get_by_placeholder("Send a message")
        box.fill("PogHype hello chat")
        expect(page.locator("#chat-counter")).to_have_text("18/500")
        box.press("Enter")
        expect(box).to_have_value("")

        line = viewer.locator(".chat-line", has_text="hello chat")
        expect(line).to_be_visible()
        expect(line.locator(".chat-name")).to_have_text("Talker")
        # The chatter's own colour: it reads well on the dark theme as it is.
        expect(line.locator(".chat-name")).to_have_css("color", "rgb(255, 69, 0)")
        expect(line.locator("img.badge")).to_have_attribute("alt", "Moderator")
        expect(line.locator("img.emote")).to_have_attribute("alt", "PogHype")
        emote = line.locator("img.emote")
        expect(emote).to_have_js_property("complete", True)  # the image has loaded
        assert emote.evaluate("img => img.naturalWidth") == 28
        assert emote.evaluate("img => img.getBoundingClientRect().height") == 28

        box.fill(HOSTILE)
        box.press("Enter")
        hostile = viewer.locator(".chat-line", has_text="javascript:alert(1)")
        expect(hostile.locator(".chat-text")).to_have_text(HOSTILE)
        assert hostile.locator(".chat-text img, .chat-text script").count() == 0
        assert viewer.evaluate("window.pwned") is None

        # /me: an action, in the chatter's colour, without the colon.
        box.fill("/me waves at everyone")
        box.press("Enter")
        action = viewer.locator(".chat-line.action", has_text="everyone")
        expect(action.locator(".chat-text")).to_have_css("color", "rgb(255, 69, 0)")
        expect(action.locator(".chat-text")).to_have_css("font-style", "italic")
        assert action.locator(".chat-colon").count() == 0

        # A reply: the chatter answers someone else's message; everyone sees what it answers.
        asker = UserFactory(username="asker", display_name="Asker")
        message_send(room=room, author=asker, text="who is here")
        asked = page.locator(".chat-line", has_text="Asker")
        if width < 600:  # no hover on a touch screen: the button is in sight, to tap
            expect(asked.get_by_role("button", name="Reply")).to_have_css("opacity", "0.7")
            asked.get_by_role("button", name="Reply").tap()
        else:
            asked.hover()
            asked.get_by_role("button", name="Reply").click()
        expect(page.locator("#chat-replying-to")).to_have_text("Replying to @Asker")
        box.fill("me, for one")
        box.press("Enter")
        expect(page.locator("#chat-replying")).to_be_hidden()
        expect(viewer.locator(".chat-line .reply-to")).to_contain_text("Replying to @Asker")
        snap(viewer, f"first-messages-{width}")

        # Closing the chatter's tab moves the count back.
        page.close()
        expect(viewer.locator("#viewer-count")).to_have_text("1")
    finally:
        viewer_context.close()
        chatter_context.close()


def test_a_refusal_shows_its_reason_and_a_countdown(browser, stage):
    _room, _chatter, server = stage
    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, server.url, "talker")
        box = page.get_by_placeholder("Send a message")
        box.fill("same again")
        box.press("Enter")
        expect(box).to_have_value("")
        box.fill("same again")
        box.press("Enter")
        refusal = page.locator("#chat-refusal")
        expect(refusal).to_contain_text("identical")
        expect(refusal).to_have_text(re.compile(r"\(\d+s\)$"))
        expect(box).to_have_value("same again")
    finally:
        context.close()


def test_both_clients_reconnect_after_a_restart_without_gaps_or_duplicates(
    browser, stage, asgi_server
):
    room, chatter, server = stage
    port = int(server.url.rsplit(":", 1)[1])
    viewer_context, chatter_context = browser.new_context(), browser.new_context()
    try:
        viewer = viewer_context.new_page()
        viewer.goto(f"{server.url}/rooms/{room.slug}/")
        page = chatter_context.new_page()
        log_in(page, server.url, "talker")
        box = page.get_by_placeholder("Send a message")
        box.fill("before the restart")
        box.press("Enter")
        expect(viewer.locator(".chat-line", has_text="before the restart")).to_have_count(1)
        box.fill("a line a moderator deletes while the viewer is away")
        box.press("Enter")
        doomed = viewer.locator(".chat-line", has_text="while the viewer is away")
        expect(doomed).to_have_count(1)

        server.stop()
        expect(viewer.locator("#chat-status")).to_contain_text("Reconnecting")
        expect(page.locator("#chat-status")).to_contain_text("Reconnecting")

        # Messages stored while the viewer is away, sent through the service from
        # a thread of their own (Playwright's event loop owns this one).
        def send_while_away():
            from moderation.actions.messages import message_delete
            from rooms.models import Message

            line = Message.objects.get(original_text__endswith="while the viewer is away")
            message_delete(room=room, actor=room.owner, message_id=str(line.id), source="api")
            for n in range(3):
                message_send(room=room, author=chatter, text=f"while away {n}")

        with ThreadPoolExecutor(1) as pool:
            pool.submit(send_while_away).result()
        asgi_server(port)

        expect(viewer.locator("#chat-status")).to_be_hidden(timeout=40000)
        expect(page.locator("#chat-status")).to_be_hidden(timeout=40000)
        box.fill("after the restart")
        box.press("Enter")
        expect(viewer.locator(".chat-line", has_text="after the restart")).to_have_count(1)
        texts = viewer.locator(".chat-line .chat-text").all_text_contents()
        assert texts == [
            "before the restart",
            "<message deleted>",  # deleted while the viewer was away: resuming says so
            "while away 0",
            "while away 1",
            "while away 2",
            "after the restart",
        ]
    finally:
        viewer_context.close()
        chatter_context.close()


def test_a_lost_publication_is_noticed_and_the_message_still_arrives(browser, stage, monkeypatch):
    """A message stored but never published: a frame whose prev is past the page's newest seq
    makes the page reconnect with ?since=, and the server's hub, which checks the room's
    newest stored seq every few seconds, delivers the lost line (once, in its place)."""
    from rooms import events
    from rooms.actions import messages as services

    room, chatter, server = stage
    context = browser.new_context()
    try:
        page = context.new_page()
        sockets = []
        page.on("websocket", lambda socket: sockets.append(socket.url))
        page.goto(f"{server.url}/rooms/{room.slug}/")
        expect(page.locator("#viewer-count")).to_have_text("1")
        message_send(room=room, author=chatter, text="everyone saw this one")
        expect(page.locator(".chat-line", has_text="everyone saw this one")).to_be_visible()

        # Stored and acknowledged, but its publication is lost on the way (never sent).
        with monkeypatch.context() as lost:
            lost.setattr(services.events, "publish_many", lambda envelopes, along=None: None)
            missed = message_send(room=room, author=chatter, text="the one that got lost").message
        # The next frame says everyone got the lost one before it.
        stray = {"prev": missed.seq, "type": "message", "message": {"seq": missed.seq + 1}}
        events.broadcast(room.id, stray)

        expect(page.locator(".chat-line", has_text="the one that got lost")).to_be_visible(
            timeout=20_000
        )
        assert len(sockets) == 2
        assert sockets[-1].endswith(f"?since={missed.seq - 1}")  # resumed, not restarted
        lines = page.locator(".chat-line:not(.system)").all_inner_texts()
        assert [line.split(":", 1)[1].strip() for line in lines] == [
            "everyone saw this one",
            "the one that got lost",
        ]
    finally:
        context.close()


@WIDTHS
def test_mentions_stand_out_tab_completes_and_up_recalls(browser, stage, width):
    room, chatter, server = stage
    UserFactory(username="reader", display_name="Reader")
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        log_in(page, server.url, "reader")
        message_send(room=room, author=chatter, text="hey @reader look at this")
        message_send(room=room, author=chatter, text="nothing for anyone")
        mention = page.locator(".chat-line", has_text="look at this")
        expect(mention).to_have_class(re.compile(r"\bmention\b"))
        expect(page.locator(".chat-line", has_text="nothing for anyone")).not_to_have_class(
            re.compile(r"\bmention\b")
        )

        box = page.get_by_placeholder("Send a message")
        box.fill("so Pog")
        box.press("Tab")
        expect(box).to_have_value("so PogHype ")
        box.press_sequentially("@Ta")
        box.press("Tab")
        expect(box).to_have_value("so PogHype @Talker ")
        box.press_sequentially("@rea")  # from the chatter list: the reader has not chatted
        box.press("Tab")
        expect(box).to_have_value("so PogHype @Talker @reader ")
        box.press("Backspace")
        for _ in range(len("@reader")):
            box.press("Backspace")
        box.press("Enter")
        expect(box).to_have_value("")
        expect(page.locator(".chat-line", has_text="@Talker").first).to_be_visible()
        box.press("ArrowUp")
        expect(box).to_have_value("so PogHype @Talker")

        # ":" and two letters: the emotes it may be, above the box.
        box.fill("")
        box.press_sequentially("gg :pog")
        page.locator("#emote-suggestions").get_by_role("button", name="PogHype").click()
        expect(box).to_have_value("gg PogHype ")
        expect(page.locator("#emote-suggestions")).to_be_hidden()

        # The pointer on the chat holds it still: new lines wait below until it leaves.
        page.locator("#chat-log").hover()
        message_send(room=room, author=chatter, text="while you were reading")
        expect(page.locator(".chat-line", has_text="while you were reading")).to_be_attached()
        expect(page.locator("#more-below")).to_be_visible()
        page.mouse.move(1, 1)
        expect(page.locator("#more-below")).to_be_hidden()
        snap(page, f"mentions-completion-{width}")
    finally:
        context.close()


@WIDTHS
def test_the_emote_picker_and_the_settings_kept_in_the_browser(browser, stage, width):
    room, chatter, server = stage
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        log_in(page, server.url, "talker")
        page.get_by_role("button", name="Emotes").click()
        page.get_by_role("button", name="PogHype").click()
        box = page.get_by_placeholder("Send a message")
        expect(box).to_have_value("PogHype ")
        expect(page.locator("#chat-counter")).to_have_text("8/500")

        message_send(room=room, author=chatter, text="what time is it")
        line = page.locator(".chat-line", has_text="what time is it")
        expect(line.locator("time")).to_be_hidden()  # on hover only, by default
        page.get_by_role("button", name="Settings").click()
        page.get_by_label("Show timestamps").check()
        page.get_by_label("Larger text").check()
        expect(line.locator("time")).to_be_visible()
        # Talker's #FF4500 reads as chosen on this light page; off, it stays exactly that.
        page.get_by_label("Readable name colours").uncheck()
        expect(line.locator(".chat-name")).to_have_css("color", "rgb(255, 69, 0)")
        page.reload()  # kept in this browser
        again = page.locator(".chat-line", has_text="what time is it")
        expect(again.locator("time")).to_be_visible()
        expect(page.locator("body")).to_have_class(re.compile(r"\blarge-chat\b"))
        snap(page, f"picker-settings-{width}")
    finally:
        context.close()


@WIDTHS
def test_the_chatter_list_groups_who_is_here_by_role(browser, stage, width):
    _room, _chatter, server = stage
    UserFactory(username="reader", display_name="Reader")
    with talker_and_reader(browser, server.url, width) as (_talker, reader):
        reader.get_by_role("button", name="Chatters").click()
        panel = reader.locator("#chatters")
        expect(panel.locator("h3", has_text="Moderators (1)")).to_be_visible()
        expect(panel).to_contain_text("talker")
        expect(panel.locator("h3", has_text="Chatters (1)")).to_be_visible()
        expect(panel).to_contain_text("reader")
        snap(reader, f"chatter-list-{width}")


@WIDTHS
def test_a_click_on_a_name_opens_the_user_card_with_moderator_actions(browser, stage, width):
    room, chatter, server = stage
    reader = UserFactory(username="reader", display_name="Reader")
    with talker_and_reader(browser, server.url, width) as (moderator_page, reader_page):
        message_send(room=room, author=reader, text="first time here")
        message_send(room=room, author=chatter, text="welcome in")

        # Anyone sees who someone is.
        reader_page.locator(".chat-line", has_text="welcome in").locator(".chat-name").click()
        card = reader_page.locator("#user-card")
        expect(card).to_contain_text("Moderator")
        expect(card).to_contain_text("Account created 0 days ago")
        expect(card.get_by_role("button", name="Ban")).to_have_count(0)
        card.get_by_role("button", name="Close").click()
        expect(card).to_be_hidden()

        # A moderator also sees their recent messages, and acts in one click.
        moderator_page.locator(".chat-line", has_text="first time here").locator(
            ".chat-name"
        ).click()
        card = moderator_page.locator("#user-card")
        expect(card.locator(".card-recent")).to_contain_text("first time here")
        card.get_by_role("button", name="Timeout 10 min").click()
        expect(moderator_page.locator(".chat-line.system", has_text="timed out")).to_be_visible()
        expect(reader_page.get_by_placeholder("Send a message")).to_be_disabled()
        # A line taken down offers nothing to answer.
        gone = moderator_page.locator(".chat-line.deleted")
        expect(gone.locator(".chat-text")).to_have_text("<message deleted>")
        expect(gone.get_by_role("button", name="Reply")).to_have_count(0)
        snap(moderator_page, f"user-card-timeout-{width}")


@WIDTHS
def test_commands_tell_each_chatter_what_they_may_do(browser, stage, width):
    _room, _chatter, server = stage
    UserFactory(username="reader", display_name="Reader")
    with talker_and_reader(browser, server.url, width) as (moderator, reader):
        box = reader.get_by_placeholder("Send a message")

        box.fill("/help")
        box.press("Enter")
        help_line = reader.locator(".chat-line.system", has_text="Commands you can use here")
        expect(help_line).to_have_text(
            "Commands you can use here: /me <action>; /help; /mods; /vips."
        )
        box.fill("/mods")
        box.press("Enter")
        expect(
            reader.locator(".chat-line.system", has_text="moderators of this room")
        ).to_have_text("The moderators of this room are: Talker.")
        box.fill("/vips")
        box.press("Enter")
        expect(reader.locator(".chat-line.system", has_text="no VIPs")).to_have_text(
            "This room has no VIPs."
        )
        # A moderator's command from someone who is not one: refused, saying what it takes,
        # before anything else about it (there is no user called "nobody").
        box.fill("/timeout nobody 60")
        box.press("Enter")
        expect(reader.locator("#chat-refusal")).to_contain_text(
            "/timeout is for this room's moderators. You can use /me, /help, /mods and /vips."
        )
        expect(box).to_have_value("/timeout nobody 60")  # kept, to fix or drop
        assert reader.locator(".chat-line:not(.system)").count() == 0  # nothing was sent

        # A moderator's /help lists the moderator commands too.
        mod_box = moderator.get_by_placeholder("Send a message")
        mod_box.fill("/help")
        mod_box.press("Enter")
        expect(
            moderator.locator(".chat-line.system", has_text="Commands you can use")
        ).to_contain_text("/timeout <user> [duration] [reason]")
        snap(reader, f"commands-{width}")


FAMILY, FLAG, THUMB = "👨‍👩‍👧", "🏳️‍🌈", "👍🏽"


@WIDTHS
def test_emote_codes_and_emoji_sequences_arrive_as_typed(browser, stage, width):
    """In a room whose style lowercases everything, what is not words comes through exactly:
    the room's emote (an image), codes from elsewhere, and emoji made of several code points
    (each still one picture)."""
    room, _chatter, server = stage
    style = StyleFactory(slug="loud_lower", instant_rules={"casing": "lower"})
    room.style = style
    room.save(update_fields=["style"])
    viewer_context = browser.new_context(viewport={"width": width, "height": 800})
    chatter_context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        viewer = viewer_context.new_page()
        viewer.goto(f"{server.url}/rooms/{room.slug}/")
        expect(viewer.locator("#viewer-count")).to_have_text(re.compile(r"^\d+$"))
        page = chatter_context.new_page()
        log_in(page, server.url, "talker")
        box = page.get_by_placeholder("Send a message")
        box.fill(f"WHAT A PLAY PogHype Kappa LUL {FAMILY} {FLAG} {THUMB} 😀")
        box.press("Enter")

        line = viewer.locator(".chat-line", has_text="Kappa")
        expect(line.locator("img.emote")).to_have_attribute("alt", "PogHype")
        text = line.locator(".chat-text").inner_text()
        assert "what a play" in text  # the style did its work on the words...
        for kept in ("Kappa", "LUL", FAMILY, FLAG, THUMB):  # ...and left the rest as typed
            assert kept in text, (kept, text)
        # Each sequence is drawn as one picture, no wider than a single emoji (the last).
        widths = line.locator(".chat-text").evaluate(
            """(body, sequences) => sequences.map(sequence => {
                const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const at = node.data.indexOf(sequence);
                    if (at < 0) continue;
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + sequence.length);
                    return range.getBoundingClientRect().width;
                }
                return null;
            })""",
            [FAMILY, FLAG, THUMB, "😀"],
        )
        one = widths[-1]
        assert all(w is not None and 0 < w < one * 1.5 for w in widths), widths
        snap(viewer, f"faithful-text-{width}")
    finally:
        viewer_context.close()
        chatter_context.close()


@WIDTHS
def test_a_first_visit_finds_the_demo_rooms_alive(browser, asgi_server, settings, tmp_path, width):
    """``seed_demo`` (as ``make run`` runs it) leaves a backlog in every demo room, and a demo
    chatter's line arrives live, through the same send path as everyone's."""
    settings.VAR_DIR = tmp_path  # (where it writes the demo passwords)
    call_command("seed_demo", stdout=StringIO())
    server = asgi_server()
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/")
        page.get_by_role("link", name="Bestie Lounge").click()
        lines = page.locator(".chat-line:not(.system)")
        expect(lines.nth(4)).to_be_visible()  # at least five lines before anyone says a word
        backlog = lines.count()
        room = Room.objects.get(slug="bestie_lounge")
        said = None
        rng = random.Random(7)
        while said is None:  # (a rule may refuse a line: a duplicate, say)
            said = demo_say(rng, [room])
        expect(lines).to_have_count(backlog + 1)
        expect(lines.last).to_contain_text(said.removeprefix("/me "))
        snap(page, f"demo-room-{width}")
    finally:
        context.close()
