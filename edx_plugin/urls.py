"""URLs of the plugin, mounted by the platform under ``party-training/`` (namespace party_training):
each area's pages, and the REST API."""
from django.urls import include, path

from .core import views as core_views

app_name = "party_training"

urlpatterns = [
    path("", include("party_training.edx_plugin.learning_file.urls")),
    path("api/v1/", include("party_training.edx_plugin.api.urls")),
    path("", include("party_training.edx_plugin.knowledge_contest.urls")),
    path("", include("party_training.edx_plugin.writing_assignment.urls")),
    path("", include("party_training.edx_plugin.case_discussion.urls")),
    path("", include("party_training.edx_plugin.menu_selection.urls")),
    path("", include("party_training.edx_plugin.rotation.urls")),
    path("", include("party_training.edx_plugin.compliance.urls")),
    path("", include("party_training.edx_plugin.reminders.urls")),
    path(f"vendor/echarts-{core_views.ECHARTS_VERSION}.min.js", core_views.echarts, name="vendor_echarts"),
]
