"""Test settings: the common ones; tests override single keys with ``override_settings``."""
from .common import plugin_settings  # noqa: F401
