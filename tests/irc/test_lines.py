"""IRC lines with IRCv3 tags: what Twitch sends and clients send, and, for any line at
all, a parse that never fails but with ``LineError`` and a serialisation it inverts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irc.lines import Line, LineError, escape_value, parse, serialize, unescape_value

TWITCH_PRIVMSG = (
    "@badge-info=subscriber/8;badges=subscriber/6,premium/1;color=#FF4500;display-name=Talker;"
    "emotes=25:0-4,12-16;id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;mod=0;room-id=1337;"
    "subscriber=1;tmi-sent-ts=1507246572675;turbo=1;user-id=1337;user-type= "
    ":talker!talker@talker.tmi.twitch.tv PRIVMSG #room :Kappa hello Kappa"
)


def test_a_twitch_privmsg():
    line = parse(TWITCH_PRIVMSG + "\r\n")
    assert line.command == "PRIVMSG"
    assert line.params == ("#room", "Kappa hello Kappa")
    assert line.prefix == "talker!talker@talker.tmi.twitch.tv"
    assert line.tags["badges"] == "subscriber/6,premium/1"
    assert line.tags["user-type"] == ""
    assert line.tags["emotes"] == "25:0-4,12-16"
    assert serialize(line) == TWITCH_PRIVMSG


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PING :tmi.twitch.tv", Line("PING", ("tmi.twitch.tv",))),
        ("CAP REQ :twitch.tv/tags twitch.tv/commands",
         Line("CAP", ("REQ", "twitch.tv/tags twitch.tv/commands"))),
        ("pass oauth:abc", Line("PASS", ("oauth:abc",))),
        ("JOIN #a,#b", Line("JOIN", ("#a,#b",))),
        ("  NICK   talker  ", Line("NICK", ("talker",))),
        ("@reply-parent-msg-id=abc PRIVMSG #room :@friend yes",
         Line("PRIVMSG", ("#room", "@friend yes"), {"reply-parent-msg-id": "abc"})),
        ("PRIVMSG #room :\x01ACTION waves\x01", Line("PRIVMSG", ("#room", "\x01ACTION waves\x01"))),
        ("@flag PRIVMSG #r :", Line("PRIVMSG", ("#r", ""), {"flag": ""})),
        ("@k=a\\sb\\:c\\\\d\\re\\nf\\ PING", Line("PING", (), {"k": "a b;c\\d\re\nf"})),
        (":tmi.twitch.tv 001 talker :Welcome, GLHF!",
         Line("001", ("talker", "Welcome, GLHF!"), prefix="tmi.twitch.tv")),
    ],
)  # fmt: skip
def test_lines_clients_send(raw, expected):
    assert parse(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "\r\n",
        "@a=b",
        ":prefix",
        ":prefix :text",
        "@a=b :p",
        "12 x",
        "@bad key=1 PING",
        "PING\nPONG",
        "PR!VMSG x",
    ],
)
def test_what_is_not_a_line(raw):
    with pytest.raises(LineError):
        parse(raw)


def test_tag_values_escape_and_unescape():
    value = "a; b\\c\r\nd"
    assert escape_value(value) == "a\\:\\sb\\\\c\\r\\nd"
    assert unescape_value(escape_value(value)) == value
    assert unescape_value("x\\q") == "xq"  # an unknown escape is the character itself


def test_what_cannot_be_sent_is_refused():
    for line in [Line("PRIVMSG", ("#a b", "x")), Line("PRIVMSG", ("", "x")),
                 Line("privmsg", ("#a", "x")), Line("PING", ("x\r\ny",)),
                 Line("PING", (), {"bad key": "1"}), Line("PING", prefix="a b")]:  # fmt: skip
        with pytest.raises(LineError):
            serialize(line)


# ---- properties -----------------------------------------------------------------

_no_breaks = st.text(
    alphabet=st.characters(blacklist_characters="\r\n\0", blacklist_categories=("Cs",))
)
_word = _no_breaks.filter(lambda s: s and " " not in s and not s.startswith(":"))
tag_keys = st.from_regex(r"\A\+?([a-z0-9.-]{1,8}/)?[A-Za-z0-9-]{1,12}\Z")
lines = st.builds(
    Line,
    command=st.one_of(st.from_regex(r"\A[A-Z]{1,10}\Z"), st.from_regex(r"\A[0-9]{3}\Z")),
    params=st.one_of(
        st.just(()),
        st.builds(lambda middle, last: (*middle, last), st.lists(_word, max_size=4), _no_breaks),
    ),
    tags=st.dictionaries(tag_keys, _no_breaks, max_size=6),
    prefix=st.one_of(st.none(), _no_breaks.filter(lambda s: s and " " not in s)),
)


@settings(max_examples=400)
@given(lines)
def test_parse_inverts_serialize(line):
    assert parse(serialize(line)) == line


@settings(max_examples=600)
@given(st.text(max_size=300))
def test_no_input_crashes_the_parser(raw):
    try:
        line = parse(raw)
    except LineError:
        return
    assert line.command  # and what it parsed can be sent back
    assert parse(serialize(line)) == line
