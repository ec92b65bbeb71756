"""The demo's Celery app: configured from Django settings (CELERY_*) like the LMS's, and run
eagerly (CELERY_TASK_ALWAYS_EAGER) so background tasks work without a broker or workers."""
from celery import Celery

app = Celery("demo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
