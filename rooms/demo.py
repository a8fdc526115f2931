"""The demo: three styled rooms, emotes, badges and one user per role.

Idempotent: running it again changes nothing that exists and never resets a
password. Passwords are random and returned only for users it created.
"""

import secrets
from dataclasses import dataclass, field

from django.db import transaction

from chatsite.errors import ChatRefused
from chatsite.users.models import User
from emotes.imaging import draw_demo_badge, draw_demo_emote
from emotes.models import Badge, Emote
from emotes.services import badge_create, emote_create
from rooms.actions.messages import chat_submit
from rooms.actions.rooms import membership_set, room_create
from rooms.models import Room, Style
from rooms.skibidi.presets import STYLES

ROOMS = [
    {"slug": "bestie_lounge", "title": "Bestie Lounge", "style": "bestie",
     "description": "Cozy streams and wholesome chat, where every message is a slay."},
    {"slug": "brainrot_arena", "title": "Brainrot Arena", "style": "brainrot",
     "description": "Speedruns and chaos. Chat speaks fluent skibidi."},
    {"slug": "bards_tavern", "title": "The Bard's Tavern", "style": "bard",
     "description": "Tabletop nights by the fire; chat speaketh in verse."},
]  # fmt: skip

# login, display name, flags, and the role they hold in every demo room
USERS = [
    {"login": "demo_admin", "display": "Demo_Admin", "staff": True, "role": "regular"},
    {"login": "streamer", "display": "Streamer", "role": "broadcaster", "color": "#9147FF"},
    {"login": "mod_mia", "display": "Mod_Mia", "role": "moderator", "color": "#00C48C"},
    {"login": "vip_vic", "display": "VIP_Vic", "role": "vip", "color": "#FF69B4"},
    {"login": "sub_sam", "display": "Sub_Sam", "role": "subscriber", "color": "#1E90FF"},
    {"login": "viewer_val", "display": "Viewer_Val", "role": "regular"},
    {"login": "helper_bot", "display": "Helper_Bot", "bot": True, "role": "regular"},
]

EMOTES = [
    # code, face, colour, room slug (None: global), tier
    ("PogHype", "open", "#ffcc4d", None, 0),
    ("SigmaShades", "shades", "#f4a259", None, 0),
    ("BestieLove", "hearts", "#ff9ec7", None, 0),
    ("OhioSkull", "skull", "#e8e8e8", None, 0),
    ("SadgeCry", "sad", "#7fb2ff", None, 0),
    ("NoCapFace", "flat", "#a3e635", None, 0),
    ("GlowSmile", "smile", "#ffd166", None, 0),
    ("bestieSlay", "hearts", "#c084fc", "bestie_lounge", 1),
    ("bestieVibe", "smile", "#f9a8d4", "bestie_lounge", 2),
    ("brainSkibidi", "open", "#67e8f9", "brainrot_arena", 1),
    ("brainMog", "shades", "#fb923c", "brainrot_arena", 3),
    ("bardHuzzah", "smile", "#fcd34d", "bards_tavern", 1),
    ("bardAle", "open", "#d6a15c", "bards_tavern", 1),
]

BADGES = [
    # set, version, title, symbol, colour
    ("broadcaster", "1", "Broadcaster", "B", "#e91916"),
    ("moderator", "1", "Moderator", "M", "#00ad03"),
    ("vip", "1", "VIP", "V", "#e005b9"),
    ("staff", "1", "Staff", "S", "#000000"),
    ("verified-bot", "1", "Verified Bot", "B", "#1f69ff"),
    ("turbo", "1", "Turbo", "T", "#59399a"),
    ("subscriber", "0", "Subscriber", "star", "#8205b4"),
    ("subscriber", "3", "3-Month Subscriber", "star", "#2e6bd8"),
    ("subscriber", "6", "6-Month Subscriber", "star", "#0e9f6e"),
    ("subscriber", "12", "1-Year Subscriber", "star", "#d97706"),
    ("subscriber", "2000", "Tier 2 Subscriber", "star", "#c026d3"),
    ("subscriber", "3000", "Tier 3 Subscriber", "star", "#dc2626"),
    ("bits", "1", "cheer 1", "1", "#979797"),
    ("bits", "100", "cheer 100", "100", "#9c3ee8"),
    ("bits", "1000", "cheer 1000", "1K", "#1db2a5"),
]

ROLE_MEMBERSHIP = {
    "moderator": {"is_moderator": True},
    "vip": {"is_vip": True},
    "subscriber": {"subscriber_tier": 1, "subscriber_months": 7},
}


