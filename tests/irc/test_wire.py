"""A room's frames as IRC lines: what the hub's IRC connections get."""

from types import SimpleNamespace

from irc.lines import serialize
from irc.wire import _RoomLines, translate

ROOM = SimpleNamespace(slug="r", id=5)
MESSAGE = {"id": "m1", "seq": 1, "text": "hello", "emotes": [], "engine": "instant",
           "sent_at": "2026-12-01T10:00:00.000Z",
           "author": {"id": 9, "login": "talker", "display_name": "Talker", "color": "#FF4500",
                      "badges": []}}  # fmt: skip


def lines(memory, frame):
    author, out = translate(ROOM, memory, frame)
    return author, [serialize(line) for line in out]


def test_an_llm_rewrite_clears_the_old_text_then_sends_the_new():
    memory = _RoomLines()
    assert lines(memory, {"type": "message", "prev": 0, "message": MESSAGE})[0] == 9
    author, out = lines(memory, {"type": "update", "id": "m1", "seq": 1, "text": "hark",
                                 "emotes": [], "engine": "llm:x"})  # fmt: skip
    assert author == 9
    assert out[0] == "@login=talker;room-id=5;target-msg-id=m1 :tmi.twitch.tv CLEARMSG #r hello"
    assert out[1].endswith("PRIVMSG #r hark")
    assert "id=m1;" in out[1]


def test_an_automod_hold_is_a_msg_rejected_notice():
    _, out = lines(_RoomLines(), {"type": "notice", "code": "hold", "id": "m1",
                                  "message": "Your message is being held."})  # fmt: skip
    assert out == ["@msg-id=msg_rejected :tmi.twitch.tv NOTICE #r :Your message is being held."]


def test_a_shadowed_copy_and_the_moderators_own_frames_are_not_sent():
    memory = _RoomLines()
    shadowed = {"type": "message", "message": {**MESSAGE, "shadowed": True}}
    assert lines(memory, shadowed) == (None, [])
    for frame in ({"type": "original", "id": "m1", "seq": 1, "original": "x"},
                  {"type": "audit", "entry": {}}, {"type": "held", "item": {}}):  # fmt: skip
        assert lines(memory, frame) == (None, [])
