"""Pages of party classes."""
from django.urls import path, re_path

from . import views

urlpatterns = [
    re_path(r"^class/(?P<usage_id>[^/]+)/sign-in/$", views.sign_in_page, name="party_class_sign_in"),
    path("class/course/<str:course_id>/", views.course_classes, name="party_class_course"),
]
