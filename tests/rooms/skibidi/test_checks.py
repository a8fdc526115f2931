"""What the rewrite checks refuse: each way the small model was seen to go wrong."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rooms.skibidi import meaning
from rooms.skibidi.attempt import keep_words, lighter, llm_attempt, split_protected
from rooms.skibidi.cleaning import check_output
from rooms.skibidi.llm import StylePrompt

EMOTES = {"PogHype", "OhioSkull", "SadgeCry"}
EXAMPLES = [
    ("the music is too loud", "no cap the music is too loud bestie 💖"),
    ("we finally won the match", "WE FINALLY WON THE MATCH bestie, iconic ✨💅"),
]
MARKERS = ["bestie", "no cap", "fr fr", "✨", "💅"]


def check(text: str, original: str, **extra) -> str | None:
    keep = keep_words(original, EMOTES)
    prompt = "You rewrite chat messages in the voice of a bubbly Gen-Z best friend."
    options = {"markers": MARKERS, "emotes": EMOTES, "examples": EXAMPLES, "prompt": prompt}
    return check_output(text, original=original, keep=keep, **{**options, **extra})


@pytest.mark.parametrize(
    ("original", "rewrite", "reason"),
    [
        ("go left at the bridge", "bestie go right at the bridge ✨", "flipped left"),
        ("yes I agree", "no bestie, I don't agree ✨", "flipped yes"),
        ("don't open that door", "bestie open that door ✨", "dropped no"),
        ("I have 3 lives left", "bestie I have lives left ✨", "lost 3"),
    ],
)
def test_a_rewrite_that_changes_what_was_said_is_refused(original, rewrite, reason):
    assert check(rewrite, original) == reason


def test_directions_count_only_where_they_are_directions():
    assert check("that's right bestie, no cap ✨", "yeah that's right") is None
    assert check("bestie I have 3 lives left fr fr", "I have 3 lives left") is None


def test_an_emote_the_sender_never_sent_is_refused():
    assert check("PogHype we did it bestie ✨", "we did it") == "invented PogHype"


def test_emotes_and_mentions_stay_in_their_order():
    original = "PogHype nice one @sam OhioSkull"
    assert check("PogHype nice one bestie OhioSkull @sam", original) == (
        "reordered emotes or mentions"
    )
    assert check("PogHype nice one bestie @sam OhioSkull", original) is None


def test_a_line_copied_from_an_example_is_refused():
    assert check("no cap the music is too loud bestie", "what level are you now?") == (
        "copied an example"
    )
    # The style's own words, which every example shares, are no sign of copying.
    assert check("bestie what level are you now?? no cap ✨", "what level are you now?") is None


@pytest.mark.parametrize(
    "rewrite",
    [
        "Sure! Here is the rewrite: bestie hi",
        "I'm sorry, I can't do that bestie",
        "You can find it in the menu bestie",
    ],
)
def test_an_answer_or_an_apology_instead_of_a_rewrite_is_refused(rewrite):
    assert check(rewrite, "where is the settings menu?") in ("answered", "prompt echo")


def test_words_of_the_instruction_are_refused():
    assert check("bestie you rewrite chat messages in the voice ✨", "hello chat") == "prompt echo"
    assert check("I can't believe it bestie ✨", "I can't believe it") is None  # said first


def test_a_rewrite_whose_meaning_drifted_is_refused_by_the_embedding_model():
    similarity = meaning.similarity
    original = "when is the next stream"
    assert check("bestie the next stream is when?? ✨", original, similarity=similarity) is None
    assert check("bestie stream pizza is the best food ✨", original, similarity=similarity) == (
        "meaning drifted"
    )


def test_the_embedding_model_gives_sentence_transformers_vectors():
    """Reference values from sentence-transformers' all-MiniLM-L6-v2 (``encode`` with
    ``normalize_embeddings``), computed once with PyTorch."""
    vectors = meaning.embedder().embed(["hello everyone, how are you doing today?",
                                        "go left at the bridge"])  # fmt: skip
    assert vectors[0][:4] == pytest.approx([-0.0088378, 0.0471555, 0.1026435, 0.0158719], abs=1e-3)
    assert vectors[1][:4] == pytest.approx([0.0479347, 0.0584680, -0.0348341, 0.0393678], abs=1e-3)
    assert float(vectors[0] @ vectors[0]) == pytest.approx(1.0, abs=1e-5)


def test_codes_and_names_at_the_edges_are_kept_from_the_model():
    assert split_protected("PogHype PogHype lets go @sam", EMOTES) == (
        "PogHype PogHype", "lets go", "@sam")  # fmt: skip
    assert split_protected("PogHype lets go @sam", EMOTES) == ("PogHype", "lets go", "@sam")
    assert split_protected("OhioSkull OhioSkull", EMOTES) == ("OhioSkull OhioSkull", "", "")
    assert split_protected("gg @sam great run", EMOTES) == ("", "gg @sam great run", "")


def test_a_rewrite_buried_in_decoration_is_tried_lighter():
    assert lighter("that was insane bestie, iconic ✨💖") == [
        "that was insane bestie, iconic ✨💖",
        "that was insane bestie, iconic",
        "that was insane bestie",
    ]


def test_a_word_typed_like_an_emote_is_kept_even_if_the_room_lacks_it():
    """A code from elsewhere ("Kappa", "catJAM") is what the sender typed: the rewrite keeps
    it, at the edges without the model ever seeing it."""
    from rooms.skibidi.attempt import keep_words

    assert keep_words("PogChamp that was wild catJAM", EMOTES) == {"PogChamp", "catJAM"}
    assert split_protected("PogChamp that was wild", EMOTES) == ("PogChamp", "that was wild", "")
    keep = keep_words("that was wild PogChamp", EMOTES)
    assert check_output("bestie that was wild ✨", original="that was wild PogChamp",
                        keep=keep, markers=MARKERS) == "lost PogChamp"  # fmt: skip


class Scripted:
    """A model that says what it is told to (the real one is in ``test_llm_backends``): the
    checks, not the model, are under test here."""

    name = "scripted"

    def __init__(self, said: str) -> None:
        self.said = said

    def complete(self, messages, *, temperature: float, max_tokens: int) -> str:
        return self.said


PROTECTED = ["PogHype", "OhioSkull", "Kappa", "catJAM", "@sam", "@mia"]
WORDS = ["we", "did", "it", "that", "was", "wild", "great", "run", "see", "you", "there"]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_shown_rewrite_keeps_every_emote_and_name_of_the_original_in_order(data):
    """Whatever the model says (here: the message with tokens dropped, moved, recased or
    added, and the style's words), a rewrite that is shown has every emote code and @name
    of the original, as typed and in order, and none that the sender did not send."""
    tokens = data.draw(st.lists(st.sampled_from(WORDS + PROTECTED), min_size=1, max_size=10))
    original = " ".join(tokens)
    said = list(tokens)
    for _ in range(data.draw(st.integers(0, 3))):
        change = data.draw(st.sampled_from(["drop", "move", "recase", "add", "style"]))
        at = data.draw(st.integers(0, len(said)))
        if change == "drop" and said:
            said.pop(min(at, len(said) - 1))
        elif change == "move" and said:
            said.insert(at, said.pop(data.draw(st.integers(0, len(said) - 1))))
        elif change == "recase" and said:
            said[min(at, len(said) - 1)] = said[min(at, len(said) - 1)].lower()
        elif change == "add":
            said.insert(at, data.draw(st.sampled_from(PROTECTED)))
        else:
            said.insert(at, data.draw(st.sampled_from(MARKERS)))
    attempt = llm_attempt(Scripted(" ".join(said)), StylePrompt(system="Restyle it."), original,
                          emotes=EMOTES, markers=MARKERS, similarity=None, tries=1)  # fmt: skip
    if attempt.refused is None:
        shown = attempt.text.split(" ")
        protected = [t for t in tokens if t in PROTECTED]
        assert [t for t in shown if t in PROTECTED] == protected, (original, attempt.text)


def test_emoji_the_sender_typed_are_kept_whole():
    """Emoji are the sender's too: at the edges the model never sees them; in the middle, a
    rewrite that drops or breaks one is refused (the instant text, which keeps them, stays)."""
    flag, family = "🏳️‍🌈", "👨‍👩‍👧"
    assert split_protected(f"what a night {flag} {family}", EMOTES) == (
        "", "what a night", f"{flag} {family}")  # fmt: skip
    original = f"we won {flag} so proud"
    assert check(f"bestie we won {flag} so proud ✨", original) is None
    assert check("bestie we won so proud ✨", original) == f"lost {flag}"
    assert check("bestie we won 🏳️ 🌈 so proud ✨", original) == f"lost {flag}"
