import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from chatsite.users.models import User
from emotes.models import Badge, Emote
from rooms.demo import LINES, SPEAKERS
from rooms.models import Membership, Message, Room, Style

pytestmark = pytest.mark.django_db


def seed(capsys) -> str:
    call_command("seed_demo")
    return capsys.readouterr().out


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Style, Room, Membership, Emote, Badge)
    }


def test_seed_creates_three_rooms_each_with_its_own_style(capsys):
    seed(capsys)
    rooms = Room.objects.select_related("style")
    assert rooms.count() == 3
    assert len({room.style_id for room in rooms}) == 3
    assert all(room.style.llm_system_prompt and room.style.instant_rules for room in rooms)


def test_seed_creates_a_user_for_every_role_and_prints_working_passwords(capsys):
    out = seed(capsys)
    passwords = dict(
        line.split()
        for line in out.splitlines()
        if line.startswith("  ") and len(line.split()) == 2
    )
    assert set(passwords) == {
        "demo_admin", "streamer", "mod_mia", "vip_vic", "sub_sam", "viewer_val", "helper_bot",
    }  # fmt: skip
    for login, password in passwords.items():
        assert authenticate(username=login, password=password) is not None
    room = Room.objects.first()
    assert room.owner.username == "streamer"
    roles = {m.user.username: m for m in room.memberships.select_related("user")}
    assert roles["mod_mia"].is_moderator
    assert roles["vip_vic"].is_vip
    assert roles["sub_sam"].subscriber_tier == 1
    assert User.objects.get(username="helper_bot").is_verified_bot
    assert User.objects.get(username="demo_admin").is_staff


def test_seed_ships_emotes_and_badges_with_renditions(capsys):
    seed(capsys)
    assert Emote.objects.filter(room=None).count() >= 5
    assert Emote.objects.exclude(room=None).filter(tier_required__gte=1).exists()
    for badge in ("broadcaster", "moderator", "vip", "subscriber", "staff", "verified-bot"):
        assert Badge.objects.filter(set_name=badge).exists()
    for obj in [*Emote.objects.all(), *Badge.objects.all()]:
        for rendition in (obj.image_1x, obj.image_2x, obj.image_4x):
            assert rendition.storage.exists(rendition.name), obj


def test_seed_leaves_a_backlog_of_chat_in_every_demo_room_once(capsys, committing):
    with committing():
        out = seed(capsys)
    said = int(re.search(r"(\d+) new lines of chat", out)[1])
    assert said >= 12
    for room in Room.objects.all():
        lines = list(room.messages.values_list("original_text", "author__username"))
        assert len(lines) >= 4, room.slug
        assert {author for _, author in lines} <= set(SPEAKERS)
        assert {text for text, _ in lines} <= {
            line.removeprefix("/me ") for line in LINES[room.slug]
        }
    with committing():
        assert "0 new lines of chat" in seed(capsys)
    assert Message.objects.count() == said


def test_seeding_twice_changes_nothing_and_prints_no_password(capsys):
    seed(capsys)
    before = counts()
    passwords_before = dict(User.objects.values_list("username", "password"))
    out = seed(capsys)
    assert counts() == before
    assert dict(User.objects.values_list("username", "password")) == passwords_before
    assert "already exist" in out


def test_presets_nobody_edited_get_the_new_prompts_and_edited_ones_are_left(db):
    import importlib

    from django.apps import apps

    from rooms.models import Style
    from rooms.skibidi.presets import STYLES

    upgrade = importlib.import_module("rooms.migrations.0009_preset_prompts")
    old = upgrade.PRESETS["bard"]["old_prompt"]
    untouched = Style.objects.create(slug="bard", name="Bard", llm_system_prompt=old)
    edited = Style.objects.create(slug="bestie", name="Bestie", llm_system_prompt="My own.")
    upgrade.forward(apps, None)
    untouched.refresh_from_db()
    edited.refresh_from_db()
    bard = next(style for style in STYLES if style["slug"] == "bard")
    assert untouched.llm_system_prompt == bard["llm_system_prompt"]
    assert untouched.llm_examples == bard["llm_examples"]
    assert edited.llm_system_prompt == "My own."
