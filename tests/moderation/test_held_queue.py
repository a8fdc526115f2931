"""AutoMod's verdicts on stored messages, the held queue, pre-moderation, shadow bans, /clear.

Frames are read from the real Redis channel layer (``published``), after the
commit (``committing``), as every connected screen would get them.
"""

import pytest

from chatsite.errors import ChatRefused
from moderation import automod
from moderation.actions.automod import automod_review, held_allow, held_deny
from moderation.actions.bans import shadow_ban, shadow_unban
from moderation.actions.messages import chat_clear
from moderation.actions.rooms import room_mode_set
from moderation.actions.terms import room_term_add
from moderation.models import AuditEntry
from moderation.selectors import held_queue
from rooms.actions.messages import chat_submit, message_send
from rooms.actions.rooms import membership_set
from rooms.models import Message
from rooms.selectors import message_list_recent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RUDE = "you are a fucking idiot"


def groups(room, user=None):
    names = {"room": f"room.{room.id}", "mods": f"room.{room.id}.mods"}
    if user is not None:
        names["author"] = f"room.{room.id}.user.{user.id}"
    return names


def send(room, user, text, committing):
    with committing():
        return message_send(room=room, author=user, text=text).message


def test_a_held_message_leaves_every_screen_and_waits_for_the_moderators(
    room, user, published, committing
):
    sent = send(room, user, RUDE, committing)
    published.frames()
    with committing():
        assert automod_review(message_ids=[str(sent.id)]) == 1

    sent.refresh_from_db()
    assert sent.state == Message.State.HELD
    assert sent.held_reason == "insult 1.00"  # what the moderators read in the queue
    assert sent.automod_scores["profanity"] > 0.9
    frames, g = published.by_group(), groups(room, user)
    assert frames[g["room"]] == [{"type": "delete", "id": str(sent.id), "seq": sent.seq}]
    (notice,) = frames[g["author"]]
    assert notice["code"] == "hold"
    assert "held for review" in notice["message"]
    held = [f for f in frames[g["mods"]] if f["type"] == "held"]
    assert held[0]["item"]["original"] == RUDE
    assert held[0]["item"]["reason"] == sent.held_reason
    assert held_queue(room=room) == [sent]
    entry = AuditEntry.objects.get(action="hold")
    assert (entry.actor, entry.target, entry.source, entry.message) == (None, user, "automod", sent)


def test_review_is_idempotent(room, user, committing):
    sent = send(room, user, RUDE, committing)
    assert automod_review(message_ids=[str(sent.id)]) == 1
    assert automod_review(message_ids=[str(sent.id)]) == 0  # a redelivered task
    assert AuditEntry.objects.filter(action="hold").count() == 1


def test_ordinary_chat_stays_up_and_is_only_scored(room, user, published, committing):
    sent = send(room, user, "what a comeback, gg", committing)
    published.frames()
    automod_review(message_ids=[str(sent.id)])
    sent.refresh_from_db()
    assert sent.state == Message.State.VISIBLE
    assert set(sent.automod_scores) == set(automod.CATEGORIES)
    assert max(sent.automod_scores.values()) < 0.5
    assert published.frames() == []


def test_one_review_judges_a_batch(room, user, committing):
    messages = [send(room, UserFactory(), text, committing) for text in
                ["gg", RUDE, "nice play", "shut the fuck up"]]  # fmt: skip
    assert automod_review(message_ids=[str(m.id) for m in messages]) == 4
    states = [Message.objects.get(pk=m.pk).state for m in messages]
    assert states == ["visible", "held", "visible", "held"]


