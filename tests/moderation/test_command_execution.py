"""Chat commands through the one entry point every interface uses."""

import pytest

from chatsite.errors import ChatRefused
from moderation.models import AuditEntry, RoomBan
from rooms.actions.messages import CommandResult, chat_submit, message_send
from rooms.actions.rooms import membership_set
from rooms.models import Membership, Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
    told = run(room, mod, "/slow 45")
    assert told == "This room is now in slow mode: one message every 45 seconds."
    room.refresh_from_db()
    assert room.slow_mode_seconds == 45
    assert run(room, mod, "/emoteonly") == "This room is now in emote-only mode."
    assert run(room, mod, "/emoteonlyoff") == "This room is no longer in emote-only mode."
    assert run(room, mod, "/slowoff") == "This room is no longer in slow mode."
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
    assert run(room, room.owner, f"/mod {user.username}") == f"{user.chat_name} is now a moderator."
    assert run(room, room.owner, f"/vip {user.username}") == f"{user.chat_name} is now a VIP."
    membership = Membership.objects.get(room=room, user=user)
    assert membership.is_moderator
    assert membership.is_vip
    told = run(room, room.owner, f"/unmod {user.username}")
    assert told == f"{user.chat_name} is no longer a moderator."
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


EVERY_COMMAND = [
    "/timeout target_user 60", "/untimeout target_user", "/ban target_user", "/unban target_user",
    "/delete {message_id}", "/clear", "/slow 30", "/slowoff", "/emoteonly", "/emoteonlyoff",
    "/subscribers", "/subscribersoff", "/uniquechat", "/uniquechatoff", "/mod target_user",
    "/unmod target_user", "/vip target_user", "/unvip target_user",
]  # fmt: skip


def test_every_command_is_in_the_list():
    from moderation.commands import COMMANDS, EVERYONES

    assert {text.split()[0][1:] for text in EVERY_COMMAND} == set(COMMANDS) - set(EVERYONES)


def test_a_non_moderator_hears_first_that_the_command_is_for_moderators(room, user):
    from moderation.actions.commands import command_execute

    with pytest.raises(ChatRefused) as refused:  # even when the user does not exist
        command_execute(room=room, actor=user, text="/timeout nobody_at_all 60", source="api")
    assert refused.value.code == "not_allowed"
    assert "for this room's moderators" in refused.value.message
    assert "/help" in refused.value.message


def test_help_mods_and_vips_answer_everyone(room, user, mod):
    from moderation.actions.commands import command_execute

    vip = UserFactory(username="vee", display_name="Vee")
    membership_set(room=room, user=vip, is_vip=True)
    mine = command_execute(room=room, actor=user, text="/help", source="api")
    assert "/me" in mine
    assert "/timeout" not in mine
    assert "/timeout <user>" in command_execute(room=room, actor=mod, text="/help", source="api")
    assert mod.chat_name in command_execute(room=room, actor=user, text="/mods", source="api")
    assert command_execute(room=room, actor=user, text="/vips", source="api") == (
        "The VIPs of this room are: Vee."
    )


@pytest.mark.parametrize("role", ["regular", "subscriber", "vip"])
@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_no_command_works_for_someone_who_does_not_moderate(room, role, command):
    from moderation.actions.bans import user_timeout

    target = UserFactory(username="target_user")
    actor = UserFactory(username="not_a_mod")
    membership_set(room=room, user=actor, is_vip=role == "vip",
                   subscriber_tier=1 if role == "subscriber" else 0)  # fmt: skip
    membership_set(room=room, user=target, is_moderator=command.startswith("/unmod"),
                   is_vip=command.startswith("/unvip"))  # fmt: skip
    sent = message_send(room=room, author=target, text="hello").message
    if command.startswith(("/untimeout", "/unban")):
        user_timeout(room=room, actor=room.owner, target=target, seconds=60, source="api")
    before = (
        list(Message.objects.values_list("id", "state")),
        list(RoomBan.objects.values_list("user", "expires_at")),
        list(Membership.objects.values_list("user", "is_moderator", "is_vip")),
        AuditEntry.objects.count(),
    )
    room.refresh_from_db()
    modes = (room.slow_mode_seconds, room.emote_only, room.subscribers_only, room.unique_chat,
             room.cleared_seq)  # fmt: skip

    with pytest.raises(ChatRefused) as refused:
        chat_submit(room=room, author=actor, text=command.format(message_id=sent.id),
                    source="command")  # fmt: skip
    assert refused.value.code == "not_allowed"
    room.refresh_from_db()
    assert modes == (room.slow_mode_seconds, room.emote_only, room.subscribers_only,
                     room.unique_chat, room.cleared_seq)  # fmt: skip
    assert before == (
        list(Message.objects.values_list("id", "state")),
        list(RoomBan.objects.values_list("user", "expires_at")),
        list(Membership.objects.values_list("user", "is_moderator", "is_vip")),
        AuditEntry.objects.count(),
    )


