"""The demo site as a WSGI application, for a production-like server (``make serve``: gunicorn
with ``demo/gunicorn.conf.py``) and the HTTP benchmarks."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

application = get_wsgi_application()
