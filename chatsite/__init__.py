"""Twitchy Chat: the Django project package (settings, ASGI, URLs, Celery)."""

from chatsite.celery import app as celery_app

__all__ = ["celery_app"]
