"""Files of the plugin that pages load by address (core): the vendored Apache ECharts, shipped in
the wheel under ``static/vendor/echarts`` with its licence. No role check: a public library file."""
from __future__ import annotations

from functools import lru_cache

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from party_training.resources import static_path

ECHARTS_VERSION = "5.6.0"


@lru_cache(maxsize=1)
def _echarts() -> bytes:
    return static_path("vendor", "echarts", "echarts.min.js").read_bytes()


@require_GET
def echarts(request):
    response = HttpResponse(_echarts(), content_type="text/javascript; charset=utf-8")
    # The address carries the version, so browsers may keep the file.
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response
