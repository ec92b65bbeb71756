"""Read the plugin's site settings with the defaults filled in."""
from django.conf import settings

from ..settings.common import DEFAULTS


def setting(name: str):
    return (getattr(settings, "PARTY_TRAINING", None) or {}).get(name, DEFAULTS[name])
