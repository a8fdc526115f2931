import pytest
from django.contrib import admin
from django.urls import reverse

from moderation.models import AuditEntry, BlockedTerm, RoomBan
from tests.factories import (
    BadgeFactory,
    EmoteFactory,
    MembershipFactory,
    MessageFactory,
    RoomFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def one_of_each(db):
    membership = MembershipFactory(is_moderator=True)
    return [
        membership,
        membership.room,
        membership.room.style,
        membership.user,
        MessageFactory(room=membership.room, seq=1),
        EmoteFactory(room=membership.room, tier_required=1),
        BadgeFactory(),
        BlockedTerm.objects.create(pattern="darn*", room=membership.room),
        RoomBan.objects.create(room=membership.room, user=membership.user),
        AuditEntry.objects.create(room=membership.room, action="ban", source="api"),
    ]


def test_every_model_has_an_admin_whose_pages_load(staff_client, one_of_each):
    for obj in one_of_each:
        model = type(obj)
        assert model in admin.site._registry, f"{model.__name__} has no admin"
        listing = staff_client.get(admin_url(model, "changelist"))
        assert listing.status_code == 200, model.__name__
        assert staff_client.get(admin_url(model, "change", obj.pk)).status_code == 200
        search = staff_client.get(admin_url(model, "changelist"), {"q": "x"})
        assert search.status_code == 200
        add_page = staff_client.get(admin_url(model, "add")).status_code
        # Messages are written by the chat pipeline only.
        read_only = model.__name__ in ("Message", "RoomBan", "AuditEntry")
        assert add_page == (403 if read_only else 200), model.__name__


def test_room_admin_edits_memberships_inline(staff_client):
    room = RoomFactory()
    MembershipFactory(room=room, user=UserFactory(username="inline_mod"), is_moderator=True)
    page = staff_client.get(admin_url(type(room), "change", room.pk)).content.decode()
    assert "inline_mod" in page
    assert "memberships-TOTAL_FORMS" in page


def test_messages_are_read_only_in_the_admin(staff_client):
    message = MessageFactory()
    response = staff_client.post(
        admin_url(type(message), "change", message.pk), {"display_text": "edited"}
    )
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.display_text == "hello chat"


def test_admin_is_closed_to_regular_users(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url
