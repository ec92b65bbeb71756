"""Pages of the learning file."""
from django.urls import path

from . import views

urlpatterns = [
    path("my/", views.learning_file, name="learning_file"),
]
