import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from rooms.textclean import MAX_COMBINING_RUN, MAX_JOINS, _clean, clean_text


def test_plain_text_is_unchanged():
    assert clean_text("hello chat PogHype 👋") == "hello chat PogHype 👋"


def test_bidi_overrides_zero_width_and_controls_are_removed():
    assert clean_text("evil\u202etxt.exe") == "eviltxt.exe"
    assert clean_text("zero\u200bwidth\u200djoin\ufeff") == "zerowidthjoin"
    assert clean_text("\U0001f600\u200d") == "\U0001f600"  # a joiner with nothing to join
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


RAINBOW_FLAG = "\U0001f3f3\ufe0f\u200d\U0001f308"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
THUMBS_UP_MEDIUM = "\U0001f44d\U0001f3fd"
KISS_WITH_TONES = "\U0001f469\U0001f3fb\u200d\u2764\ufe0f\u200d\U0001f48b\u200d\U0001f468\U0001f3fc"
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
KEYCAP_ONE = "1\ufe0f\u20e3"


def test_emoji_sequences_survive_whole():
    for emoji in (RAINBOW_FLAG, FAMILY, THUMBS_UP_MEDIUM, KISS_WITH_TONES, SCOTLAND, KEYCAP_ONE):
        assert clean_text(f"gg {emoji} wp") == f"gg {emoji} wp", ascii(emoji)


def test_joiner_and_tag_floods_are_capped():
    flood = "\U0001f600" + "\u200d\U0001f600" * 30
    cleaned = clean_text(flood)
    # (It said "at most 32 of the 30 joiners": it could not fail.) No emoji joins more than
    # MAX_JOINS others, so some of the 30 joiners go.
    assert "\U0001f600\u200d" * (MAX_JOINS + 1) not in cleaned
    assert cleaned.count("\u200d") < 30
    assert clean_text("a" + "\u200d" * 50 + "b") == "ab"
    assert clean_text("\U0001f3f4" + "\U000e0061" * 50) == "\U0001f3f4"  # no end: no flag
    assert clean_text("x\U000e0067\U000e0062") == "x"  # tags with no flag


def _allowed_format_char(cleaned: str, index: int) -> bool:
    char = cleaned[index]
    if char == "\u200d":
        return 0 < index < len(cleaned) - 1
    return 0xE0020 <= ord(char) <= 0xE007F


@given(st.text())
def test_output_is_idempotent_and_free_of_invisible_tricks(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    for index, char in enumerate(cleaned):
        category = unicodedata.category(char)
        assert category not in ("Cc", "Cs")
        assert category != "Cf" or _allowed_format_char(cleaned, index)
        assert char not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff"


@given(
    st.lists(
        st.sampled_from(
            [
                RAINBOW_FLAG,
                FAMILY,
                THUMBS_UP_MEDIUM,
                SCOTLAND,
                "\u200d",
                "\ufe0f",
                "\U000e007f",
                "\U0001f3f4",
                "a",
                " ",
                "\u202e",
            ]
        )
    )
)
def test_emoji_soup_is_idempotent(parts):
    cleaned = clean_text("".join(parts))
    assert clean_text(cleaned) == cleaned


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_plain_ascii_takes_the_short_way_to_the_same_result(text):
    assert clean_text(text) == _clean(text)
