"""What every admin page that changes chat state shares: the actor and source of its
actions, and a refused action shown as an error (with nothing changed) instead of a 500."""

import contextlib

from django.contrib import admin, messages
from django.db import transaction

from chatsite.errors import ChatRefused
from moderation.models import AuditEntry

ADMIN = AuditEntry.Source.ADMIN


class ActionAdmin(admin.ModelAdmin):
    """A model admin whose writes are actions (``acting``), never the model's own save."""

    @contextlib.contextmanager
    def acting(self, request):
        """Run actions for ``request``; a refusal rolls back what they did and is shown."""
        try:
            with transaction.atomic():
                yield
        except ChatRefused as refused:
            request._refused = True
            self.message_user(request, refused.message, messages.ERROR)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_refused", False) and level != messages.ERROR:
            return  # "changed successfully" would be a lie
        super().message_user(request, message, level, *args, **kwargs)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
