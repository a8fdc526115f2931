import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.commands import Command, CommandError, parse_command


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/timeout Rowdy", Command("timeout", "rowdy", 600)),
        ("/timeout @rowdy 90 stop spamming", Command("timeout", "rowdy", 90, "stop spamming")),
        ("/timeout rowdy 10m", Command("timeout", "rowdy", 600)),
        ("/timeout rowdy 2h", Command("timeout", "rowdy", 7200)),
        ("/timeout rowdy calm down", Command("timeout", "rowdy", 600, "calm down")),
        ("/ban rowdy repeated slurs", Command("ban", "rowdy", None, "repeated slurs")),
        ("/UNBAN rowdy", Command("unban", "rowdy")),
        ("/untimeout rowdy", Command("untimeout", "rowdy")),
        ("/slow", Command("slow", None, 30)),
        ("/slow 120", Command("slow", None, 120)),
        ("/slowoff", Command("slowoff")),
        ("/emoteonly", Command("emoteonly")),
        ("/subscribersoff", Command("subscribersoff")),
        ("/uniquechat", Command("uniquechat")),
        ("/r9kbeta", Command("uniquechat")),  # Twitch's older name
        ("/r9kbetaoff", Command("uniquechatoff")),
        ("/clear", Command("clear")),
        ("/delete 5d1c7b8e-2f7a", Command("delete", message_id="5d1c7b8e-2f7a")),
        ("/mod newmod", Command("mod", "newmod")),
        ("/unvip oldvip", Command("unvip", "oldvip")),
    ],
)
def test_commands_are_parsed(text, command):
    assert parse_command(text) == command


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("/", "unknown_command"),
        ("/launch", "unknown_command"),
        ("/ban", "missing_user"),
        ("/ban <script>", "missing_user"),
        ("/timeout x!", "missing_user"),
        ("/delete", "missing_message"),
    ],
)
def test_bad_commands_say_what_is_wrong(text, code):
    with pytest.raises(CommandError) as error:
        parse_command(text)
    assert error.value.code == code


@given(st.text(max_size=200))
def test_the_parser_never_crashes(text):
    try:
        command = parse_command("/" + text)
    except CommandError:
        return
    assert command.name
    assert len(command.reason) <= 500
