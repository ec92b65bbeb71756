"""App config, wired into the LMS and Studio through ``edx_django_utils.plugins``."""
from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_SETTINGS = {
    "common": {"relative_path": "settings.common"},
    "production": {"relative_path": "settings.production"},
    "test": {"relative_path": "settings.test"},
}
# Areas that contribute to what gathers from all of them (core.registry), in this order.
AREAS = ("party_class", "knowledge_contest", "writing_assignment", "case_discussion", "roster", "menu_selection",
         "rotation", "learning_file", "compliance", "reminders")
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
        from .core import locales  # pylint: disable=import-outside-toplevel
        from .core.registry import registry  # pylint: disable=import-outside-toplevel

        locales.install()

        for area in AREAS:
            name = f"{self.name}.{area}.registration"
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue  # an area with nothing to contribute
            module.register(registry)
        # Register the Celery tasks in every process, not only in workers: the platform's Celery app
        # autodiscovers ``<app>.tasks`` when a worker starts, and a web process that queues a job sends
        # it by name (core.jobs.enqueue), which needs the task registered there too.
        import_module(f"{self.name}.tasks")
