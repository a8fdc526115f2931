import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.terms import Term, compile_terms, first_blocked

TERMS = compile_terms(["darn", "*fish", "spam*", "*heck*", "bad word"])


@pytest.mark.parametrize(
    "text",
    [
        "well darn it",
        "DARN",
        "d4rn",
        "dárn",
        "d\u0430rn",  # a Cyrillic a
        "daaaarn",
        "what a catfish",
        "spammer alert",
        "oh flipping-heckity",
        "this is a BAD  word",
        "b4d w0rd",
    ],
)
def test_blocked_terms_are_found_through_disguises(text):
    assert first_blocked(text, TERMS) is not None


@pytest.mark.parametrize(
    "text",
    ["darnel is a grass", "fisherman", "a spa", "bad words", "bad, then a word", "hello chat"],
)
def test_innocent_text_passes(text):
    assert first_blocked(text, TERMS) is None


def test_the_matched_pattern_is_reported():
    assert first_blocked("nice catfish", TERMS) == "*fish"


def test_patterns_without_letters_are_ignored():
    assert Term.parse("***") is None
    assert Term.parse("  ") is None


@given(st.text(max_size=200))
def test_matching_never_crashes(text):
    first_blocked(text, TERMS)
