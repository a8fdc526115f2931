"""What every admin page that changes chat state shares: the actor and source of its
actions, and a refused action shown as an error (with nothing changed) instead of a 500."""

import contextlib

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect

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

    # After a refusal, nothing changed: no inlines saved, no history entry, no "changed
    # successfully", and back to the form with the error.
    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_refused", False) and level != messages.ERROR:
            return
        super().message_user(request, message, level, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "_refused", False):
            super().save_related(request, form, formsets, change)

    def log_addition(self, request, obj, message):
        if not getattr(request, "_refused", False):
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if not getattr(request, "_refused", False):
            return super().log_change(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_refused", False):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "_refused", False):
            return HttpResponseRedirect(request.get_full_path())
        return super().response_change(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
