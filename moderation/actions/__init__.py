"""Moderation's writes, by subject: each checks who may (``rooms.permissions``), writes,
audits (``audit``) and tells open clients after the commit. Every interface calls these:
chat commands, the dashboard and the REST API, the Django admin and AutoMod's task."""