def _banned(room, target):
    ban = RoomBan.objects.filter(room=room, user=target).first()
    return ban is not None and ban.expires_at is None


def _timed_out(room, target):
    ban = RoomBan.objects.filter(room=room, user=target).first()
    return ban is not None and ban.expires_at is not None


def _role(room, target, field):
    membership = Membership.objects.filter(room=room, user=target).first()
    return bool(membership and getattr(membership, field))


# What each command does, as whoever looks at the room afterwards would notice it:
# (the audit action it writes, the check that its effect happened).
EFFECTS = {
    "timeout": ("timeout", lambda room, target, sent: _timed_out(room, target)
                and Message.objects.get(pk=sent.pk).state == Message.State.DELETED),
    "untimeout": ("untimeout", lambda room, target, sent: not RoomBan.objects.exists()),
    "ban": ("ban", lambda room, target, sent: _banned(room, target)
            and Message.objects.get(pk=sent.pk).state == Message.State.DELETED),
    "unban": ("unban", lambda room, target, sent: not RoomBan.objects.exists()),
    "delete": ("delete", lambda room, target, sent:
               Message.objects.get(pk=sent.pk).state == Message.State.DELETED),
    "clear": ("clear", lambda room, target, sent: room.cleared_seq == sent.seq),
    "slow": ("mode", lambda room, target, sent: room.slow_mode_seconds == 30),
    "slowoff": ("mode", lambda room, target, sent: room.slow_mode_seconds == 0),
    "emoteonly": ("mode", lambda room, target, sent: room.emote_only),
    "emoteonlyoff": ("mode", lambda room, target, sent: not room.emote_only),
    "subscribers": ("mode", lambda room, target, sent: room.subscribers_only),
    "subscribersoff": ("mode", lambda room, target, sent: not room.subscribers_only),
    "uniquechat": ("mode", lambda room, target, sent: room.unique_chat),
    "uniquechatoff": ("mode", lambda room, target, sent: not room.unique_chat),
    "mod": ("mod", lambda room, target, sent: _role(room, target, "is_moderator")),
    "unmod": ("unmod", lambda room, target, sent: not _role(room, target, "is_moderator")),
    "vip": ("vip", lambda room, target, sent: _role(room, target, "is_vip")),
    "unvip": ("unvip", lambda room, target, sent: not _role(room, target, "is_vip")),
}  # fmt: skip


def test_every_command_has_its_effect():
    assert {text.split()[0][1:] for text in EVERY_COMMAND} == set(EFFECTS)


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_every_command_works_for_the_broadcaster(room, command):
    name = command.split()[0][1:]
    action, happened = EFFECTS[name]
    target = UserFactory(username="target_user")
    if name in ("unmod", "unvip"):
        membership_set(room=room, user=target, is_moderator=True, is_vip=True)
    sent = message_send(room=room, author=target, text="hello").message
    if name.endswith("off"):  # the mode is on first, so that turning it off changes it
        run(room, room.owner, f"/{name.removesuffix('off')}")
    if name == "untimeout":
        run(room, room.owner, "/timeout target_user 600")
    if name == "unban":
        run(room, room.owner, "/ban target_user")
    room.refresh_from_db()
    assert not happened(room, target, sent)  # not already so

    notice = run(room, room.owner, command.format(message_id=sent.id))

    room.refresh_from_db()
    assert happened(room, target, sent), notice
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.actor, entry.source) == (action, room.owner, "command")
