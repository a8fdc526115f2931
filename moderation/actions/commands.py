"""Chat commands (``/timeout``, ``/ban``, ``/slow``...): parsed by ``moderation.commands``,
carried out by the same actions as the dashboard's and the API's."""

from chatsite.errors import ChatRefused, ErrorCode
from chatsite.users.models import User
from moderation.actions.bans import user_ban, user_timeout, user_unban
from moderation.actions.messages import chat_clear, message_delete
from moderation.actions.rooms import MODE_COMMANDS, ROLE_TITLES, role_set, room_mode_set
from moderation.commands import EVERYONES, HELP, CommandError, parse_command
from rooms.models import Room
from rooms.selectors import room_role_names, user_moderates


def command_execute(*, room: Room, actor, text: str, source: str) -> str:
    """Run a chat command typed by ``actor``; return the confirmation to show them."""
    try:
        command = parse_command(text)
    except CommandError as error:
        raise ChatRefused(ErrorCode(error.code), error.message) from error
    name = command.name
    if name in EVERYONES:
        return _everyones(room=room, actor=actor, name=name)
    if not user_moderates(room=room, user=actor):
        # Said before anything else (such as "no user called ..."): what it takes.
        raise ChatRefused(ErrorCode.NOT_ALLOWED, f"/{name} is for this room's moderators. "
                          "You can use /me, /help, /mods and /vips.")  # fmt: skip
    target = None
    if command.target is not None:
        target = User.objects.filter(username=command.target).first()
        if target is None:
            raise ChatRefused(ErrorCode.USER_NOT_FOUND, f"No user called {command.target}.")
    if name == "timeout":
        user_timeout(room=room, actor=actor, target=target, seconds=command.seconds,
                     reason=command.reason, source=source)  # fmt: skip
        return f"{target.chat_name} is timed out for {command.seconds} seconds."
    if name == "ban":
        user_ban(room=room, actor=actor, target=target, reason=command.reason, source=source)
        return f"{target.chat_name} is banned."
    if name in ("unban", "untimeout"):
        lifted = user_unban(room=room, actor=actor, target=target, source=source)
        return f"{target.chat_name} may chat again." if lifted else (
            f"{target.chat_name} was not banned or timed out.")  # fmt: skip
    if name in MODE_COMMANDS:
        field, value = MODE_COMMANDS[name]
        room_mode_set(room=room, actor=actor, field=field,
                      value=command.seconds if value is None else value, source=source)  # fmt: skip
        return _mode_notice(name, command.seconds)
    if name == "delete":
        message_delete(room=room, actor=actor, message_id=command.message_id, source=source)
        return "Message deleted."
    if name == "clear":
        chat_clear(room=room, actor=actor, source=source)
        return "Chat cleared."
    if name in ("mod", "unmod", "vip", "unvip"):
        role_set(room=room, actor=actor, target=target, role=name.removeprefix("un"),
                 granted=not name.startswith("un"), source=source)  # fmt: skip
        granted = not name.startswith("un")
        title = ROLE_TITLES[name.removeprefix("un")]
        return f"{target.chat_name} is {'now' if granted else 'no longer'} {title}."
    raise ChatRefused(ErrorCode.NOT_AVAILABLE, f"/{name} is not available yet.")


_MODE_NAMES = {"emoteonly": "emote-only", "subscribers": "subscribers-only",
               "uniquechat": "unique-chat"}  # fmt: skip


def _everyones(*, room: Room, actor, name: str) -> str:
    """The commands anyone may use: what they can type, who moderates, who is a VIP."""
    if name == "help":
        mine = ["/me <action>", "/help", "/mods", "/vips"]
        if user_moderates(room=room, user=actor):
            mine += list(HELP.values())
        return "Commands you can use here: " + "; ".join(mine) + "."
    if name == "mods":
        names = room_role_names(room=room, role="moderator")
        if not names:
            return "This room has no moderators."
        return "The moderators of this room are: " + ", ".join(names) + "."
    names = room_role_names(room=room, role="vip")
    if not names:
        return "This room has no VIPs."
    return "The VIPs of this room are: " + ", ".join(names) + "."


def _mode_notice(name: str, seconds: int | None) -> str:
    """What Twitch tells a moderator who turned a mode on or off."""
    if name == "slow":
        return f"This room is now in slow mode: one message every {seconds} seconds."
    if name == "slowoff":
        return "This room is no longer in slow mode."
    if name.endswith("off"):
        return f"This room is no longer in {_MODE_NAMES[name.removesuffix('off')]} mode."
    return f"This room is now in {_MODE_NAMES[name]} mode."
