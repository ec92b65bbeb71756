"""The demo's sessions: Django's database sessions whose row also names the logged-in user, so that a
request reads its session and its user (with the course-staff flag, see ``demo.auth``) in one query
instead of two. The LMS keeps sessions in its cache and reads only the user from MySQL; the demo
keeps them in the database, and this brings its cost per request back to one statement.

``SESSION_ENGINE = "demo.sessions"`` and ``demo.sessions.AuthenticationMiddleware`` in place of
Django's: the middleware takes the user the session read brought along when it is the session's own
(same id, same backend, the password hash still matching), else it asks Django as usual."""
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from .auth import DemoModelBackend, course_staff_flag

BACKEND_PATH = f"{DemoModelBackend.__module__}.{DemoModelBackend.__qualname__}"


class SessionStore(db.SessionStore):
    prefetched_user = None

    @classmethod
    def get_model_class(cls):
        from .models import DemoSession  # pylint: disable=import-outside-toplevel
        return DemoSession

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        row.user_id = data.get(SESSION_KEY)
        return row

    def _get_session_from_db(self):
        try:
            row = (self.model.objects.select_related("user")
                   .annotate(user_course_staff=course_staff_flag("user_id"))
                   .get(session_key=self.session_key, expire_date__gt=timezone.now()))
        except (self.model.DoesNotExist, SuspiciousOperation):
            # Django's store logs the suspicious key and forgets it: let it, by asking it again.
            return super()._get_session_from_db()
        if row.user is not None:
            row.user.demo_course_staff = row.user_course_staff
            self.prefetched_user = row.user
        return row


def get_user(request):
    """The session's user from the session read when it may be trusted as Django would, else Django's
    ``get_user`` (which also handles a changed password, fallbacks and flushing)."""
    session = request.session
    user_id = session.get(SESSION_KEY)
    user = getattr(session, "prefetched_user", None)
    if (user is not None and user_id is not None and str(user.pk) == str(user_id)
            and session.get(BACKEND_SESSION_KEY) == BACKEND_PATH and DemoModelBackend().user_can_authenticate(user)
            and constant_time_compare(session.get(HASH_SESSION_KEY) or "", user.get_session_auth_hash())):
        return user
    return auth.get_user(request)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
