"""Prepare the demo site: demo users, the organisation roster, the demo course, some hours.

Safe to run again: users are updated, the roster re-import updates, the course reloads.
"""
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.olx import load_course
from demo.rotation_demo import load_rotation_demo
from party_training.edx_plugin.core.models import MemberCategory, MemberProfile, Organization, OrganizationAdmin
from party_training.edx_plugin.core.ledger import credit_hours
from party_training.edx_plugin.knowledge_contest.bank_files import load_bank_fixtures
from party_training.edx_plugin.roster.imports import import_roster

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
PASSWORD = "demo1234"
# username, full name, staff flags, organisation code, categories
DEMO_USERS = [
    ("learner", "张学员", {}, "DEMO-B01", ["member", "young_member"]),
    ("learner2", "李学员", {}, "DEMO-B01", ["member"]),
    ("instructor", "王老师", {"course_staff": True}, "DEMO-B02", ["general_cadre"]),
    ("orgadmin", "赵书记", {}, "DEMO-B02", ["branch_secretary"]),
    ("admin", "系统管理员", {"is_staff": True, "is_superuser": True}, None, []),
]


class Command(BaseCommand):
    help = "Load the demo users, roster and course into the demo site's database."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="where the site will be served")

    def handle(self, *args, **options):
        for name in ("demo_organizations.csv", "demo_members.csv"):
            with open(FIXTURES / "roster" / name, "rb") as fileobj:
                result = import_roster(fileobj, name)
            if not result.ok:
                raise CommandError("\n".join(str(e) for e in result.errors))
        course_id = load_course(FIXTURES / "demo_course" / "course.xml")
        self._class_is_on_now(course_id)
        load_bank_fixtures(FIXTURES / "question_banks", course_id)
        self._users(course_id)
        load_rotation_demo()
        self.stdout.write(self.style.SUCCESS(
            f"Demo ready: course {course_id}. Open {options['url']} and sign in as learner, learner2, "
            f"instructor (course staff), orgadmin (organisation admin of the demo committee) or admin (site admin); "
            f"the password of each is {PASSWORD}."
        ))

    @staticmethod
    def _class_is_on_now(course_id):
        """The demo's party classes take place now (from half an hour ago for two hours), so their
        on-site sign-in, open only around the session, can be tried whenever the demo is set up."""
        from django.contrib.auth.models import AnonymousUser  # pylint: disable=import-outside-toplevel
        from opaque_keys.edx.keys import CourseKey, UsageKey  # pylint: disable=import-outside-toplevel

        from demo.models import CourseUnit  # pylint: disable=import-outside-toplevel
        from demo.runtime import DemoRuntime  # pylint: disable=import-outside-toplevel

        start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=30)
        runtime = DemoRuntime(AnonymousUser(), CourseKey.from_string(course_id))
        for unit in CourseUnit.objects.filter(course_id=course_id):
            for usage_id in unit.children:
                key = UsageKey.from_string(usage_id)
                if key.block_type == "party_class":
                    block = runtime.get_block(key)
                    block.session_start, block.session_end = start, start + timedelta(hours=2)
                    block.save()

    def _users(self, course_id):
        User = get_user_model()
        staff_group, _ = Group.objects.get_or_create(name="course_staff")
        root = Organization.objects.get(code="DEMO")
        for username, full_name, flags, org_code, categories in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            # Chinese names are written family name first, as one string.
            user.first_name, user.last_name = full_name, ""
            user.email = f"{username}@example.com"
            user.is_staff = flags.get("is_staff", False)
            user.is_superuser = flags.get("is_superuser", False)
            user.set_password(PASSWORD)
            user.save()
            if flags.get("course_staff"):
                user.groups.add(staff_group)
            if org_code:
                profile, _ = MemberProfile.objects.update_or_create(
                    user=user, defaults={"organization": Organization.objects.get(code=org_code),
                                         "full_name": full_name, "join_date": date(2015, 7, 1)},
                )
                profile.categories.set(MemberCategory.objects.filter(code__in=categories))
        OrganizationAdmin.objects.get_or_create(user=User.objects.get(username="orgadmin"), organization=root)
        learner = User.objects.get(username="learner")
        this_year = date.today().year
        credit_hours(learner, 6, "course", f"demo:{this_year}:opening-course", date=date(this_year, 3, 1),
                     course_id=course_id, note="开班学习")
        credit_hours(learner, 4, "self_study", f"demo:{this_year}:self-study-1", date=date(this_year, 4, 10),
                     note="自学《中国共产党章程》")
