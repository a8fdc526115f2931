import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from rooms.textclean import MAX_COMBINING_RUN, clean_text


def test_plain_text_is_unchanged():
    assert clean_text("hello chat PogHype 👋") == "hello chat PogHype 👋"


def test_bidi_overrides_zero_width_and_controls_are_removed():
    assert clean_text("evil\u202etxt.exe") == "eviltxt.exe"
    assert clean_text("zero\u200bwidth\u200djoin\ufeff") == "zerowidthjoin"
    assert clean_text("bell\x07 and\x00 nul") == "bell and nul"


def test_line_breaks_and_space_runs_become_one_space():
    assert clean_text("  one\n\ntwo\t\tthree\u3000four  ") == "one two three four"


def test_combining_mark_towers_are_capped():
    # "q" has no precomposed accented forms, so NFC leaves every mark separate.
    zalgo = "q" + "\u0301\u0302\u0303\u0304\u0305\u0306\u0307" * 5 + "a"
    cleaned = clean_text(zalgo)
    assert cleaned.startswith("q")
    assert len(cleaned) == 1 + MAX_COMBINING_RUN + 1


def test_accents_survive_in_composed_form():
    assert clean_text("cafe\u0301") == "café"


@given(st.text())
def test_output_is_idempotent_and_free_of_invisible_tricks(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    for char in cleaned:
        assert unicodedata.category(char) not in ("Cc", "Cf", "Cs")
