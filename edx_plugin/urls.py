"""URLs of the plugin, mounted by the platform under ``party-training/`` (namespace party_training):
each area's pages, and the REST API."""
from django.urls import URLPattern, URLResolver, include, path

from .core.pages import translated_refusals

from .core import views as core_views

app_name = "party_training"


def _pages(module: str):
    """An area's pages, each answering a refusal with the translated page (``core.pages``)."""
    resolver = include(module)

    def wrap(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                wrap(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                pattern.callback = translated_refusals(pattern.callback)

    wrap(getattr(resolver[0], "urlpatterns", resolver[0]))
    return resolver


urlpatterns = [
    path("", _pages("party_training.edx_plugin.core.urls")),
    path("", _pages("party_training.edx_plugin.learning_file.urls")),
    path("api/v1/", include("party_training.edx_plugin.api.urls")),
    path("", _pages("party_training.edx_plugin.party_class.urls")),
    path("", _pages("party_training.edx_plugin.knowledge_contest.urls")),
    path("", _pages("party_training.edx_plugin.writing_assignment.urls")),
    path("", _pages("party_training.edx_plugin.case_discussion.urls")),
    path("", _pages("party_training.edx_plugin.menu_selection.urls")),
    path("", _pages("party_training.edx_plugin.rotation.urls")),
    path("", _pages("party_training.edx_plugin.compliance.urls")),
    path("", _pages("party_training.edx_plugin.reminders.urls")),
    path(f"vendor/echarts-{core_views.ECHARTS_VERSION}.min.js", core_views.echarts, name="vendor_echarts"),
]
