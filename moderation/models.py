"""Bans, timeouts, blocked terms and the audit log arrive with the moderation issue."""
