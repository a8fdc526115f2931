"""The Twitch-compatible IRC gateway: Twitch chat clients and bots, unchanged but for the
host and port, over WebSocket (``/`` and ``/irc``) or plain TCP. See ``docs/irc.md``."""
