"""How the moderation rules read chat through its disguises."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.normalize import plain


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("f u c k you", "fuck you"),
        ("s.h.i.t streamer", "shit streamer"),
        ("f.u.c.k y.o.u", "fuck you"),
        ("b_i_t_c_h", "bitch"),
        ("ur a d u m b a s s", "ur a dumbass"),
        ("a s s h o l e", "asshole"),
        ("k y s", "kys"),
        ("you are a b1tch", "you are a bitch"),
        ("a$$hole", "asshole"),
        ("sh!t", "shit"),
        ("f*ck off", "fuck off"),
        ("m0therf*cker", "motherfucker"),
        ("fuuuuuck", "fuck"),
        ("biiiitch", "bitch"),
        ("assss", "ass"),
        ("\uff46\uff55\uff43\uff4b\u3000\uff59\uff4f\uff55", "fuck you"),  # full-width
        ("fu\u0441k", "fuck"),  # a Cyrillic es
        ("bìtch", "bitch"),
        ("phuck", "fuck"),
        ("It's GREAT", "its great"),
        ("@mod_mia hi", "mod_mia hi"),
        ("wow!! really?! !hello", "wow really hello"),
    ],
)
def test_disguises_are_undone(text, read):
    assert plain(text) == read


@pytest.mark.parametrize(
    "text",
    ["I beat this level after 40 tries", "class is passing", "hello chat", "1488", "a b"],
)
def test_ordinary_words_and_numbers_are_left_alone(text):
    assert plain(text) == text.lower()


@given(st.text(max_size=300))
def test_reading_never_crashes_and_is_lowercase_ascii_words(text):
    read = plain(text)
    assert read == read.lower()
    assert all(word.isalnum() or "_" in word for word in read.split())
