from django.contrib import admin

from scpvn.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "message", "read_at"]
    search_fields = ["message", "user__username"]
