"""gunicorn settings for the demo (``make serve``) and the HTTP benchmarks: threaded workers
(gthread), as many LMS deployments run; ``make serve`` also sets ``DEMO_CONN_MAX_AGE`` so each
thread keeps its database connection, and ``DEMO_DEBUG=0``."""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
wsgi_app = "demo.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Keep-alive as browsers use it; gunicorn sets TCP_NODELAY, so no 40 ms Nagle stalls.
keepalive = 5
timeout = 60
graceful_timeout = 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
