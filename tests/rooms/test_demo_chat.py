"""The demo looks alive: a backlog in each demo room, then lines now and then, all through
the real send path."""

import random

import pytest

from rooms.demo import LINES, demo_backlog, demo_say, demo_seed
from rooms.models import Message, Room

pytestmark = pytest.mark.django_db


def test_each_demo_room_gets_a_backlog_once(committing):
    demo_seed()
    with committing():
        said = demo_backlog(random.Random(1), per_room=5)
    assert said >= 12  # (a rule may refuse one: a duplicate, say)
    for room in Room.objects.filter(slug__in=LINES):
        texts = list(room.messages.values_list("original_text", flat=True))
        assert texts
        assert set(texts) <= set(LINES[room.slug])
    with committing():
        assert demo_backlog(random.Random(2)) == 0  # rooms with messages get none


def test_a_line_now_and_then_is_a_real_message(committing):
    demo_seed()
    with committing():
        text = demo_say(random.Random(3))
    assert text is not None
    message = Message.objects.get(original_text=text.removeprefix("/me "))
    assert message.author.username in {"vip_vic", "sub_sam", "viewer_val", "helper_bot"}
    assert message.seq == 1
