"""Pages of core."""
from django.urls import path

from . import views

urlpatterns = [
    path("course/<str:course_id>/staff/", views.staff_dashboard, name="staff_dashboard"),
]
