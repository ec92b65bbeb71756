"""Pages of reminders (reminders)."""
from django.urls import path

from . import views

urlpatterns = [
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/sent/", views.sent, name="reminders_sent"),
]
