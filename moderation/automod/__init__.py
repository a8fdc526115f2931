"""AutoMod's judgement of a chat line: category scores, then allow, hold or block (pure: no
Django).

A message is read as a moderator reads it: through its disguises first
(``moderation.normalize``: "f u c k", "b1tch", full-width letters), then for what it says
(``lexicon``: hate, threats, self-harm baiting, sexual harassment, insults aimed at someone,
spam and scams), for swearing (alt-profanity-check's model, ``classifier``), and for how it
looks (shouting, one word over and over, links to unknown sites, character floods). The
sender's recent messages count too: the same self-promotion again is spam.

Scores are in [0, 1]; a room's level picks the thresholds in ``LEVELS``, the one table
``docs/moderation.md`` documents. Each level holds all that the level below it holds.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from moderation.automod import lexicon
from moderation.automod.classifier import classifier
from moderation.normalize import plain

ALLOW, HOLD, BLOCK = "allow", "hold", "block"
CATEGORIES = (*lexicon.CATEGORIES, "profanity", "caps", "repetition", "links", "flood")

# level -> category -> (hold at, block at); None never acts. Level 0 is off.
# 1: what no room wants: hate, threats, self-harm baiting, scams, explicit sexual demands,
# abuse with swearing in it. 2 (moderate): also sexual harassment and insults without a
# swear word. 3: also swearing in general, shouting and links. 4: anything rough.
LEVELS: dict[int, dict[str, tuple[float | None, float | None]]] = {
    1: {"hate": (0.9, None), "threat": (0.9, None), "self_harm": (0.9, None),
        "sexual": (1.0, None), "insult": (1.0, None), "spam": (0.95, None),
        "profanity": (None, None), "caps": (None, None), "repetition": (None, None),
        "links": (None, None), "flood": (0.95, None)},
    2: {"hate": (0.8, 1.0), "threat": (0.8, None), "self_harm": (0.85, None),
        "sexual": (0.75, None), "insult": (0.85, None), "spam": (0.8, None),
        "profanity": (None, None), "caps": (0.95, None), "repetition": (0.8, None),
        "links": (0.95, None), "flood": (0.85, None)},
    3: {"hate": (0.8, 1.0), "threat": (0.8, 1.0), "self_harm": (0.8, 1.0),
        "sexual": (0.75, 1.0), "insult": (0.85, None), "spam": (0.8, 1.0),
        "profanity": (0.9, 0.999), "caps": (0.9, None), "repetition": (0.75, None),
        "links": (0.9, None), "flood": (0.7, None)},
    4: {"hate": (0.75, 1.0), "threat": (0.75, 1.0), "self_harm": (0.75, 1.0),
        "sexual": (0.75, 1.0), "insult": (0.85, 1.0), "spam": (0.8, 1.0),
        "profanity": (0.6, 0.999), "caps": (0.8, None), "repetition": (0.6, None),
        "links": (0.6, None), "flood": (0.55, None)},
}  # fmt: skip

_URL = re.compile(
    r"(?:https?://|www\.)(?P<host>[^\s/]+)\S*"
    r"|\b(?P<bare>(?:[a-z0-9-]{2,}\.)+(?:com|net|org|io|gg|ru|xyz|tk|ly|me|tv|co|shop|gift|"
    r"info|biz|fun|site|online|top|link|click|app|store|live|cc|us|uk|de))\b(?:/\S*)?",
    re.IGNORECASE,
)
# Sites chat links to all day: never a reason to hold a message on their own.
TRUSTED_SITES = frozenset(
    [
        "twitch.tv",
        "clips.twitch.tv",
        "youtube.com",
        "youtu.be",
        "twitter.com",
        "x.com",
        "wikipedia.org",
        "steampowered.com",
        "store.steampowered.com",
        "github.com",
        "reddit.com",
        "imgur.com",
        "instagram.com",
        "tiktok.com",
        "spotify.com",
        "nintendo.com",
        "playstation.com",
        "xbox.com",
        "epicgames.com",
        "gog.com",
    ]
)
_RUN = re.compile(r"(.)\1{5,}")
_SYMBOL = re.compile(r"[^\w\s\u2000-\U0010ffff]")  # punctuation and symbols, not emoji
_WORD = re.compile(r"\w+")
_EMOTE_LIKE = re.compile(r"^(?:[a-z]+[A-Z]\w*|[A-Z][a-z0-9]+[A-Z]\w*|[^\w\s]+|:\w+:|<3|xD|o7)$")
# Links whose site name lures with a brand or a gift it does not belong to.
_LURE = re.compile(
    r"discord|steam|twitch|nitro|gift|robux|v-?bucks|skins?|promo|free|claim|"
    r"giveaway|airdrop|elon|crypto"
)


@dataclass(frozen=True)
class Verdict:
    decision: str  # allow, hold or block
    category: str  # the category that decided, "" when allowed
    scores: dict[str, float]

    @property
    def reason(self) -> str:
        if self.decision == ALLOW:
            return ""
        return f"{self.category.replace('_', ' ')} {self.scores[self.category]:.2f}"


def warm_up() -> None:
    classifier()


def profanity_scores(texts: Sequence[str]) -> list[float]:
    """The classifier's probability that each (normalised) text is offensive."""
    model = classifier()
    return [model.probability(text) for text in texts]


