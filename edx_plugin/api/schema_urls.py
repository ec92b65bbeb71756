"""The routes of API v1 under their real prefix, for the schema generator only (api.root)."""
from django.urls import include, path

app_name = "party_training"

urlpatterns = [path("party-training/api/v1/", include("party_training.edx_plugin.api.urls"))]
