"""Every change the admin makes to chat state goes through an action: it is audited with
source "admin" and open clients are told, exactly as from the dashboard or a command."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emotes.imaging import draw_demo_emote
from emotes.models import Emote
from moderation.models import AuditEntry, BlockedTerm, RoomBan, ShadowBan
from rooms.models import Membership, Room, Style
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MODES = {"automod_level": 0, "slow_mode_seconds": 0, "emote_only": "", "subscribers_only": "",
         "unique_chat": "", "pre_moderation": ""}  # fmt: skip


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def staffer(staff_client):
    return staff_client, UserFactory._meta.model.objects.get(username="staffer")


def room_form(room: Room, *, memberships=(), **changes) -> dict:
    """The admin's change form of ``room`` as a browser would post it."""
    data = {"title": room.title, "description": room.description, "style": room.style_id,
            "owner": room.owner_id, **{k: v for k, v in MODES.items()}}  # fmt: skip
    for field in MODES:
        value = getattr(room, field)
        data[field] = ("on" if value else "") if isinstance(value, bool) else value
    existing = list(Membership.objects.filter(room=room).order_by("id"))
    rows = [{"id": m.id, "user": m.user_id, "is_moderator": m.is_moderator, "is_vip": m.is_vip,
             "subscriber_tier": m.subscriber_tier, "subscriber_months": m.subscriber_months}
            for m in existing] + list(memberships)  # fmt: skip
    data.update({"memberships-TOTAL_FORMS": len(rows), "memberships-INITIAL_FORMS": len(existing),
                 "memberships-MIN_NUM_FORMS": 0, "memberships-MAX_NUM_FORMS": 1000})  # fmt: skip
    for i, row in enumerate(rows):
        for field, value in row.items():
            if isinstance(value, bool):
                value = "on" if value else ""
            data[f"memberships-{i}-{field}"] = value
        data[f"memberships-{i}-room"] = room.id
    data.update(changes)
    return data


def delete_in_admin(client, obj, committing) -> None:
    """Confirm the admin's delete page of ``obj``, as staff would."""
    with committing():
        response = client.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302


def last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


def test_a_mode_changed_in_the_admin_reaches_open_clients_and_the_audit(
    staffer, room, published, committing
):
    client, staff = staffer
    with committing():
        response = client.post(admin_url(Room, "change", room.pk),
                               room_form(room, slow_mode_seconds=30, emote_only="on"))  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    room.refresh_from_db()
    assert (room.slow_mode_seconds, room.emote_only) == (30, True)
    entries = AuditEntry.objects.filter(action="mode").order_by("reason")
    assert [(e.actor, e.source, e.reason) for e in entries] == [
        (staff, "admin", "emote_only=True"),
        (staff, "admin", "slow_mode_seconds=30"),
    ]
    frames = published.by_group()
    states = [f for f in frames[f"room.{room.id}"] if f["type"] == "room_state"]
    assert states[-1]["slow_mode_seconds"] == 30
    assert states[-1]["emote_only"]
    assert {f["entry"]["reason"] for f in frames[f"room.{room.id}.mods"]
            if f["type"] == "audit"} == {"emote_only=True", "slow_mode_seconds=30"}  # fmt: skip


def test_an_invalid_mode_is_refused_with_nothing_changed(staffer, room):
    client, _ = staffer
    response = client.post(admin_url(Room, "change", room.pk),
                           room_form(room, slow_mode_seconds=999_999))  # fmt: skip
    assert response.status_code == 200  # the form again, with the error
    room.refresh_from_db()
    assert room.slow_mode_seconds == 0
    assert not AuditEntry.objects.exists()


def test_a_room_setting_changed_in_the_admin_is_audited(staffer, room, published, committing):
    client, staff = staffer
    with committing():
        client.post(admin_url(Room, "change", room.pk), room_form(room, title="Renamed"))
    room.refresh_from_db()
    assert room.title == "Renamed"
    entry = last_audit()
    assert (entry.action, entry.actor, entry.source, entry.reason) == (
        "settings",
        staff,
        "admin",
        "title=Renamed",
    )
    assert any(f["type"] == "room_state" for f in published.by_group()[f"room.{room.id}"])


def test_a_moderator_made_in_the_admin_is_told_and_audited(staffer, room, published, committing):
    client, staff = staffer
    chatter = UserFactory(username="promoted")
    row = {"user": chatter.id, "is_moderator": True, "is_vip": False, "subscriber_tier": 0,
           "subscriber_months": 0}  # fmt: skip
    with committing():
        response = client.post(admin_url(Room, "change", room.pk),
                               room_form(room, memberships=[row]))  # fmt: skip
    assert response.status_code == 302
    assert Membership.objects.get(room=room, user=chatter).is_moderator
    entry = last_audit()
    assert (entry.action, entry.actor, entry.target, entry.source) == (
        "mod",
        staff,
        chatter,
        "admin",
    )
    told = published.by_group()[f"room.{room.id}.user.{chatter.id}"]
    assert told == [{"type": "notice", "message": "You are now a moderator in this room.",
                     "code": "mod"}]  # fmt: skip


def test_the_broadcasters_role_cannot_be_changed_in_the_admin(staffer, room):
    client, _ = staffer
    row = {"user": room.owner_id, "is_moderator": True, "is_vip": False, "subscriber_tier": 0,
           "subscriber_months": 0}  # fmt: skip
    response = client.post(admin_url(Room, "change", room.pk), room_form(room, memberships=[row]),
                           follow=True)  # fmt: skip
    assert "The broadcaster&#x27;s role cannot change." in response.content.decode()
    assert not Membership.objects.filter(room=room).exists()
    assert not AuditEntry.objects.exists()


