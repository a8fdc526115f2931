import functools

import factory
from django.core.files.base import ContentFile

from chatsite.users.models import User
from emotes.imaging import draw_demo_badge, draw_demo_emote
from emotes.models import Badge, Emote
from rooms.models import Membership, Message, Room, Style


@functools.cache
def _password_hash() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password("correct-horse-battery")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    # Hashed once per run: a fresh PBKDF2 hash per user costs a quarter of a second.
    password = factory.LazyFunction(_password_hash)


class StyleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Style

    slug = factory.Sequence(lambda n: f"style-{n}")
    name = factory.Sequence(lambda n: f"Style {n}")
    # No rules: text passes unchanged, so pipeline tests see what they sent.
    instant_rules = factory.LazyFunction(dict)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    slug = factory.Sequence(lambda n: f"room_{n}")
    title = factory.Sequence(lambda n: f"Room {n}")
    style = factory.SubFactory(StyleFactory)
    owner = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    room = factory.SubFactory(RoomFactory)
    user = factory.SubFactory(UserFactory)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    room = factory.SubFactory(RoomFactory)
    seq = factory.Sequence(lambda n: n + 1)
    author = factory.SubFactory(UserFactory)
    original_text = "hello chat"
    display_text = factory.LazyAttribute(lambda m: m.original_text)


class EmoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Emote

    code = factory.Sequence(lambda n: f"Emote{n}")
    image = factory.LazyFunction(
        lambda: ContentFile(draw_demo_emote("smile", "#ffcc00"), name="emote.png")
    )


class BadgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Badge

    set_name = factory.Sequence(lambda n: f"set-{n}")
    version = "1"
    title = factory.Sequence(lambda n: f"Badge {n}")
    image = factory.LazyFunction(
        lambda: ContentFile(draw_demo_badge("B", "#00ad03"), name="badge.png")
    )
