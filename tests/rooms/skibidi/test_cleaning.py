import pytest

from rooms.skibidi.cleaning import check_output, clean_output


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Hey bestie! Slay ✨", "Hey bestie! Slay ✨"),
        ("Assistant: yo chat 🗿", "yo chat 🗿"),
        ('"Hark, well met!"', "Hark, well met!"),
        ("\u201cquoted curly\u201d", "quoted curly"),
        ("first line\nsecond line\nthird", "first line"),
        ("\n\n  hello there  \n", "hello there"),
        ("sigma<|im_end|>", "sigma"),
        ("<|assistant|>Rewrite: slay bestie", "slay bestie"),
        ("so so so so so so so good", "so so good"),
        ("no cap no cap no cap no cap fr", "no cap no cap fr"),
        ("evil\u202eright-to-left", "evilright-to-left"),
        ("", ""),
        ("   \n  ", ""),
    ],
)
def test_outputs_are_tidied_to_one_line(raw, clean):
    assert clean_output(raw) == clean


def test_very_long_outputs_are_cut_at_a_word():
    out = clean_output("word " * 200)
    assert len(out) <= 500
    assert not out.endswith(" ")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("Rewrite the chat message as a bestie", "prompt echo"),
        ("As an AI language model I cannot", "prompt echo"),
        ("hey bestie slay", "lost @mia, PogHype"),
        ("hey @mia @rando PogHype", "invented @rando"),
        ("@mia PogHype " + "x" * 300, "too long"),
    ],
)
def test_outputs_that_cannot_be_used_are_refused_with_a_reason(text, reason):
    assert check_output(text, original="hi @mia PogHype", keep={"@mia", "PogHype"}) == reason


def test_a_rewrite_that_answers_instead_of_restyling_is_refused():
    original = "does anyone know the song name"
    assert check_output("It is called Black Sabbath", original=original, keep=set()) == (
        "meaning lost"
    )
    assert check_output("bestie what's the song name fr", original=original, keep=set()) is None


def test_a_good_rewrite_passes():
    assert check_output("hey @mia bestie PogHype ✨", original="hi @mia PogHype",
                        keep={"@mia", "PogHype"}) is None  # fmt: skip


def test_a_rewrite_without_any_of_the_style_markers_is_refused():
    markers = ["bestie", "✨"]
    assert check_output("hello there friends", original="hello there", keep=set(),
                        markers=markers) == "not in style"  # fmt: skip
    assert check_output("hello there bestie", original="hello there", keep=set(),
                        markers=markers) is None  # fmt: skip
