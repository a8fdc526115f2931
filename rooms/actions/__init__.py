"""The rooms app's writes, by subject: ``messages`` (the send path), ``rooms`` (rooms,
their modes, styles and memberships). They check no moderator's permission: that is
``moderation.actions``' job, which calls these."""
