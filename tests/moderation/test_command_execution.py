"""Chat commands through the one entry point every interface uses."""

import pytest

from moderation.models import AuditEntry, RoomBan
from rooms.exceptions import ChatRefused
from rooms.models import Membership, Message
from rooms.services import CommandResult, chat_submit, membership_set, message_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod(room):
    moderator = UserFactory(username="the_mod")
    membership_set(room=room, user=moderator, is_moderator=True)
    return moderator


def run(room, actor, text) -> str:
    result = chat_submit(room=room, author=actor, text=text, source="command")
    assert isinstance(result, CommandResult)
    return result.notice


def test_a_moderator_times_out_with_a_command(room, mod):
    rowdy = UserFactory(username="rowdy", display_name="Rowdy")
    assert run(room, mod, "/timeout rowdy 90 cool it") == "Rowdy is timed out for 90 seconds."
    ban = RoomBan.objects.get(user=rowdy)
    assert ban.reason == "cool it"
    assert AuditEntry.objects.get().source == "command"


def test_a_regular_users_ban_command_changes_nothing(room, user):
    UserFactory(username="victim")
    with pytest.raises(ChatRefused) as refused:
        chat_submit(room=room, author=user, text="/ban victim", source="command")
    assert refused.value.code == "not_allowed"
    assert not RoomBan.objects.exists()
    assert not Message.objects.exists()  # and it was not posted as a message either


def test_mode_commands_change_the_room(room, mod, user):
    run(room, mod, "/slow 45")
    room.refresh_from_db()
    assert room.slow_mode_seconds == 45
    run(room, mod, "/emoteonly")
    run(room, mod, "/emoteonlyoff")
    run(room, mod, "/slowoff")
    room.refresh_from_db()
    assert (room.slow_mode_seconds, room.emote_only) == (0, False)
    assert AuditEntry.objects.filter(action="mode").count() == 4
    with pytest.raises(ChatRefused):
        chat_submit(room=room, author=user, text="/slow 5", source="command")


def test_delete_removes_one_message(room, mod, user):
    sent = message_send(room=room, author=user, text="oops").message
    assert run(room, mod, f"/delete {sent.id}") == "Message deleted."
    assert Message.objects.get(pk=sent.pk).state == Message.State.DELETED
    with pytest.raises(ChatRefused) as refused:
        chat_submit(room=room, author=mod, text="/delete not-a-uuid", source="command")
    assert refused.value.code == "message_not_found"


def test_only_the_broadcaster_makes_moderators_and_vips(room, mod, user):
    with pytest.raises(ChatRefused):
        chat_submit(room=room, author=mod, text=f"/mod {user.username}", source="command")
    run(room, room.owner, f"/mod {user.username}")
    run(room, room.owner, f"/vip {user.username}")
    membership = Membership.objects.get(room=room, user=user)
    assert membership.is_moderator
    assert membership.is_vip
    run(room, room.owner, f"/unmod {user.username}")
    membership.refresh_from_db()
    assert not membership.is_moderator


def test_unknown_commands_and_users_are_explained(room, mod):
    for text, code in [("/launch", "unknown_command"), ("/ban nobody_here", "user_not_found"),
                       ("/launch2", "unknown_command")]:  # fmt: skip
        with pytest.raises(ChatRefused) as refused:
            chat_submit(room=room, author=mod, text=text, source="command")
        assert refused.value.code == code


def test_a_slash_from_an_anonymous_sender_is_just_refused(room):
    with pytest.raises(ChatRefused) as refused:
        chat_submit(room=room, author=None, text="/ban x", source="api")
    assert refused.value.code == "not_logged_in"