def test_allowing_a_held_message_shows_it_in_place_for_everyone(
    room, user, mod, published, committing
):
    sent = send(room, user, RUDE, committing)
    later = send(room, UserFactory(), "a later message", committing)
    automod_review(message_ids=[str(sent.id)])
    published.frames()
    with committing():
        held_allow(room=room, actor=mod, message_id=str(sent.id), source="dashboard")
    frames, g = published.by_group(), groups(room)
    (shown,) = frames[g["room"]]
    assert shown["type"] == "message"
    assert (shown["message"]["id"], shown["message"]["seq"]) == (str(sent.id), sent.seq)
    assert {"type": "held_resolved", "id": str(sent.id), "decision": "allow",
            "by": "the_mod"} in frames[g["mods"]]  # fmt: skip
    assert [m.id for m in message_list_recent(room=room)] == [sent.id, later.id]
    assert AuditEntry.objects.get(action="allow").source == "dashboard"


def test_denying_removes_it_for_good(room, user, mod, published, committing):
    sent = send(room, user, RUDE, committing)
    automod_review(message_ids=[str(sent.id)])
    published.frames()
    with committing():
        held_deny(room=room, actor=mod, message_id=str(sent.id), source="api")
    frames, g = published.by_group(), groups(room, user)
    assert g["room"] not in frames
    assert [(f["code"], f["id"]) for f in frames[g["author"]]] == [("deny", str(sent.id))]
    assert {"type": "held_resolved", "id": str(sent.id), "decision": "deny",
            "by": "the_mod"} in frames[g["mods"]]  # fmt: skip
    assert Message.objects.get(pk=sent.pk).state == Message.State.DELETED
    assert held_queue(room=room) == []
    with pytest.raises(ChatRefused) as refused:
        held_allow(room=room, actor=mod, message_id=str(sent.id), source="api")
    assert refused.value.code == "not_held"


def test_only_moderators_review_held_messages(room, user, committing):
    sent = send(room, user, RUDE, committing)
    automod_review(message_ids=[str(sent.id)])
    for act in (held_allow, held_deny):
        with pytest.raises(ChatRefused) as refused:
            act(room=room, actor=UserFactory(), message_id=str(sent.id), source="api")
        assert refused.value.code == "not_allowed"
    assert Message.objects.get(pk=sent.pk).state == Message.State.HELD


def test_pre_moderation_shows_nothing_until_automod_allows_it(
    room, user, mod, published, committing
):
    room_mode_set(room=room, actor=mod, field="pre_moderation", value=True, source="api")
    published.frames()
    fine = send(room, user, "hello everyone", committing)
    rude = send(room, UserFactory(), RUDE, committing)
    assert (fine.state, rude.state) == ("pending", "pending")
    frames, g = published.by_group(), groups(room)
    assert g["room"] not in frames  # nobody sees them yet
    assert [f["item"]["state"] for f in frames[g["mods"]]] == ["pending", "pending"]

    with committing():
        automod_review(message_ids=[str(fine.id), str(rude.id)])
    frames = published.by_group()
    assert [f["message"]["id"] for f in frames[g["room"]]] == [str(fine.id)]
    assert Message.objects.get(pk=rude.pk).state == Message.State.HELD


def test_moderators_skip_pre_moderation(room, mod, committing):
    room_mode_set(room=room, actor=mod, field="pre_moderation", value=True, source="api")
    assert send(room, mod, "rules are in the panel below", committing).state == "visible"


def test_level_zero_allows_everything(room, user, mod, committing):
    room_mode_set(room=room, actor=mod, field="automod_level", value=0, source="api")
    sent = send(room, user, RUDE, committing)
    automod_review(message_ids=[str(sent.id)])
    assert Message.objects.get(pk=sent.pk).state == Message.State.VISIBLE


def test_the_automod_level_is_zero_to_four(room, mod):
    with pytest.raises(ChatRefused) as refused:
        room_mode_set(room=room, actor=mod, field="automod_level", value=5, source="api")
    assert refused.value.code == "invalid_level"
    room.refresh_from_db()
    assert room.automod_level == 1


