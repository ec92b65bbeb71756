"""URLs of the plugin, mounted by the platform under ``party-training/`` (namespace party_training)."""
from django.urls import include, path

from . import views

app_name = "party_training"

urlpatterns = [
    path("my/", views.learning_file, name="learning_file"),
    path("api/v1/", include("party_training.edx_plugin.api.urls")),
]
