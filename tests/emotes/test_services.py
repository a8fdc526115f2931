import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from PIL import Image

from emotes.imaging import ImageRejected, draw_demo_emote
from emotes.selectors import emote_list_for_room
from emotes.services import emote_create
from tests.factories import EmoteFactory, RoomFactory

pytestmark = pytest.mark.django_db


def test_an_emote_gets_square_png_renditions_at_twitch_sizes():
    wide = Image.new("RGBA", (300, 150), "#ff0000")
    buffer = io.BytesIO()
    wide.save(buffer, "PNG")
    emote = emote_create(code="WideBoi", image=buffer.getvalue())
    for name, pixels in {"1x": 28, "2x": 56, "4x": 112}.items():
        field = getattr(emote, f"image_{name}")
        with field.open("rb"), Image.open(field) as image:
            assert image.format == "PNG"
            assert image.size == (pixels, pixels)


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ImageRejected):
        emote_create(code="NotAnImage", image=b"<svg onload=alert(1)>")


def test_a_malformed_code_is_refused_before_anything_is_stored():
    with pytest.raises(ValidationError):
        emote_create(code="bad code!", image=draw_demo_emote("smile", "#fff000"))


def test_global_codes_are_unique():
    EmoteFactory(code="PogHype")
    with pytest.raises(IntegrityError):
        EmoteFactory(code="PogHype")


def test_room_codes_are_unique_per_room_only():
    first, second = RoomFactory(), RoomFactory()
    EmoteFactory(code="roomHi", room=first)
    EmoteFactory(code="roomHi", room=second)
    with pytest.raises(IntegrityError):
        EmoteFactory(code="roomHi", room=first)


def test_only_room_emotes_can_require_a_subscriber_tier():
    with pytest.raises(IntegrityError):
        EmoteFactory(code="GlobalTier", tier_required=1)


def test_a_room_sees_global_emotes_and_its_own_but_not_others():
    mine, theirs = RoomFactory(), RoomFactory()
    EmoteFactory(code="Everyone")
    EmoteFactory(code="mineOnly", room=mine)
    EmoteFactory(code="theirsOnly", room=theirs)
    codes = {emote.code for emote in emote_list_for_room(room_id=mine.id)}
    assert codes == {"Everyone", "mineOnly"}