def test_a_shadow_banned_chatter_only_sees_their_own_messages(
    room, user, mod, published, committing
):
    shadow_ban(room=room, actor=mod, target=user, reason="spam bot", source="dashboard")
    published.frames()
    sent = send(room, user, "buy my stuff", committing)
    assert sent.state == Message.State.SHADOWED
    frames, g = published.by_group(), groups(room, user)
    assert g["room"] not in frames
    (own,) = frames[g["author"]]
    assert own["message"]["id"] == str(sent.id)
    assert "shadowed" not in own["message"]  # they are never told
    (marked,) = [f["message"] for f in frames[g["mods"]] if f["type"] == "message"]
    assert (marked["id"], marked["shadowed"]) == (str(sent.id), True)
    assert message_list_recent(room=room, viewer=user) == [sent]
    assert message_list_recent(room=room, viewer=UserFactory()) == []

    assert shadow_unban(room=room, actor=mod, target=user, source="api")
    assert send(room, user, "hello again", committing).state == Message.State.VISIBLE
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["shadow_ban", "unshadow_ban"]


def test_shadow_bans_follow_the_same_rules_as_bans(room, mod):
    other_mod = UserFactory()
    membership_set(room=room, user=other_mod, is_moderator=True)
    for target in (room.owner, other_mod):
        with pytest.raises(ChatRefused):
            shadow_ban(room=room, actor=mod, target=target, source="api")
    with pytest.raises(ChatRefused):
        shadow_ban(room=room, actor=UserFactory(), target=UserFactory(), source="api")


def test_clear_empties_every_screen_and_the_history(room, user, mod, published, committing):
    send(room, user, "one", committing)
    send(room, user, "two", committing)
    published.frames()
    with committing():
        result = chat_submit(room=room, author=mod, text="/clear", source="command")
    assert result.notice == "Chat cleared."
    frames = published.by_group()
    assert frames[f"room.{room.id}"] == [{"type": "clear_chat"}]
    assert message_list_recent(room=room) == []
    after = send(room, user, "three", committing)
    assert message_list_recent(room=room) == [after]
    assert AuditEntry.objects.get(action="clear").actor == mod


def test_a_regular_users_clear_changes_nothing(room, user, committing):
    send(room, UserFactory(), "still here", committing)
    with pytest.raises(ChatRefused) as refused:
        chat_clear(room=room, actor=user, source="command")
    assert refused.value.code == "not_allowed"
    assert len(message_list_recent(room=room)) == 1


def test_moderators_manage_the_rooms_blocked_terms(room, user, mod):
    room_term_add(room=room, actor=mod, pattern="spoiler*", source="dashboard")
    with pytest.raises(ChatRefused) as refused:
        message_send(room=room, author=user, text="SPOILERS ahead")
    assert refused.value.code == "blocked_term"
    with pytest.raises(ChatRefused) as refused:
        room_term_add(room=room, actor=user, pattern="gg", source="api")
    assert refused.value.code == "not_allowed"
    with pytest.raises(ChatRefused) as refused:
        room_term_add(room=room, actor=mod, pattern="**", source="api")
    assert refused.value.code == "invalid_term"
    assert AuditEntry.objects.get().action == "term_add"


def test_the_same_pitch_twice_is_held_as_spam(room, user, committing):
    """AutoMod reads what the sender said in the room before: one plug passes, the same
    plug again is spam (at the loosest level, too)."""
    pitch = "come check out my art page, link in bio"
    first = send(room, user, pitch, committing)
    other = send(room, UserFactory(), pitch, committing)  # someone else saying it is not
    between = send(room, user, "anyway, gg", committing)
    automod_review(message_ids=[str(first.id), str(other.id), str(between.id)])
    again = send(room, user, pitch + "!!", committing)
    automod_review(message_ids=[str(again.id)])
    states = [Message.objects.get(pk=m.pk).state for m in (first, other, again)]
    assert states == [Message.State.VISIBLE, Message.State.VISIBLE, Message.State.HELD]
    assert Message.objects.get(pk=again.pk).held_reason == "spam 0.95"
