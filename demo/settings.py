"""Settings of the demo site (the main job: SQLite) and of the tests (SQLite or MariaDB with DB=mysql)."""
import os
import sys
from pathlib import Path

from edx_django_utils.plugins import get_plugin_apps

from party_training.edx_plugin.settings.common import plugin_settings

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = os.environ.get("DEMO_SECRET_KEY", "demo-only-not-secret")
DEBUG = os.environ.get("DEMO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["*"]
# The benchmarks' floor: a bare view doing one INSERT (``/bench/insert/``), only when asked for.
DEMO_BENCH = os.environ.get("DEMO_BENCH") == "1"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "submissions",  # edx-submissions: writing scores reach the gradebook as on the LMS
    "demo",
]
# The plugin is found the way the LMS finds it, through its lms.djangoapp entry point; other
# plugins installed in the same environment (the platform's library set) are left out.
INSTALLED_APPS += [app for app in get_plugin_apps("lms.djangoapp") if app.startswith("party_training.")]

MIDDLEWARE = [
    # As in the LMS: request-scoped caches (a learner's menu seats for content gating) start empty.
    "edx_django_utils.cache.middleware.RequestCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "demo.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, taking the user the session read brought along (demo.sessions): one query for both.
    "demo.sessions.AuthenticationMiddleware",
    # As in the LMS: the request's user is at hand to code that has only the user's id (a block's user
    # service), so a handler does not read the same user twice.
    "crum.CurrentRequestUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
if DEMO_BENCH:  # first, so that it times the whole request
    MIDDLEWARE.insert(0, "demo.middleware.BenchTimingMiddleware")
ROOT_URLCONF = "demo.urls"
# Django's backend, whose user read also says whether the user is course staff (one query, not two).
AUTHENTICATION_BACKENDS = ["demo.auth.DemoModelBackend"]
# Database sessions whose row names the user, read with the user in one query (demo.sessions).
SESSION_ENGINE = "demo.sessions"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

if os.environ.get("DB") == "mysql":
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": os.environ.get("MYSQL_DATABASE", "test"),
        "USER": os.environ.get("MYSQL_USER", "root"),
        "PASSWORD": os.environ.get("MYSQL_PASSWORD", ""),
        "HOST": os.environ.get("MYSQL_HOST", "127.0.0.1"),
        "PORT": os.environ.get("MYSQL_PORT", "3306"),
        "OPTIONS": {"charset": "utf8mb4"},
        # Persistent connections under gunicorn (``make serve`` sets 60); 0, Django's default, elsewhere.
        "CONN_MAX_AGE": int(os.environ.get("DEMO_CONN_MAX_AGE", "0")),
        "TEST": {"NAME": os.environ.get("MYSQL_TEST_DATABASE", "test_party_training"), "CHARSET": "utf8mb4",
                 "COLLATION": "utf8mb4_unicode_ci"},
    }}
    DATABASE_ROUTERS = ["demo.routers.FreshMariaDBSubmissionsRouter"]
else:
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DEMO_DB", str(BASE_DIR / "db.sqlite3")),
        # BEGIN IMMEDIATE: a transaction that reads then writes (a locked attempt, then its answer) takes
        # SQLite's write lock at its start and waits for it, instead of failing at once with "database is
        # locked" when it cannot upgrade its read lock while another request writes.
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
    }}

# As the LMS: apps without their own default (edx-submissions) keep integer keys.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}

# Chinese first, English second, as on a Chinese Open edX site (language code zh-cn).
LANGUAGE_CODE = "zh-cn"
LANGUAGES = [("zh-cn", "简体中文"), ("en", "English")]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# Units as the Learning MFE shows them: each component in an iframe of render_xblock ("frame"), or inline.
DEMO_UNITS = "frame"

STATIC_URL = "/static/"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}

# Reminder digests go through edx-ace's Django email channel, as in the LMS; the demo prints mail to
# the console (the tests keep it in memory) and shows the last digests at /party-training/reminders/sent/.
ACE_ENABLED_CHANNELS = ["django_email"]
ACE_CHANNEL_DEFAULT_EMAIL = "django_email"
ACE_CHANNEL_TRANSACTIONAL_EMAIL = "django_email"
ACE_ENABLED_POLICIES = []
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "party-training@example.org"

# Celery runs tasks inline in the demo and the tests, as on a site without workers.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
XBLOCK_SETTINGS = {}

# What the LMS does for a plugin: apply its settings module for this environment.
# The demo answers what the LMS answers from CourseOverview and the modulestore, and its handler addresses.
PARTY_TRAINING = {"COURSE_TITLE": "demo.catalog.course_title", "COURSE_COMPONENTS": "demo.catalog.course_components",
                  "COURSE_BLOCKS": "demo.catalog.course_blocks",
                  "HANDLER_URL": "/xblock/{usage_id}/handler/{handler}"}
plugin_settings(sys.modules[__name__])
