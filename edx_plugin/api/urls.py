"""REST API v1 (api) of the plugin, mounted at ``party-training/api/v1/`` (namespace ``party_training``)."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from . import root, rotation, views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="api-organization")
router.register("members", views.MemberViewSet, basename="api-member")
router.register("rotation/programs", rotation.ProgramViewSet, basename="api-rotation-program")
router.register("rotation/classes", rotation.ClassViewSet, basename="api-rotation-class")
router.register("rotation/sessions", rotation.SessionViewSet, basename="api-rotation-session")
router.register("rotation/attendance", rotation.AttendanceViewSet, basename="api-rotation-attendance")

urlpatterns = [
    path("", root.RootView.as_view(), name="api-root"),
    path("schema/", root.SchemaView.as_view(), name="api-schema"),
    path("docs/", root.docs, name="api-docs"),
    path("me/hours/", views.MyHoursView.as_view(), name="api-my-hours"),
    *router.urls,
]
