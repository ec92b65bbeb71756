"""URLs of the demo site; the plugin's URLs are mounted the way the LMS mounts them."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from edx_django_utils.plugins import get_plugin_url_patterns

from . import views

demo_patterns = [
    path("", views.home, name="home"),
    re_path(r"^courses/(?P<course_id>[^/]+)/$", views.course_outline, name="course"),
    re_path(r"^courses/(?P<course_id>[^/]+)/unit/(?P<url_name>[\w-]+)/$", views.unit, name="unit"),
    path("xblock/<str:usage_id>/handler/<str:handler>", views.handler, name="handler"),
    path("xblock/<str:usage_id>/handler/<str:handler>/<path:suffix>", views.handler, name="handler_suffix"),
    re_path(r"^xblock/resource/(?P<block_type>[\w]+)/(?P<uri>.+)$", views.block_resource, name="block_resource"),
]

urlpatterns = [
    path("", include((demo_patterns, "demo"), namespace="demo")),
    path("login/", auth_views.LoginView.as_view(template_name="demo/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
] + get_plugin_url_patterns("lms.djangoapp")