def caps_score(text: str) -> float:
    """Share of capital letters, counted only when there are enough letters to shout (each
    word once: an emote repeated is not shouting)."""
    words = " ".join(dict.fromkeys(text.split()))
    letters = sum(map(str.isalpha, words))
    if letters < 16:
        return 0.0
    return sum(map(str.isupper, words)) / letters


def repetition_score(text: str) -> float:
    """How much of a long message repeats its own words ("follow me follow me ..."); emotes
    repeated are how chat cheers, and do not count."""
    words = text.split()
    if len(words) < 6:
        return 0.0
    words = [w for w in words if not _EMOTE_LIKE.match(w)]
    words = [w.casefold() for w in _WORD.findall(" ".join(words))]
    if len(words) < 6:
        return 0.0
    repeated = 1 - len(set(words)) / len(words)
    return repeated if len(words) >= 8 else min(repeated, 0.75)


def _unknown_sites(text: str) -> list[str]:
    sites = []
    for match in _URL.finditer(text):
        host = (match.group("host") or match.group("bare") or "").lower().removeprefix("www.")
        if host not in TRUSTED_SITES and not any(host.endswith("." + s) for s in TRUSTED_SITES):
            sites.append(host)
    return sites


def links_score(text: str, sites: list[str] | None = None) -> float:
    """Links to sites chat does not know: one is suspicious, several are spam."""
    sites = _unknown_sites(text) if sites is None else sites
    return {0: 0.0, 1: 0.7}.get(len(sites), 0.95)


def lure_score(text: str, sites: list[str] | None = None) -> float:
    """A link to a site dressed as a brand or a gift ("discord-gift.ru", "steamcommunlty")."""
    sites = _unknown_sites(text) if sites is None else sites
    return 0.95 if any(_LURE.search(site) for site in sites) else 0.0


def flood_score(text: str) -> float:
    """Character floods: long runs of one character, or mostly symbols (emoji excepted)."""
    if len(text) < 12:
        return 0.0
    runs = sum(len(m.group(0)) for m in _RUN.finditer(text))
    symbols = len(_SYMBOL.findall(text))
    return min(1.0, max(runs / len(text) * 1.2, symbols / len(text)))


def _promotion_repeated(text: str, recent: Sequence[str]) -> float:
    """The same pitch again: a message that advertises (a link, or spam wording) sent before
    by its author, or the same line three times or more."""
    if not recent:
        return 0.0
    said = plain(text)
    same = sum(1 for earlier in recent if plain(earlier) == said)
    pitch = links_score(text) > 0 or lexicon.scores(said)["spam"] > 0
    if pitch and same >= 1:
        return 0.95
    if same >= 2 and len(said) > 12:
        return 0.8
    return 0.0


def scores_of(text: str, *, profanity: float, recent: Sequence[str] = ()) -> dict[str, float]:
    """Every category's score for ``text`` (``profanity`` is the classifier's)."""
    said = plain(text)
    sites = _unknown_sites(text)
    found = lexicon.scores(said)
    found["spam"] = max(found["spam"], lure_score(text, sites), _promotion_repeated(text, recent))
    if profanity > 0.5 and not lexicon.swearing(said):
        profanity = 0.5  # harsh words without a swear: the lexicon judges them in context
    elif profanity > 0.5 and (lexicon.praised(said) or lexicon.self_aimed(said)):
        profanity = min(profanity, 0.95)  # "holy shit that was clean", "I'm so fucking bad"
    if found["insult"] >= 0.85 and profanity >= 0.9:
        found["insult"] = 1.0  # abuse with swearing in it: held from level 1
    found.update(
        profanity=profanity,
        caps=caps_score(text),
        repetition=repetition_score(text),
        links=links_score(text, sites),
        flood=flood_score(text),
    )
    return {category: round(score, 3) for category, score in found.items()}


def judge_many(
    texts: Sequence[str], *, level: int, recent: Sequence[Sequence[str]] | None = None
) -> list[Verdict]:
    """One verdict per text at the room's ``level``; ``recent`` holds what each text's sender
    said in the room before it (newest last), if known."""
    recent = recent or [()] * len(texts)
    verdicts = []
    for text, before in zip(texts, recent, strict=True):
        said = plain(text)
        profanity = classifier().probability(said)
        verdicts.append(decide(scores_of(text, profanity=profanity, recent=before), level=level))
    return verdicts


def judge(text: str, *, level: int, recent: Sequence[str] = ()) -> Verdict:
    return judge_many([text], level=level, recent=[recent])[0]


def decide(scores: dict[str, float], *, level: int) -> Verdict:
    """Block if any category reaches its block threshold, else hold if any reaches hold."""
    if level <= 0:
        return Verdict(ALLOW, "", scores)
    thresholds = LEVELS[min(level, 4)]
    for decision, index in ((BLOCK, 1), (HOLD, 0)):
        over = [
            (scores[c], c)
            for c in CATEGORIES
            if thresholds[c][index] is not None and scores[c] >= thresholds[c][index]
        ]
        if over:
            return Verdict(decision, max(over)[1], scores)
    return Verdict(ALLOW, "", scores)