@dataclass
class DemoReport:
    created_users: dict[str, str] = field(default_factory=dict)  # login -> password
    created_rooms: list[str] = field(default_factory=list)
    created_emotes: int = 0
    created_badges: int = 0


@transaction.atomic
def demo_seed() -> DemoReport:
    report = DemoReport()
    styles = {}
    for spec in STYLES:
        style, _ = Style.objects.get_or_create(
            slug=spec["slug"],
            defaults={k: v for k, v in spec.items() if k != "slug"},
        )
        styles[style.slug] = style

    users = {}
    for spec in USERS:
        user = User.objects.filter(username=spec["login"]).first()
        if user is None:
            password = secrets.token_urlsafe(9)
            user = User(
                username=spec["login"],
                display_name=spec["display"],
                chat_color=spec.get("color", ""),
                is_staff=spec.get("staff", False),
                is_superuser=spec.get("staff", False),
                is_verified_bot=spec.get("bot", False),
            )
            user.set_password(password)
            user.full_clean()
            user.save()
            report.created_users[user.username] = password
        users[spec["role"] if spec["role"] != "regular" else spec["login"]] = user

    for spec in ROOMS:
        room = Room.objects.filter(slug=spec["slug"]).first()
        if room is None:
            room = room_create(
                slug=spec["slug"],
                title=spec["title"],
                description=spec["description"],
                style=styles[spec["style"]],
                owner=users["broadcaster"],
            )
            report.created_rooms.append(room.slug)
            for role, flags in ROLE_MEMBERSHIP.items():
                membership_set(room=room, user=users[role], **flags)

    rooms = {room.slug: room for room in Room.objects.filter(slug__in=[r["slug"] for r in ROOMS])}
    for code, face, color, room_slug, tier in EMOTES:
        room = rooms[room_slug] if room_slug else None
        if not Emote.objects.filter(code=code, room=room).exists():
            emote_create(
                code=code, image=draw_demo_emote(face, color), room=room, tier_required=tier
            )
            report.created_emotes += 1

    for set_name, version, title, symbol, color in BADGES:
        if not Badge.objects.filter(set_name=set_name, version=version).exists():
            badge_create(
                set_name=set_name,
                version=version,
                title=title,
                image=draw_demo_badge(symbol, color),
            )
            report.created_badges += 1
    return report


# What the demo chatters say, room by room: the activity that makes a first visit look alive
# (``manage.py demo_chat``). Emote codes and mentions as chatters type them.
LINES = {
    "bestie_lounge": [
        "hi besties BestieLove", "this stream is so cozy today",
        "@Streamer your setup looks amazing", "just got here, what did I miss?",
        "GlowSmile GlowSmile", "/me brings snacks for everyone",
        "that outfit is everything", "ok but the music right now", "PogHype PogHype PogHype",
        "good night chat, see you tomorrow", "who else is drinking tea rn", "love this community",
    ],
    "brainrot_arena": [
        "that run was insane PogHype", "OhioSkull OhioSkull", "no way he skipped that",
        "chat is this real", "/me spams the skip button", "@Streamer world record pace?",
        "SigmaShades moment", "the lag is real today", "who let him cook", "NoCapFace",
        "first try btw", "ggs everyone",
    ],
    "bards_tavern": [
        "hail friends, pour me an ale", "the dragon is coming, I can feel it",
        "@Streamer roll for initiative!", "/me sharpens a sword by the fire", "GlowSmile",
        "my bard has no spell slots left", "a natural twenty, the crowd goes wild",
        "who brought the map", "SadgeCry the goblin got away", "this campaign is legendary",
        "good night travellers", "the innkeeper looks suspicious",
    ],
}  # fmt: skip
SPEAKERS = ["vip_vic", "sub_sam", "viewer_val", "helper_bot"]


def demo_say(rng, rooms: list[Room] | None = None) -> str | None:
    """One demo chatter says one line in one demo room, through the real send path (every
    rule applies: a refusal is simply skipped). Returns what was said, or None."""
    rooms = rooms if rooms is not None else list(Room.objects.filter(slug__in=LINES))
    speakers = list(User.objects.filter(username__in=SPEAKERS, is_active=True))
    if not rooms or not speakers:
        return None
    room = rng.choice(rooms)
    text = rng.choice(LINES[room.slug])
    try:
        chat_submit(room=room, author=rng.choice(speakers), text=text, source="api")
    except ChatRefused:
        return None
    return text


def demo_backlog(rng, per_room: int = 8) -> int:
    """A few recent lines in each demo room that has none yet; returns how many were said."""
    said = 0
    for room in Room.objects.filter(slug__in=LINES):
        if room.messages.exists():
            continue
        for _ in range(per_room):
            said += demo_say(rng, [room]) is not None
    return said
