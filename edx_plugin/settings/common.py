"""Settings every environment gets (``plugin_settings`` is called by the platform)."""

# Yearly requirements live in the database (MemberCategory, editable in the admin);
# these are the site-wide knobs that are not per-category.
DEFAULTS = {
    # Hours credited for a passed course when the course does not say otherwise.
    "COURSE_PASSED_HOURS": 0,
    # Rows in one roster import; bigger files are split by the centre.
    "ROSTER_MAX_ROWS": 200000,
    # XLSX exports larger than this run as a background task.
    "EXPORT_SYNC_LIMIT": 5000,
    # Hosts an author may embed a video iframe from.
    "VIDEO_IFRAME_HOSTS": ["player.bilibili.com", "v.qq.com", "www.ixigua.com", "player.youku.com"],
}


def plugin_settings(settings):
    merged = dict(DEFAULTS)
    merged.update(getattr(settings, "PARTY_TRAINING", {}) or {})
    settings.PARTY_TRAINING = merged
