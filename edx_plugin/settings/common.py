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
    # On-site sign-in of a party class with a session time opens this many minutes before the session
    # starts and closes as long after it ends (online check-in too, when its own window is not set).
    "SIGN_IN_MARGIN_MINUTES": 15,
    # Hosts an author may embed a video iframe from.
    "VIDEO_IFRAME_HOSTS": ["player.bilibili.com", "v.qq.com", "www.ixigua.com", "player.youku.com"],
}


# Where the platform runs Celery beat, overdue contest attempts are closed every minute (they are
# also closed on the learner's next request and by the close_overdue_contest_attempts command).
BEAT_SCHEDULE = {
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
