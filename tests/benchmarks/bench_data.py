"""The data the learner-action benchmarks build (learners, signed-in sessions, a contest, party
classes), in one place for the HTTP benchmarks and the in-process profile. It imports nothing of the
load harness: locust patches the standard library when imported, which the profile must not get."""
from __future__ import annotations

import datetime
import os

CODE_PERIOD = 30  # the party classes' rotating on-site code, in seconds
# The handler of ``demo.bench_block`` (any usage id of its type): the bare view's INSERT through the runtime.
BARE_HANDLER_URL = "/xblock/block-v1:bench+floor+run+type@bench_floor+block@floor/handler/insert"
BARE_HANDLER = "bare handler"  # its name in every benchmark's figures


def mysql_args(db: str | None = None) -> dict:
    """MySQLdb's connection arguments from the environment the demo's settings read (MYSQL_*)."""
    args = {"host": os.environ.get("MYSQL_HOST", "127.0.0.1"), "port": int(os.environ.get("MYSQL_PORT", "3306")),
            "user": os.environ.get("MYSQL_USER", "root"), "passwd": os.environ.get("MYSQL_PASSWORD", ""),
            "charset": "utf8mb4", "local_infile": 1}
    return {**args, "db": db} if db else args


def ensure_database() -> None:
    """With DB=mysql, create MYSQL_DATABASE if it is not there, so that a benchmark's command runs as
    printed on a fresh machine (the demo's settings name ``test`` when it is unset)."""
    if os.environ.get("DB") != "mysql":
        return
    import MySQLdb  # pylint: disable=import-outside-toplevel
    conn = MySQLdb.connect(**mysql_args())
    try:
        conn.cursor().execute(f"CREATE DATABASE IF NOT EXISTS `{os.environ.get('MYSQL_DATABASE', 'test')}` "
                              "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    finally:
        conn.close()


def start_django() -> None:
    """Django for a benchmark process on the demo's settings and its database (each script chooses it in
    the environment first: DB, MYSQL_DATABASE or DEMO_DB), created if it is not there and migrated."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")
    ensure_database()
    import django  # pylint: disable=import-outside-toplevel
    django.setup()
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    call_command("migrate", verbosity=0, interactive=False)


def make_learners(count: int, run: str) -> list:
    """``count`` members of one branch (bulk inserts)."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.models import MemberProfile, Organization  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.core.organizations import save_organization  # pylint: disable=import-outside-toplevel

    branch = save_organization(Organization(code=f"B{run}", name=f"压测支部 {run}", kind="branch"))
    User = get_user_model()
    User.objects.bulk_create([User(username=f"b{run}_{n}", password="!") for n in range(count)], batch_size=1000)
    users = list(User.objects.filter(username__startswith=f"b{run}_").order_by("id"))
    MemberProfile.objects.bulk_create([MemberProfile(user=u, organization=branch, full_name=f"学员{n}")
                                       for n, u in enumerate(users)], batch_size=1000)
    return users


def session_keys(users) -> list[str]:
    """A signed-in session key per user, written straight into the session store (no login requests)."""
    from importlib import import_module  # pylint: disable=import-outside-toplevel
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # pylint: disable=import-outside-toplevel

    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for user in users:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        keys.append(session.session_key)
    return keys


def build_contest(run: str, questions: int = 20) -> str:
    """A bank of single-choice questions and a contest drawing all of them (long time limit)."""
    from party_training.edx_plugin.knowledge_contest.models import Question, QuestionBank  # pylint: disable=import-outside-toplevel
    from party_training.edx_plugin.knowledge_contest.questions import fingerprint  # pylint: disable=import-outside-toplevel
    from tests.conftest import load_block  # pylint: disable=import-outside-toplevel

    bank = QuestionBank.objects.create(code=f"kc-{run}", name=f"压测题库 {run}")
    for index in range(questions):
        stem, options = f"第 {index + 1} 题：党的最高理想是什么？（{run}）", ["甲", "乙", "丙", "丁"]
        Question.objects.create(bank=bank, qtype="single", stem=stem, options=options, answer=["B"],
                                fingerprint=fingerprint("single", stem, options))
    return load_block(f'<knowledge_contest url_name="kc_{run}" display_name="压测竞赛" time_limit_minutes="600" '
                      f'max_attempts="0"><draw bank="{bank.code}" count="{questions}"/></knowledge_contest>',
                      unit=f"kc_{run}")


def build_classes(count: int, run: str) -> list[str]:
    """``count`` party classes held on site now (the rotating code), each in a demo unit. Content must
    be done too, so a sign-in does not complete the class: the common case."""
    from django.utils import timezone  # pylint: disable=import-outside-toplevel
    from tests.conftest import load_block  # pylint: disable=import-outside-toplevel

    start = (timezone.now() - datetime.timedelta(minutes=20)).replace(microsecond=0)
    end = start + datetime.timedelta(hours=6)
    return [load_block(
        f'<party_class url_name="pc_{run}_{n}" display_name="压测党课 {n}" lecturer_name="王书记" schedule="live" '
        f'session_start="{start.isoformat()}" session_end="{end.isoformat()}" credit_hours="2" '
        f'require_signin="true" require_content="true" onsite_signin="true" online_signin="false" '
        f'onsite_code_period="{CODE_PERIOD}"><body><p>党课</p></body></party_class>', unit=f"pc_{run}_{n}")
        for n in range(count)]
