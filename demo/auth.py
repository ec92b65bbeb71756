"""The demo's authentication backend: Django's, whose per-request user read also answers the demo's
course-staff question (membership of the "course_staff" group), as the LMS answers a user's course
roles from one cached lookup per request. Without it every handler paid a second query for the role."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

COURSE_STAFF_GROUP = "course_staff"


def with_course_staff_flag(queryset):
    """Users annotated with ``demo_course_staff`` (in the course-staff group), read in the same query."""
    return queryset.annotate(demo_course_staff=Exists(
        Group.objects.filter(user=OuterRef("pk"), name=COURSE_STAFF_GROUP)))


class DemoModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = with_course_staff_flag(get_user_model()._default_manager.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
