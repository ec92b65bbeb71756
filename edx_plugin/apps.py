"""App config, wired into the LMS and Studio through ``edx_django_utils.plugins``."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.production"},
    "test": {"relative_path": "settings.test"},
}
_URLS = {"namespace": "party_training", "regex": r"^party-training/", "relative_path": "urls"}


class PartyTrainingConfig(AppConfig):
    name = "party_training.edx_plugin"
    label = "party_training"
    verbose_name = _("Party education and training")
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {"lms.djangoapp": _URLS, "cms.djangoapp": _URLS},
        "settings_config": {"lms.djangoapp": _SETTINGS, "cms.djangoapp": _SETTINGS},
        "signals_config": {
            "lms.djangoapp": {
                "relative_path": "signals",
                "receivers": [],
            },
        },
    }

    def ready(self):
        # Receivers of Django and openedx-events signals register on import.
        from . import signals  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel
