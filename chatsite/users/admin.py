from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from chatsite.users.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "display_name",
        "chat_color",
        "is_staff",
        "is_verified_bot",
        "is_turbo",
        "is_active",
        "date_joined",
    )
    list_filter = ("is_staff", "is_superuser", "is_verified_bot", "is_turbo", "is_active")
    search_fields = ("username", "display_name", "email")
    ordering = ("username",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Chat", {"fields": ("display_name", "chat_color", "is_verified_bot", "is_turbo")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
    )
