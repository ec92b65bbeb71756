"""zh-cn (the platform's code) formats: Django's zh_Hans ones ("2026年12月1日")."""
from django.conf.locale.zh_Hans.formats import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
