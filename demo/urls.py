"""URLs of the demo site; the plugin's URLs are mounted the way the LMS mounts them."""
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from party_training.edx_plugin import tasks as _plugin_tasks  # noqa: F401  pylint: disable=unused-import
from party_training.edx_plugin.apps import PartyTrainingConfig

from . import views

# The web process sends background jobs by task name (core.jobs): the plugin's tasks are registered
# with the demo's Celery app here, as the platform's Celery app autodiscovers them.
_PLUGIN_URLS = PartyTrainingConfig.plugin_app["url_config"]["lms.djangoapp"]

demo_patterns = [
    path("", views.home, name="home"),
    re_path(r"^courses/(?P<course_id>[^/]+)/$", views.course_outline, name="course"),
    re_path(r"^courses/(?P<course_id>[^/]+)/unit/(?P<url_name>[\w-]+)/$", views.unit, name="unit"),
    re_path(r"^courses/(?P<course_id>[^/]+)/jump_to/(?P<usage_id>[^/]+)$", views.jump_to, name="jump_to"),
    path("favicon.ico", views.favicon, name="favicon"),
    re_path(r"^xblock/(?P<usage_id>block-v1:[^/]+)$", views.render_xblock, name="render_xblock"),
    path("xblock/<str:usage_id>/handler/<str:handler>", views.handler, name="handler"),
    path("xblock/<str:usage_id>/handler/<str:handler>/<path:suffix>", views.handler, name="handler_suffix"),
    re_path(r"^xblock/resource/(?P<block_type>[\w]+)/(?P<uri>.+)$", views.block_resource, name="block_resource"),
]

if settings.DEMO_BENCH:
    demo_patterns.append(path("bench/insert/", views.bench_insert, name="bench_insert"))
handler403 = "demo.views.forbidden"

urlpatterns = [
    path("", include((demo_patterns, "demo"), namespace="demo")),
    path("login/", auth_views.LoginView.as_view(template_name="demo/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Mounted as the LMS mounts the plugin (its url_config); other installed plugins are left out.
    re_path(_PLUGIN_URLS["regex"], include("party_training.edx_plugin.urls", namespace=_PLUGIN_URLS["namespace"])),
]
