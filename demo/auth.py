"""The demo's authentication backend: Django's, whose per-request user read also answers the demo's
course-staff question (membership of the "course_staff" group), as the LMS answers a user's course
roles from one cached lookup per request. Without it every handler paid a second query for the role."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

COURSE_STAFF_GROUP = "course_staff"


def course_staff_flag(user_ref: str = "pk") -> Exists:
    """Whether the user ``user_ref`` names (a column of the outer query) is in the course-staff group,
    as a column of that query: read with the user, not by a query of its own."""
    return Exists(Group.objects.filter(user=OuterRef(user_ref), name=COURSE_STAFF_GROUP))


class DemoModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = (get_user_model()._default_manager.filter(pk=user_id)
                .annotate(demo_course_staff=course_staff_flag()).first())
        return user if user is not None and self.user_can_authenticate(user) else None
