"""The Django admin: one more interface over the same actions as the chat, the dashboard
and the API. Every change it makes to chat state goes through an action that checks,
writes, audits (source ``admin``) and tells open clients; it writes no model itself.

It lives here, above the apps, because its pages for rooms and emotes call moderation's
actions (which audit), and ``rooms`` and ``emotes`` sit below ``moderation``.
"""

from chatsite.admin import emotes, moderation, rooms  # noqa: F401  (they register)
