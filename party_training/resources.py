"""Access to the files under ``static/`` shipped in the wheel.

Blocks and plugin pages both render Django templates kept in ``static/templates``; the
engine is built once per process from the package's own directory, so nothing depends
on the host's TEMPLATES setting (the LMS and the demo site configure it differently).
"""
from functools import lru_cache
from importlib import resources

from django.template import Context, Engine


def static_path(*parts: str):
    """Traversable path of a file shipped under ``static/``."""
    path = resources.files("party_training.static")
    for part in parts:
        path = path / part
    return path


def read_static(*parts: str) -> str:
    return static_path(*parts).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def template_engine() -> Engine:
    return Engine(
        dirs=[str(static_path("templates"))], autoescape=True,
        libraries={"i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n", "tz": "django.templatetags.tz"},
    )


def render_template(name: str, context: dict | None = None) -> str:
    """Render ``static/templates/<name>`` with Django's template language (autoescaped)."""
    return template_engine().get_template(name).render(Context(context or {}))
