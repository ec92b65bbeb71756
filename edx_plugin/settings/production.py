"""Production settings: values may come from the site's YAML through ``ENV_TOKENS``."""
from .common import plugin_settings as common_settings


def plugin_settings(settings):
    common_settings(settings)
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    settings.PARTY_TRAINING.update(env_tokens.get("PARTY_TRAINING", {}) or {})
