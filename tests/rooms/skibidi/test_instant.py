import pytest
from hypothesis import given
from hypothesis import strategies as st

from rooms.skibidi.instant import MAX_LENGTH, RulesError, render_instant, validate_rules
from rooms.skibidi.presets import STYLES

RULES = {style["slug"]: validate_rules(style["instant_rules"]) for style in STYLES}
EMOTES = {"PogHype", "OhioSkull"}


def test_the_same_seed_gives_the_same_text_and_seeds_vary_it():
    outputs = {render_instant("hi there friend", RULES["bestie"], seed=n) for n in range(40)}
    assert len(outputs) > 3
    assert render_instant("hi there", RULES["bestie"], seed=7) == render_instant(
        "hi there", RULES["bestie"], seed=7
    )


def test_words_are_swapped_keeping_capitals_and_punctuation():
    rules = {"swaps": {"hello": "well met", "you": "thou"}}
    assert render_instant("Hello, you!", rules, seed=1) == "Well met, thou!"
    assert render_instant("HELLO you", rules, seed=1) == "WELL MET thou"


def test_each_preset_style_is_recognisable():
    bestie = render_instant("hi there my friend", RULES["bestie"], seed=3)
    assert "bestie" in bestie.lower()
    brainrot = render_instant("that was so weird lol", RULES["brainrot"], seed=3)
    assert "ohio" in brainrot.lower()
    assert brainrot == brainrot.lower() or any(e in brainrot for e in ("💀", "🗿", "🚽", "🔥"))
    bard = render_instant("are you ok", RULES["bard"], seed=3)
    assert "thou" in bard.lower()
    assert "art" in bard.lower()


def test_an_action_follows_its_authors_name_without_an_opener_or_a_capital():
    """``/me brings snacks`` reads "Sam brings snacks", not "Sam Omg bestie, Brings snacks"."""
    rules = {"openers": ["Omg bestie,"], "opener_chance": 1.0, "casing": "sentence",
             "closers": ["periodt."], "closer_chance": 1.0}  # fmt: skip
    assert render_instant("brings snacks", rules, seed=1) == "Omg bestie, Brings snacks periodt."
    assert render_instant("brings snacks", rules, seed=1, action=True) == "brings snacks periodt."


def test_emotes_mentions_and_links_are_never_touched():
    rules = {"swaps": {"poghype": "nope", "hi": "yo"}, "casing": "upper"}
    out = render_instant("hi PogHype @hi_there https://x.example/hi", rules, seed=1, emotes=EMOTES)
    assert out.split(" ") == ["YO", "PogHype", "@hi_there", "https://x.example/hi"]


def test_a_message_of_only_emotes_and_mentions_keeps_them_and_gets_the_rooms_emoji():
    styled = render_instant("PogHype OhioSkull", RULES["bestie"], seed=1, emotes=EMOTES)
    head, emoji = styled.rsplit(" ", 1)
    assert head == "PogHype OhioSkull"
    assert emoji in RULES["bestie"]["emoji"]


def test_the_result_never_exceeds_the_message_limit():
    long_text = "hi " * 166 + "hi"
    assert len(long_text) == 500
    assert len(render_instant(long_text, RULES["bestie"], seed=1)) <= MAX_LENGTH


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300), st.integers())
def test_any_text_any_seed_stays_within_bounds_and_keeps_emotes(text, seed):
    text = " ".join(text.split())
    words = [*text.split(" "), "PogHype"] if text else ["PogHype"]
    message = " ".join(words)
    for rules in RULES.values():
        out = render_instant(message, rules, seed=seed, emotes=EMOTES)
        assert len(out) <= max(MAX_LENGTH, len(message))
        assert out.split(" ").count("PogHype") >= message.split(" ").count("PogHype")


@pytest.mark.parametrize(
    "rules",
    [
        [],
        {"swaps": ["a"]},
        {"swaps": {"two words": "x"}},
        {"openers": "Hey"},
        {"casing": "shouting"},
        {"opener_chance": 2},
        {"mystery": 1},
    ],
)
def test_malformed_rule_sets_are_refused(rules):
    with pytest.raises(RulesError):
        validate_rules(rules)


def test_swap_keys_are_lowercased_when_validated():
    assert validate_rules({"swaps": {"Hello": "hey"}})["swaps"] == {"hello": "hey"}


@pytest.mark.parametrize("casing", ["lower", "upper", "sentence"])
def test_codes_typed_as_emotes_survive_exactly_whatever_the_casing(casing):
    rules = {"casing": casing, "swaps": {"lol": "lmao"}}
    text = "lol Kappa LUL, PogChamp catJAM! SubOnlyHype KEKW"
    styled = render_instant(text, rules, seed=5, emotes={"SubOnlyHype"})
    for code in ("Kappa", "LUL,", "PogChamp", "catJAM!", "SubOnlyHype", "KEKW"):
        assert code in styled.split(" "), (casing, styled)


@given(st.lists(st.sampled_from(["Kappa", "PogChamp", "LUL", "hello", "there", "@friend",
                                 "GlowSmile", "wow!"]), min_size=1, max_size=12),
       st.integers(0, 2**32))  # fmt: skip
def test_every_emote_of_the_original_is_in_the_rendering_in_order(words, seed):
    text = " ".join(words)
    codes = {"GlowSmile"}
    for style in STYLES:
        styled = render_instant(text, style["instant_rules"], seed=seed, emotes=codes).split(" ")
        kept = [w for w in words if w in codes or w in ("Kappa", "PogChamp", "LUL")]
        assert [w for w in styled if w in kept] == kept