def test_a_subscription_set_in_the_admin_is_audited(staffer, room, committing):
    client, _staff = staffer
    membership = MembershipFactory(room=room)
    with committing():
        response = client.post(
            admin_url(Membership, "change", membership.pk),
            {"is_moderator": "", "is_vip": "", "subscriber_tier": 2, "subscriber_months": 7},
        )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.subscriber_tier, membership.subscriber_months) == (2, 7)
    entry = last_audit()
    assert (entry.action, entry.target, entry.source, entry.reason) == (
        "subscription",
        membership.user,
        "admin",
        "tier 2, 7 months",
    )


def test_a_membership_deleted_in_the_admin_takes_the_roles(staffer, room, mod, committing):
    client, _staff = staffer
    membership = Membership.objects.get(room=room, user=mod)
    delete_in_admin(client, membership, committing)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert (last_audit().action, last_audit().target) == ("membership_remove", mod)


def test_a_ban_lifted_in_the_admin_is_audited(staffer, room, user, published, committing):
    client, staff = staffer
    ban = RoomBan.objects.create(room=room, user=user)
    delete_in_admin(client, ban, committing)
    assert not RoomBan.objects.exists()
    entry = last_audit()
    assert (entry.action, entry.actor, entry.target, entry.source) == (
        "unban",
        staff,
        user,
        "admin",
    )
    audit = [f for f in published.by_group()[f"room.{room.id}.mods"] if f["type"] == "audit"]
    assert audit[0]["entry"]["action"] == "unban"


def test_bans_lifted_in_bulk_are_each_audited(staffer, room, committing):
    client, _ = staffer
    users = [UserFactory(username=f"banned{i}") for i in range(3)]
    bans = [RoomBan.objects.create(room=room, user=u) for u in users]
    with committing():
        client.post(
            admin_url(RoomBan, "changelist"),
            {"action": "delete_selected", "_selected_action": [b.pk for b in bans], "post": "yes"},
        )
    assert not RoomBan.objects.exists()
    assert AuditEntry.objects.filter(action="unban", source="admin").count() == 3


def test_a_shadow_ban_lifted_in_the_admin_is_audited(staffer, room, user, committing):
    client, _staff = staffer
    shadow = ShadowBan.objects.create(room=room, user=user)
    delete_in_admin(client, shadow, committing)
    assert not ShadowBan.objects.exists()
    assert (last_audit().action, last_audit().source) == ("unshadow_ban", "admin")


def test_blocked_terms_added_and_removed_in_the_admin(staffer, room, published, committing):
    client, staff = staffer
    with committing():
        client.post(admin_url(BlockedTerm, "add"), {"pattern": "spoiler*", "room": room.pk})
    term = BlockedTerm.objects.get(room=room)
    assert (term.pattern, term.created_by) == ("spoiler*", staff)
    assert (last_audit().action, last_audit().reason, last_audit().source) == (
        "term_add",
        "spoiler*",
        "admin",
    )
    delete_in_admin(client, term, committing)
    assert not BlockedTerm.objects.exists()
    assert last_audit().action == "term_remove"
    actions = [f["entry"]["action"] for f in published.by_group()[f"room.{room.id}.mods"]]
    assert actions == ["term_add", "term_remove"]


def test_an_add_refused_in_the_admin_is_explained_and_adds_nothing(staffer, room):
    client, _ = staffer
    response = client.post(admin_url(Membership, "add"), {
        "room": room.pk, "user": room.owner_id, "is_moderator": "on", "is_vip": "",
        "subscriber_tier": 0, "subscriber_months": 0}, follow=True)  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "The broadcaster&#x27;s role cannot change." in page
    assert "was added successfully" not in page
    assert not Membership.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_style_changed_in_the_admin_reloads_its_rooms(staffer, room, published, committing):
    client, _staff = staffer
    style = room.style
    data = {"name": style.name, "slug": style.slug, "description": style.description,
            "instant_rules": '{"closers": ["fr"]}', "llm_system_prompt": "Talk like a pirate.",
            "llm_examples": "[]", "markers": '["arr"]', "llm_temperature": 0.5,
            "llm_max_tokens": 40}  # fmt: skip
    with committing():
        response = client.post(admin_url(Style, "change", style.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    style.refresh_from_db()
    assert style.llm_system_prompt == "Talk like a pirate."
    entry = last_audit()
    assert (entry.room, entry.action, entry.source) == (room, "style", "admin")
    assert "llm_system_prompt" in entry.reason
    assert any(f["type"] == "room_state" for f in published.by_group()[f"room.{room.id}"])


def test_a_room_emote_added_in_the_admin_is_audited(staffer, room, committing):
    client, _staff = staffer
    image = SimpleUploadedFile("hype.png", draw_demo_emote("smile", "#ff00aa"), "image/png")
    with committing():
        response = client.post(
            admin_url(Emote, "add"),
            {"code": "RoomHype", "room": room.pk, "tier_required": 0, "image": image},
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    emote = Emote.objects.get(code="RoomHype")
    assert emote.image_1x  # its renditions were built
    assert (last_audit().room, last_audit().action, last_audit().reason) == (
        room,
        "emote_add",
        "RoomHype",
    )
    delete_in_admin(client, emote, committing)
    assert not Emote.objects.exists()
    assert last_audit().action == "emote_remove"
