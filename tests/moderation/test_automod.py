"""AutoMod's judgement: what it holds at each level, each kind of line it used to get wrong,
and its measured quality on the held-out part of the labelled lines."""

import itertools

import pytest

from moderation import automod
from moderation.automod.classifier import classifier
from moderation.automod.quality import evaluate
from moderation.evalset import HELD_OUT, lines, sample


def flagged(text: str, level: int, recent: tuple[str, ...] = ()) -> bool:
    return automod.judge(text, level=level, recent=recent).decision != automod.ALLOW


def test_level_zero_lets_everything_through():
    verdicts = automod.judge_many([line.text for line in lines()], level=0)
    assert {v.decision for v in verdicts} == {automod.ALLOW}


@pytest.mark.parametrize(
    "text",
    [
        "f u c k you",
        "s.h.i.t streamer",
        "you are a b1tch",
        "a$$hole mod",
        "f*ck off",
        "f-u-c-k off loser",
        "\uff46\uff55\uff43\uff4b \uff59\uff4f\uff55",  # full-width
        "fück you",
        "fu\u0441k you",
        "stfu b!tch",
        "biiiiitch",
        "you d.u.m.b.a.s.s",
    ],
)
def test_profanity_spelled_out_or_disguised_is_read_through(text):
    assert flagged(text, 2)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i know where you live", "threat"),
        ("im gonna find you after stream and hurt you", "threat"),
        ("someone should run this streamer over", "threat"),
        ("nobody would miss you if you were gone", "self_harm"),
        ("do us all a favour and jump off a bridge", "self_harm"),
        ("why are you still alive", "self_harm"),
        ("show us your feet", "sexual"),
        ("take that top off for subs", "sexual"),
        ("you have the iq of a doorknob", "insult"),
        ("this streamer is a pathetic little clown", "insult"),
        ("women are too dumb to play ranked", "hate"),
    ],
)
def test_abuse_without_a_swear_word_is_held(text, category):
    verdict = automod.judge(text, level=2)
    assert verdict.decision != automod.ALLOW
    assert verdict.category == category


def test_threats_self_harm_baiting_and_hate_are_held_even_at_the_loosest_level():
    for text in ("i will find you irl", "kys", "go back to your country"):
        assert flagged(text, 1), text


@pytest.mark.parametrize(
    "text",
    [
        "buy cheap followers at growfast dot com",
        "free robux here robux-gen.xyz",
        "claim your nitro at discord-gift.ru/claim",
        "sub4sub anyone",
        "f4f?",
        "double your bitcoin, send 0.1 btc",
    ],
)
def test_spam_and_scams_are_held_from_level_one(text):
    verdict = automod.judge(text, level=1)
    assert verdict.decision != automod.ALLOW
    assert verdict.category == "spam"


def test_the_same_self_promotion_again_is_spam():
    pitch = "come watch my stream, link in bio"
    assert not flagged("hey all, check out my art", 1)
    assert not flagged(pitch.replace("link in bio", "pls"), 1, recent=("gg",))
    assert flagged(pitch, 1, recent=(pitch,))
    say_again = "did anyone see the last boss fight"
    assert not flagged(say_again, 2, recent=(say_again,))  # asking twice is not spam


@pytest.mark.parametrize(
    "text",
    [
        "kill the healer first",
        "he got absolutely slaughtered",
        "headshot him, he's one shot",
        "I'm gonna destroy you in the next match",
        "you're dead meat if the tank sees you",
        "burn them with the flamethrower",
        "die die die come on boss just die",
        "we are going to crush them in the finals",
    ],
)
def test_gaming_talk_that_sounds_violent_is_not_held(text):
    assert not flagged(text, 2), automod.judge(text, level=2).reason


@pytest.mark.parametrize(
    "text",
    [
        "holy shit that was amazing",
        "you're a fucking legend",
        "damn that was clean",
        "that combo was filthy",
        "fuck yeah we won",
    ],
)
def test_praise_with_a_rude_word_is_not_held_at_the_moderate_level(text):
    assert not flagged(text, 2), automod.judge(text, level=2).reason


@pytest.mark.parametrize(
    "text",
    [
        "I'm such an idiot, I forgot to save",
        "my aim is trash today",
        "I'm so bad at this lol",
        "me and my two brain cells",
        "I'm a clown for believing that",
    ],
)
def test_calling_oneself_names_is_not_held(text):
    assert not flagged(text, 2), automod.judge(text, level=2).reason


def test_short_shouts_and_emote_spam_are_not_spam():
    for text in ("LETS GOOOO", "hype hype hype", "PogChamp PogChamp PogChamp PogChamp PogChamp",
                 "OMEGALUL OMEGALUL", "🔥🔥🔥🔥🔥🔥🔥🔥"):  # fmt: skip
        assert not flagged(text, 4), (text, automod.judge(text, level=4).reason)


def test_shouting_floods_and_link_dumps_are_held_at_the_strict_levels():
    for text in ("WHY IS NOBODY ANSWERING MY QUESTION IN THIS CHAT",
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "go to abc.xyz and def.ru now"):  # fmt: skip
        assert flagged(text, 3), text
    assert not flagged("the patch notes are on store.steampowered.com", 4)  # a known site


def test_the_strongest_abuse_is_blocked_not_just_held():
    verdict = automod.judge("heil hitler", level=2)
    assert verdict.decision == automod.BLOCK
    assert verdict.reason == "hate 1.00"


def test_stricter_levels_never_let_through_what_looser_ones_catch():
    texts = [line.text for line in lines()]
    caught = [
        {t for t, v in zip(texts, automod.judge_many(texts, level=level), strict=True)
         if v.decision != automod.ALLOW}
        for level in range(5)
    ]  # fmt: skip
    for looser, stricter in itertools.pairwise(caught):
        assert looser <= stricter


def test_the_held_out_lines_meet_the_budget_at_the_moderate_level():
    """docs/moderation.md reports these figures (``make eval``), from the part of the lines
    the rules were never tuned on."""
    quality = evaluate(sample(HELD_OUT))
    assert quality[2].f1 >= 0.90
    assert quality[2].precision >= 0.90
    assert quality[1].precision >= 0.95  # the loosest level almost never holds good chat


def test_the_classifier_gives_what_scikit_learn_gives():
    from profanity_check import profanity_check

    texts = [line.text.lower() for line in lines()[:200]] + ["", "the the", "fuck fuck shit"]
    expected = profanity_check.model.predict_proba(profanity_check.vectorizer.transform(texts))
    for text, probability in zip(texts, expected[:, 1], strict=True):
        assert classifier().probability(text) == pytest.approx(probability, abs=1e-9), text
