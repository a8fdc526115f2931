from hypothesis import given
from hypothesis import strategies as st

from emotes.parsing import find_emotes, is_only_emotes

CODES = {"PogHype": "1", "LUL": "2"}


def test_positions_are_code_points_first_and_last_inclusive():
    assert find_emotes("PogHype hi LUL", CODES) == [("1", 0, 6), ("2", 11, 13)]


def test_positions_count_code_points_not_utf16_units():
    # "👋" is one code point (two UTF-16 units): LUL starts at 2.
    assert find_emotes("👋 LUL", CODES) == [("2", 2, 4)]


def test_only_whole_words_match_and_case_matters():
    assert find_emotes("PogHypeX pogHype xLUL", CODES) == []


def test_emote_only():
    assert is_only_emotes("LUL PogHype", CODES)
    assert not is_only_emotes("LUL haha", CODES)
    assert not is_only_emotes("", CODES)


@given(st.lists(st.sampled_from(["PogHype", "LUL", "hi", "👋", "é"]), max_size=20))
def test_every_position_slices_out_its_code(words):
    text = " ".join(words)
    ids = {v: k for k, v in CODES.items()}
    found = find_emotes(text, CODES)
    assert len(found) == sum(word in CODES for word in words)
    for emote_id, first, last in found:
        assert text[first : last + 1] == ids[emote_id]
