"""The platform finds the plugin through entry points and applies its settings and URLs
with edx_django_utils.plugins, exactly as lms/envs and lms/urls.py do."""
import sys
import types

import pytest
from django.urls import resolve, reverse
from edx_django_utils.plugins import add_plugins, get_plugin_apps, get_plugin_url_patterns, registry

APP = "party_training.edx_plugin.apps.PartyTrainingConfig"


@pytest.fixture(autouse=True)
def only_this_plugin(monkeypatch):
    """In the platform's library set other plugins are installed too; their settings functions
    need the whole LMS settings module. Keep the platform's real discovery, narrowed to ours."""
    discover = registry.get_plugin_app_configs

    def ours(project_type):
        configs = [c for c in discover(project_type) if c.name == "party_training.edx_plugin"]
        assert configs, "the plugin was not discovered through its entry point"
        return configs

    for module in ("plugin_settings", "plugin_urls"):
        monkeypatch.setattr(f"edx_django_utils.plugins.{module}.registry.get_plugin_app_configs", ours)


@pytest.mark.parametrize("project_type", ["lms.djangoapp", "cms.djangoapp"])
def test_app_discovered_through_entry_points(project_type):
    assert APP in get_plugin_apps(project_type)


@pytest.mark.parametrize("project_type", ["lms.djangoapp", "cms.djangoapp"])
@pytest.mark.parametrize("settings_type", ["common", "production", "test"])
def test_settings_applied(project_type, settings_type, monkeypatch):
    module = types.ModuleType("fake_platform_settings")
    module.ENV_TOKENS = {"PARTY_TRAINING": {"COURSE_PASSED_HOURS": 4}}
    module.PARTY_TRAINING = {"ROSTER_MAX_ROWS": 10}
    monkeypatch.setitem(sys.modules, "fake_platform_settings", module)
    add_plugins("fake_platform_settings", project_type, settings_type)
    assert module.PARTY_TRAINING["ROSTER_MAX_ROWS"] == 10  # the site's own value wins over the default
    assert "VIDEO_IFRAME_HOSTS" in module.PARTY_TRAINING
    # Production reads the site's YAML (ENV_TOKENS); the other environments ignore it.
    expected = 4 if settings_type == "production" else 0
    assert module.PARTY_TRAINING["COURSE_PASSED_HOURS"] == expected


@pytest.mark.parametrize("project_type", ["lms.djangoapp", "cms.djangoapp"])
def test_url_patterns_mounted_under_namespace(project_type):
    patterns = get_plugin_url_patterns(project_type)
    namespaces = [getattr(p, "namespace", None) for p in patterns]
    assert "party_training" in namespaces


def test_learning_file_url_resolves_in_the_platform_layout():
    url = reverse("party_training:learning_file")
    assert url == "/party-training/my/"
    assert resolve(url).namespace == "party_training"


def test_app_label_and_migrations(django_db_setup):  # pylint: disable=unused-argument
    from django.apps import apps  # pylint: disable=import-outside-toplevel
    config = apps.get_app_config("party_training")
    assert config.name == "party_training.edx_plugin"
    assert config.plugin_app["url_config"]["lms.djangoapp"]["namespace"] == "party_training"


def test_celery_tasks_found_by_autodiscovery_and_scheduled(monkeypatch):
    """The platform's Celery app autodiscovers ``tasks`` modules of installed apps."""
    from celery import current_app  # pylint: disable=import-outside-toplevel
    current_app.loader.import_default_modules()
    current_app.autodiscover_tasks(["party_training.edx_plugin"], force=True)
    # Every background job (roster import, contest export, writing archive and scan) runs through
    # core's one job task; the sweeps are scheduled.
    for name in ("party_training.jobs.run", "party_training.jobs.sweep", "party_training.contest.close_overdue_attempts",
                 "party_training.reminders.send_digests"):
        assert name in current_app.tasks, name
    module = types.ModuleType("fake_beat_settings")
    module.CELERYBEAT_SCHEDULE = {"platform.task": {"task": "x", "schedule": 5}}
    monkeypatch.setitem(sys.modules, "fake_beat_settings", module)
    add_plugins("fake_beat_settings", "lms.djangoapp", "common")
    assert set(module.CELERYBEAT_SCHEDULE) == {"platform.task", "party_training.contest.close_overdue_attempts",
                                               "party_training.jobs.sweep", "party_training.reminders.send_digests"}
