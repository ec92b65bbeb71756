"""Settings every environment gets (``plugin_settings`` is called by the platform)."""

# Yearly requirements live in the database (MemberCategory, editable in the admin);
# these are the site-wide knobs that are not per-category.
DEFAULTS = {
    # Hours credited for a passed course when the course does not say otherwise.
    "COURSE_PASSED_HOURS": 0,
    # Rows in one roster import; bigger files are split by the centre.
    "ROSTER_MAX_ROWS": 200000,
    # Bigger roster imports run as a background task: a proxy may cut a longer web request off.
    "ROSTER_SYNC_ROWS": 2000,
    # XLSX exports larger than this run as a background task.
    "EXPORT_SYNC_LIMIT": 5000,
    # A running background job with no progress for this long has lost its worker and is marked failed.
    "JOB_STALE_MINUTES": 60,
    # Files that background jobs wrote (exports, archives, uploads) are deleted after this many days.
    "JOB_FILES_MAX_AGE_DAYS": 7,
    # Preference menus with more learners ranking than this are allocated by a background job.
    "MENU_ALLOCATION_SYNC_LEARNERS": 2000,
    # Rotation programs with more unseated members than this are assigned to classes by a background job.
    "ROTATION_ASSIGN_SYNC_MEMBERS": 5000,
    # Rows of a rotation attendance XLSX file (one row per learner and session).
    "ROTATION_IMPORT_MAX_ROWS": 20000,
    # Self-study log (learning file): hours a year it may count at most, and the longest line in minutes.
    "SELF_STUDY_YEARLY_CAP_HOURS": 12,
    "SELF_STUDY_MAX_MINUTES": 600,
    # Reminders: how often a digest may go out (days), and who is behind: below this share of the
    # yearly requirement expected by today (percent; 100 = pro rata of the days gone).
    "REMINDER_PERIOD_DAYS": 30,
    "REMINDER_BEHIND_PERCENT": 100,
    # On-site sign-in of a party class with a session time opens this many minutes before the session
    # starts and closes as long after it ends (online check-in too, when its own window is not set).
    "SIGN_IN_MARGIN_MINUTES": 15,
    # Hosts an author may embed a video iframe from.
    "VIDEO_IFRAME_HOSTS": ["player.bilibili.com", "v.qq.com", "www.ixigua.com", "player.youku.com"],
}


# Where the platform runs Celery beat, overdue contest attempts are closed every minute (they are
# also closed on the learner's next request and by the close_overdue_contest_attempts command).
BEAT_SCHEDULE = {
    # Reminder digests, daily; each person gets each digest once per REMINDER_PERIOD_DAYS
    # (also: manage.py send_party_reminders).
    "party_training.reminders.send_digests": {"task": "party_training.reminders.send_digests", "schedule": 86400.0},
    # Dead jobs failed, old job files deleted (also: manage.py party_training_jobs).
    "party_training.jobs.sweep": {"task": "party_training.jobs.sweep", "schedule": 600.0},
    "party_training.contest.close_overdue_attempts": {
        "task": "party_training.contest.close_overdue_attempts",
        "schedule": 60.0,
    },
}


FORMATS = "party_training.edx_plugin.formats"


def plugin_settings(settings):
    # Dates and numbers of zh-cn as Django's zh_Hans formats (core.locales has the catalogs' side).
    paths = getattr(settings, "FORMAT_MODULE_PATH", None) or []
    paths = [paths] if isinstance(paths, str) else list(paths)
    if FORMATS not in paths:
        settings.FORMAT_MODULE_PATH = paths + [FORMATS]
    merged = dict(DEFAULTS)
    merged.update(getattr(settings, "PARTY_TRAINING", {}) or {})
    settings.PARTY_TRAINING = merged
    schedule = dict(getattr(settings, "CELERYBEAT_SCHEDULE", {}) or {})
    for name, entry in BEAT_SCHEDULE.items():
        schedule.setdefault(name, entry)
    settings.CELERYBEAT_SCHEDULE = schedule
    # API v1's OpenAPI schema (api.root) is drf-spectacular's; DRF's own default cannot describe it.
    rest_framework = dict(getattr(settings, "REST_FRAMEWORK", {}) or {})
    rest_framework.setdefault("DEFAULT_SCHEMA_CLASS", "drf_spectacular.openapi.AutoSchema")
    settings.REST_FRAMEWORK = rest_framework
