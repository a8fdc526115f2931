"""Our frames as Twitch's IRC lines: what Twitch clients parse."""

from irc import twitch
from irc.lines import serialize

MESSAGE = {
    "id": "b34ccfc7-4977-403a-8a94-33c6bac34fb8",
    "seq": 12,
    "author": {"id": 7, "login": "talker", "display_name": "Talker", "color": "#FF4500",
               "badges": [["moderator", "1"], ["subscriber", "6"], ["turbo", "1"]],
               "subscriber_months": 8},
    "text": "PogHype hello PogHype; bye",
    "emotes": [["25", 0, 6], ["25", 14, 20]],
    "engine": "instant",
    "sent_at": "2026-12-01T10:00:00.123Z",
}  # fmt: skip


def test_a_message_is_a_privmsg_with_twitchs_tags():
    line = twitch.privmsg(MESSAGE, slug="main_stage", room_id=3)
    assert line.prefix == "talker!talker@talker.tmi.twitch.tv"
    assert line.params == ("#main_stage", "PogHype hello PogHype; bye")
    assert line.tags == {
        "badge-info": "subscriber/8", "badges": "moderator/1,subscriber/6,turbo/1",
        "color": "#FF4500", "display-name": "Talker", "emotes": "25:0-6,14-20",
        "first-msg": "0", "id": MESSAGE["id"], "mod": "1", "room-id": "3", "subscriber": "1",
        "tmi-sent-ts": "1796119200123", "turbo": "1", "user-id": "7", "user-type": "mod",
    }  # fmt: skip
    assert "vip" not in line.tags
    assert serialize(line).endswith(" PRIVMSG #main_stage :PogHype hello PogHype; bye")


def test_a_chatters_first_message_in_the_room_is_tagged_first_msg():
    line = twitch.privmsg({**MESSAGE, "first": True}, slug="main_stage", room_id=3)
    assert line.tags["first-msg"] == "1"


def test_a_vip_is_tagged_and_several_emotes_are_grouped_by_id():
    vip = {key: value for key, value in MESSAGE["author"].items() if key != "subscriber_months"}
    message = {**MESSAGE, "author": {**vip, "badges": [["vip", "1"]]},
               "emotes": [["1", 0, 1], ["2", 3, 4], ["1", 6, 7]]}  # fmt: skip
    line = twitch.privmsg(message, slug="r", room_id=1)
    assert (line.tags["vip"], line.tags["mod"], line.tags["badge-info"]) == ("1", "0", "")
    assert line.tags["emotes"] == "1:0-1,6-7/2:3-4"


def test_timeouts_bans_and_clears():
    timeout = twitch.clearchat(slug="r", room_id=1, login="rowdy", user_id=9, duration=600)
    assert serialize(timeout) == (
        "@room-id=1;ban-duration=600;target-user-id=9 :tmi.twitch.tv CLEARCHAT #r rowdy"
    )
    ban = twitch.clearchat(slug="r", room_id=1, login="rowdy", user_id=9)
    assert "ban-duration" not in ban.tags
    assert serialize(twitch.clearchat(slug="r", room_id=1)) == (
        "@room-id=1 :tmi.twitch.tv CLEARCHAT #r"
    )
    deleted = twitch.clearmsg(slug="r", room_id=1, login="rowdy", message_id="abc", text="oops")
    assert deleted.tags == {"login": "rowdy", "room-id": "1", "target-msg-id": "abc"}


STATE = {"type": "room_state", "room": "r", "slow_mode_seconds": 30, "emote_only": True,
         "subscribers_only": False, "unique_chat": False, "pre_moderation": False,
         "automod_level": 1}  # fmt: skip


def test_roomstate_whole_and_partial():
    assert twitch.roomstate(STATE, room_id=4).tags == {
        "followers-only": "-1", "emote-only": "1", "r9k": "0", "slow": "30", "subs-only": "0",
        "room-id": "4"}  # fmt: skip
    partial = twitch.roomstate(STATE, room_id=4, only={"slow_mode_seconds"})
    assert partial.tags == {"slow": "30", "room-id": "4"}


def test_refusals_carry_twitchs_msg_ids():
    assert twitch.msg_id("slow_mode") == "msg_slowmode"
    assert twitch.msg_id("unique_chat") == "msg_r9k"
    assert twitch.msg_id("hold") == "msg_rejected"
    assert twitch.msg_id("something_new") == "msg_rejected"
    line = twitch.notice("This room is in slow mode.", code="msg_slowmode", slug="r")
    assert serialize(line) == (
        "@msg-id=msg_slowmode :tmi.twitch.tv NOTICE #r :This room is in slow mode."
    )


def test_the_welcome_ends_with_376():
    lines = twitch.welcome("talker")
    assert [line.command for line in lines] == ["001", "002", "003", "004", "375", "372", "376"]
    assert all(line.params[0] == "talker" and line.prefix == "tmi.twitch.tv" for line in lines)


def test_command_confirmations_carry_the_msg_ids_twitch_clients_wait_for():
    assert [twitch.command_id(name) for name in ("timeout", "ban", "unban", "delete", "slow",
            "slowoff", "emoteonly", "subscribersoff", "r9kbeta", "uniquechatoff", "mod")] == [
        "timeout_success", "ban_success", "unban_success", "delete_message_success", "slow_on",
        "slow_off", "emote_only_on", "subs_off", "r9k_on", "r9k_off", "mod_success",
    ]  # fmt: skip
