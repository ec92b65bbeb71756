"""Tutor plugin of openedx-party-training (``tutor plugins enable party-training``).

It adds the package to the openedx image, sets ``PARTY_TRAINING`` in the LMS and CMS from Tutor
config values (``PARTY_TRAINING_*``, defaults below), and runs the package's Celery beat schedule
(``CELERYBEAT_SCHEDULE``, filled by the package's settings) in a ``party-training-beat`` service
(docker compose and Kubernetes; one replica). The course tab,
the user partition scheme, the blocks and the Django app register themselves through the package's
entry points once it is installed in the image; nothing else is needed in the LMS.
"""
from __future__ import annotations

from importlib import resources

from tutor import hooks

from .__about__ import __version__

# Every value an operator may set with ``tutor config save --set PARTY_TRAINING_...=...``.
CONFIG_DEFAULTS = {
    "VERSION": __version__,
    # What pip installs in the image: a release by default, or any pip requirement (a git URL, a wheel).
    "PIP_REQUIREMENT": "openedx-party-training=={{ PARTY_TRAINING_VERSION }}",
    # Hours credited for a passed course when the course does not say otherwise.
    "COURSE_PASSED_HOURS": 0,
    # Largest roster file accepted, and the size above which an import runs as a Celery job.
    "ROSTER_MAX_ROWS": 200000,
    "ROSTER_SYNC_ROWS": 2000,
    # Exports larger than this run as Celery tasks.
    "EXPORT_SYNC_LIMIT": 5000,
    # Preference allocations with more learners than this run as Celery tasks.
    "MENU_ALLOCATION_SYNC_LEARNERS": 2000,
    # Files written by background jobs are deleted after this many days.
    "JOB_FILES_MAX_AGE_DAYS": 7,
    # On-site sign-in opens this many minutes before a party class starts and closes as long after it ends.
    "SIGN_IN_MARGIN_MINUTES": 15,
    # Hosts an author may embed a video iframe from.
    "VIDEO_IFRAME_HOSTS": ["player.bilibili.com", "v.qq.com", "www.ixigua.com", "player.youku.com"],
    # Run Celery beat for the LMS (the package's schedule: job sweep, overdue contest attempts) in a
    # service of its own. Turn off where a beat already runs for the LMS.
    "RUN_BEAT": True,
}

hooks.Filters.CONFIG_DEFAULTS.add_items([(f"PARTY_TRAINING_{key}", value) for key, value in CONFIG_DEFAULTS.items()])


for _path in sorted(resources.files("tutorparty_training").joinpath("patches").iterdir()):
    if _path.is_file():
        hooks.Filters.ENV_PATCHES.add_item((_path.name, _path.read_text(encoding="utf-8")))
